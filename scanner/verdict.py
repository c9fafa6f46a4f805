"""The verdict: pass, review or fail, with the reasons ordered by weight."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from scanner.checks.base import CheckResult

VerdictStatus = Literal["pass", "review", "fail"]
# How much a failed check says about a forgery; the order of the reasons follows it.
WEIGHTS = {"mrz_ir_b900": 10, "uv_dull_substrate": 10, "mrz_check_digits": 9,
           "document_expiry": 5}


@dataclass(frozen=True)
class Verdict:
    """The decision on one capture and the checks that led to it, most important first."""

    status: VerdictStatus
    reasons: tuple[CheckResult, ...]


def decide(checks: Sequence[CheckResult], *, model_known: bool) -> Verdict:
    """Fail on any failed check; review on any undetermined or aborted one; else pass."""
    def weight(check: CheckResult) -> int:
        return WEIGHTS.get(check.id, 1)

    failed = sorted((c for c in checks if c.status == "failed"), key=weight, reverse=True)
    unsure = sorted((c for c in checks if c.status in ("undetermined", "aborted")),
                    key=weight, reverse=True)
    if failed:
        return Verdict("fail", tuple(failed + unsure))
    if unsure:
        return Verdict("review", tuple(unsure))
    if not model_known:
        unknown = CheckResult("document_model", "undetermined",
                              "unknown document model: only the generic checks ran",
                              "unbekanntes Dokumentmodell: nur die allgemeinen Prüfungen liefen")
        return Verdict("review", (unknown,))
    return Verdict("pass", ())
