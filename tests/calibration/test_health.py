"""Health: paper levels of everyday scans, trends since calibration, drift warnings."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from calibration.health import HealthLog, HealthRow, drift_since, paper_levels, record_scan
from calibration.profile import Profile, apply
from calibration.status import profile_status
from drivers.specimen import render_specimen
from tests.calibration.conftest import DPI, DRIFTED


def test_paper_levels_of_a_calibrated_scan(profile: Profile, tmp_path: Path) -> None:
    capture = apply(render_specimen(2, dpi=DPI, conditions=DRIFTED)[0], profile)
    levels = paper_levels(capture)
    assert levels is not None
    assert 0.6 < levels["white"] < 0.98 and 0.75 < levels["ir"] < 0.95  # tinted paper
    assert 0.02 < levels["uv"] < 0.12
    log = HealthLog(tmp_path / "health.csv")
    row = record_scan(log, capture)
    assert row is not None and log.rows()[0].calibration_id == profile.id
    header = (tmp_path / "health.csv").read_text().splitlines()[0]
    assert header == "at,serial,calibration_id,source,white,ir,uv"  # no images, no names


def _rows(profile: Profile, uv_per_day: float, days: int) -> list[HealthRow]:
    return [HealthRow(profile.created_at + timedelta(days=d), profile.device.serial,
                      profile.id, "scan", {"white": 0.9, "ir": 0.86,
                                           "uv": 0.065 * (1 + uv_per_day * d)})
            for d in range(days)]


def test_uv_fading_past_the_limit_is_drift(profile: Profile, tmp_path: Path) -> None:
    log = HealthLog(tmp_path / "health.csv")
    for row in _rows(profile, -0.011, 25):
        log.append(row)
    status = profile_status(profile, profile.created_at + timedelta(days=25), health=log)
    assert status.state == "drifted" and status.affected_lights == ("uv",)
    assert "UV output down" in status.reason and "recalibrate now" in status.reason


def test_trend_warns_before_the_limit(profile: Profile) -> None:
    rows = _rows(profile, -0.005, 20)  # -10 % after 20 days, -15 % in about 10 more
    warnings = drift_since(rows, profile.id, rows[-1].at)
    assert [w.light for w in warnings] == ["uv"]
    assert warnings[0].days_left == pytest.approx(10, abs=3)
    assert "recalibrate within" in warnings[0].message
    ok = profile_status(profile, rows[-1].at)
    assert ok.state == "ok"


def test_steady_lights_give_no_warning(profile: Profile) -> None:
    rows = _rows(profile, 0.0, 20)
    assert drift_since(rows, profile.id, rows[-1].at) == []
