"""A drifted simulated reader: genuine pages pass after calibration, forgeries stay flagged.

Measured on 10 genuine seeds at 200 dpi (docs/calibration.md): the engine's relative checks
pass the drifted pages even uncalibrated; what moves is the UV glow (-32 %) and the MRZ's IR
contrast (dark offset), and calibration brings both back to the undrifted values.
"""

from __future__ import annotations

import pytest

from calibration.build import build_profile
from calibration.profile import Profile, apply
from drivers.specimen import render_specimen
from drivers.specimen.references import render_reference_set
from scanner.pipeline import scan_capture
from tests.calibration.conftest import DRIFTED

DPI = 200
UNDRIFTED: dict[str, object] = {"vignetting": 0.0, "drift": {"white": 0.0, "ir": 0.0, "uv": 0.0}}


@pytest.fixture(scope="module")
def reader_profile() -> Profile:
    """The drifted reader's profile at the scans' resolution."""
    return build_profile(render_reference_set(dpi=DPI, conditions=DRIFTED))


def _score(result: object, check: str) -> float:
    found = [c for c in result.checks if c.id == check]  # type: ignore[attr-defined]
    assert found and found[0].score is not None
    return float(found[0].score)


@pytest.mark.parametrize("seed", [0, 3])
def test_genuine_pages_pass_and_measures_return(reader_profile: Profile, seed: int) -> None:
    nominal = scan_capture(render_specimen(seed, dpi=DPI, conditions=UNDRIFTED)[0])
    raw = render_specimen(seed, dpi=DPI, conditions=DRIFTED)[0]
    drifted = scan_capture(raw)
    calibrated = scan_capture(apply(raw, reader_profile))
    assert calibrated.verdict.status == "pass"
    glow = _score(nominal, "uv_pattern")
    assert _score(drifted, "uv_pattern") < 0.8 * glow           # UV output -30 %
    assert _score(calibrated, "uv_pattern") == pytest.approx(glow, rel=0.05)
    contrast = _score(nominal, "mrz_ir_b900")
    assert _score(drifted, "mrz_ir_b900") < contrast - 0.01       # dark offset
    assert _score(calibrated, "mrz_ir_b900") == pytest.approx(contrast, abs=0.01)


@pytest.mark.parametrize("forgery", ["counterfeit_copy", "mrz_altered", "photo_substituted",
                                     "uv_feature_missing"])
def test_forgeries_still_flagged_after_calibration(reader_profile: Profile,
                                                   forgery: str) -> None:
    raw = render_specimen(1, dpi=DPI, forgery=forgery, conditions=DRIFTED)[0]
    result = scan_capture(apply(raw, reader_profile))
    assert result.verdict.status == "fail"
    assert any(c.status == "failed" for c in result.checks)
