"""The verdict from check results: fail beats review beats pass, reasons by weight."""

from __future__ import annotations

from scanner.checks.base import CheckResult, Status
from scanner.config import VerdictConfig
from scanner.verdict import decide


def _check(check_id: str, status: Status) -> CheckResult:
    return CheckResult(check_id, status, f"{check_id} {status}", f"{check_id} {status}")


def test_all_passed_on_a_known_model_passes() -> None:
    verdict = decide([_check("mrz_check_digits", "passed"), _check("uv_dull_substrate",
                                                                    "passed")], model_known=True)
    assert verdict.status == "pass" and verdict.reasons == ()


def test_not_performed_does_not_flag() -> None:
    verdict = decide([_check("mrz_ir_b900", "not_performed"),
                      _check("uv_dull_substrate", "passed")], model_known=True)
    assert verdict.status == "pass"


def test_one_failure_fails_with_the_heaviest_reason_first() -> None:
    verdict = decide([_check("document_expiry", "failed"), _check("mrz_check_digits", "passed"),
                      _check("uv_dull_substrate", "failed"), _check("mrz_ir_b900",
                                                                    "undetermined")],
                     model_known=True)
    assert verdict.status == "fail"
    assert [r.id for r in verdict.reasons] == ["uv_dull_substrate", "document_expiry",
                                               "mrz_ir_b900"]


def test_undetermined_asks_for_review_not_fail() -> None:
    verdict = decide([_check("mrz_check_digits", "undetermined"),
                      _check("uv_dull_substrate", "passed")], model_known=True)
    assert verdict.status == "review"
    assert verdict.reasons[0].id == "mrz_check_digits"


def test_unknown_model_is_reviewed() -> None:
    verdict = decide([_check("uv_dull_substrate", "passed")], model_known=False)
    assert verdict.status == "review"
    assert "unknown document model" in verdict.reasons[0].reason


def test_high_convenience_ignores_undetermined_optional_checks() -> None:
    checks = [_check("uv_fibres", "undetermined"), _check("uv_dull_substrate", "passed")]
    assert decide(checks, model_known=True).status == "review"
    convenient = VerdictConfig(mode="high_convenience")
    assert decide(checks, model_known=True, config=convenient).status == "pass"
    mandatory = [_check("mrz_ir_b900", "undetermined")]
    assert decide(mandatory, model_known=True, config=convenient).status == "review"


def test_silent_checks_are_not_counted() -> None:
    checks = [_check("stamp_authenticity", "failed"), _check("uv_dull_substrate", "passed")]
    assert decide(checks, model_known=True).status == "fail"
    silent = VerdictConfig(silent_checks=frozenset({"stamp_authenticity"}))
    assert decide(checks, model_known=True, config=silent).status == "pass"


def test_poor_capture_asks_for_a_rescan_instead_of_failing() -> None:
    checks = [_check("image_quality", "undetermined"), _check("uv_pattern", "failed")]
    verdict = decide(checks, model_known=True)
    assert verdict.status == "review"
    assert verdict.reasons[0].id == "image_quality"
