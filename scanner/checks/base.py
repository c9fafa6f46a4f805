"""What every check returns, and what every check is given."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from scanner.config import Thresholds
from scanner.document_models import DocumentModel
from scanner.page import Page

if TYPE_CHECKING:
    from scanner.mrz.parse import MrzResult
    from scanner.mrz.read import MrzReading

# BSI TR-03135's five result states.
Status = Literal["passed", "failed", "undetermined", "not_performed", "aborted"]


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check, with its evidence and a reason in English and German."""

    id: str
    status: Status
    reason: str
    reason_de: str
    score: float | None = None
    light: str | None = None
    region: list[int] | None = None  # capture pixels [x, y, w, h]
    details: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The check as in `authscan scan --json`."""
        return {"id": self.id, "status": self.status,
                "score": None if self.score is None else round(self.score, 3),
                "light": self.light, "region": self.region, "reason": self.reason,
                "reason_de": self.reason_de, "details": self.details}


@dataclass
class ScanContext:
    """Everything the checks may look at for one capture."""

    page: Page
    captured_at: datetime
    model: DocumentModel | None
    thresholds: Thresholds
    mrz_reading: MrzReading | None = None
    mrz_light: str | None = None
    mrz: MrzResult | None = None
    cache: dict[str, Any] = field(default_factory=dict)  # measures shared between checks

    @property
    def expects_mrz(self) -> bool:
        """True unless the identified model is known to carry no MRZ."""
        return self.model is None or self.model.mrz is not None
