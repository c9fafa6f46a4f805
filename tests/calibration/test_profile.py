"""Profiles: applying them removes drift, they are stored and verified, and refused elsewhere."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest

from calibration.errors import CalibrationExpired, ProfileCorrupt, WrongDevice
from calibration.profile import Profile, apply, latest_profile, load_profile, save_profile
from calibration.references import channels
from calibration.status import profile_status, require_current
from drivers.capture import Capture, DeviceInfo
from drivers.specimen.references import WHITE_CARD, render_reference
from tests.calibration.conftest import DPI, DRIFTED


def test_levels_measured(profile: Profile) -> None:
    assert profile.levels["white"] == pytest.approx(1.0, abs=0.05)
    assert profile.levels["ir"] == pytest.approx(1.15, abs=0.05)
    assert profile.levels["uv"] == pytest.approx(0.70, abs=0.05)
    assert profile.expires_at - profile.created_at == timedelta(days=30)


def test_apply_flattens_a_new_white_card(profile: Profile) -> None:
    card = render_reference("white", dpi=DPI, conditions=DRIFTED, seed=7)
    raw, calibrated = channels(card), channels(apply(card, profile))
    assert np.ptp(np.percentile(raw[..., 3], [2, 98])) > 0.1  # vignetting before
    for c, nominal in enumerate((*WHITE_CARD.white, WHITE_CARD.ir)):
        inner = calibrated[10:-10, 10:-10, c]
        assert float(np.median(inner)) == pytest.approx(nominal, abs=0.01)
        assert np.percentile(inner, [2, 98]) == pytest.approx([nominal] * 2, abs=0.04)


def test_apply_sets_the_calibration_id(profile: Profile) -> None:
    card = render_reference("uv", dpi=DPI, conditions=DRIFTED, seed=3)
    out = apply(card, profile)
    assert out.calibration_id == profile.id
    assert out.dpi == card.dpi  # the target measured the reported resolution
    assert out.white.dtype == np.uint8 and out.ir.dtype == np.uint8


def test_wrong_device_refused(profile: Profile, references: dict[str, Capture]) -> None:
    other = replace(references["white"], device=DeviceInfo("sim:", "UTO-SIM-1", "SIM-9999"))
    with pytest.raises(WrongDevice, match="SIM-9999"):
        apply(other, profile)


def test_saved_profile_round_trips(profile: Profile, tmp_path: Path) -> None:
    manifest = save_profile(profile, tmp_path)
    loaded = load_profile(manifest)
    assert loaded.id == profile.id and loaded.levels == pytest.approx(profile.levels, abs=1e-4)
    assert np.array_equal(loaded.gain, profile.gain)
    assert latest_profile(tmp_path, profile.device.serial) is not None
    assert latest_profile(tmp_path, "nobody") is None


def test_edited_profile_detected(profile: Profile, tmp_path: Path) -> None:
    manifest = save_profile(profile, tmp_path)
    meta = json.loads(manifest.read_text())
    meta["expires_at"] = "2099-01-01T00:00:00+00:00"
    manifest.write_text(json.dumps(meta))
    with pytest.raises(ProfileCorrupt, match="does not match"):
        load_profile(manifest)


def test_unknown_schema_refused(profile: Profile, tmp_path: Path) -> None:
    manifest = save_profile(profile, tmp_path)
    meta = json.loads(manifest.read_text())
    meta["schema"] = 99
    manifest.write_text(json.dumps(meta))
    with pytest.raises(ProfileCorrupt, match="schema"):
        load_profile(manifest)


def test_status_ok_expired_missing(profile: Profile) -> None:
    assert profile_status(profile, profile.created_at + timedelta(days=1)).state == "ok"
    expired = profile_status(profile, profile.created_at + timedelta(days=31))
    assert expired.state == "expired"
    assert "expired" in expired.reason and expired.affected_lights == ("white", "ir", "uv")
    assert "uv_pattern" in expired.affected_checks
    missing = profile_status(None, profile.created_at)
    assert missing.state == "missing" and missing.reason


def test_require_current_raises_when_expired(profile: Profile) -> None:
    require_current(profile, profile.created_at)
    with pytest.raises(CalibrationExpired):
        require_current(profile, profile.expires_at)
