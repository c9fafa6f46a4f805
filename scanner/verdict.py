"""The verdict: pass, review or fail, with the reasons ordered by weight."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from scanner.checks.base import CheckResult
from scanner.config import VerdictConfig

log = logging.getLogger(__name__)

VerdictStatus = Literal["pass", "review", "fail"]
# ICAO 9303 Part 2 / BSI TR-03135: run on every document whatever its model.
MANDATORY = frozenset({"mrz_check_digits", "mrz_ir_b900", "uv_dull_substrate",
                       "document_expiry"})


@dataclass(frozen=True)
class Verdict:
    """The decision on one capture and the checks that led to it, most important first."""

    status: VerdictStatus
    reasons: tuple[CheckResult, ...]


def decide(checks: Sequence[CheckResult], *, model_known: bool,
           config: VerdictConfig | None = None) -> Verdict:
    """Fail on any failed check; review on undetermined ones (by mode) or a poor capture."""
    config = config or VerdictConfig()

    def weight(check: CheckResult) -> int:
        return config.weights.get(check.id, 1)

    for check in checks:
        if check.id in config.silent_checks:
            log.info("silent check %s: %s", check.id, check.status)
    counted = [c for c in checks if c.id not in config.silent_checks]
    failed = sorted((c for c in counted if c.status == "failed"), key=weight, reverse=True)
    unsure = sorted((c for c in counted if c.status in ("undetermined", "aborted") and (
        config.mode == "high_security" or c.id in MANDATORY or c.status == "aborted"
        or c.id == "image_quality")), key=weight, reverse=True)
    poor_capture = [c for c in unsure if c.id == "image_quality"
                    and c.details.get("unjudgeable", True)]
    if poor_capture:  # a blurred or cut-off capture cannot prove a forgery: review, rescan
        return Verdict("review", tuple(poor_capture + failed
                                       + [c for c in unsure if c.id != "image_quality"]))
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
