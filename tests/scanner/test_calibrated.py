"""Calibration in the scan: a drifted reader's profile applied; stale ones distrusted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from calibration.build import build_profile
from calibration.profile import Profile, save_profile
from drivers.capture import Capture
from drivers.specimen import render_specimen
from drivers.specimen.references import render_reference_set
from scanner.calibrated import CalibrationSetup
from scanner.pipeline import scan_capture

DPI = 150
CALIBRATED_AT = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
DRIFTED: dict[str, object] = {"vignetting": 0.25, "drift": {"white": 0.0, "ir": 0.15,
                                                          "uv": -0.30},
                              "dark_offset": 0.03, "device_seed": 11}


def _page(seed: int, forgery: str | None = None) -> Capture:
    """A page from the drifted reader, captured a day after its calibration."""
    capture, _ = render_specimen(seed, forgery=forgery, dpi=DPI, conditions=dict(DRIFTED))
    capture.captured_at = CALIBRATED_AT + timedelta(days=1)
    return capture


@pytest.fixture(scope="module")
def profile() -> Profile:
    return build_profile(render_reference_set(dpi=DPI, conditions=DRIFTED), at=CALIBRATED_AT)


@pytest.fixture
def setup(tmp_path: Path, profile: Profile) -> CalibrationSetup:
    save_profile(profile, tmp_path / "profiles")
    return CalibrationSetup(tmp_path / "profiles", tmp_path / "health.csv")


def test_profile_is_applied_and_recorded(setup: CalibrationSetup, profile: Profile) -> None:
    capture = _page(9901)
    capture.device = profile.device
    result = scan_capture(capture, calibration=setup)
    assert result.calibration_state == "ok"
    assert result.calibration_id == profile.id
    assert result.verdict.status == "pass", [c.to_json() for c in result.verdict.reasons]
    assert setup.health is not None and setup.health.is_file()


def test_forgery_still_fails_after_calibration(setup: CalibrationSetup, profile: Profile) -> None:
    capture = _page(9902, "counterfeit_copy")
    capture.device = profile.device
    assert scan_capture(capture, calibration=setup).verdict.status == "fail"


def test_expired_profile_makes_light_checks_undetermined(setup: CalibrationSetup,
                                                         profile: Profile) -> None:
    capture = _page(9903)
    capture.device = profile.device
    capture.captured_at = profile.expires_at + timedelta(days=1)
    result = scan_capture(capture, calibration=setup)
    assert result.calibration_state == "expired"
    statuses = {c.id: c for c in result.checks}
    assert statuses["uv_dull_substrate"].status == "undetermined"
    assert "expired" in statuses["uv_dull_substrate"].reason
    assert statuses["mrz_check_digits"].status == "passed"  # not a matter of light levels
    assert result.verdict.status == "review"


def test_reader_without_profile_is_not_trusted(tmp_path: Path) -> None:
    result = scan_capture(_page(9904), calibration=CalibrationSetup(tmp_path / "none"))
    assert result.calibration_state == "missing"
    assert result.verdict.status == "review"
    assert any("calibrat" in c.reason for c in result.verdict.reasons)
