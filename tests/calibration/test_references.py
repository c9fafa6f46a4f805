"""Each reference step's check accepts the right capture and refuses the wrong one."""

from __future__ import annotations

import pytest

from calibration import references as refs
from calibration.build import Checked, check_step
from calibration.errors import CalibrationRejected
from calibration.geometry import measure_geometry
from drivers.capture import Capture
from drivers.specimen import render_specimen
from drivers.specimen.references import render_reference
from tests.calibration.conftest import DPI, DRIFTED


@pytest.fixture(scope="module")
def passport() -> Capture:
    """A genuine passport page on the same reader: the wrong thing to calibrate with."""
    return render_specimen(1, dpi=DPI, conditions=DRIFTED)[0]


def test_dark_frame_accepted(references: dict[str, Capture]) -> None:
    dark = refs.check_dark(references["dark"])
    assert dark.cells.mean() == pytest.approx(0.03, abs=0.005)


def test_dark_frame_with_open_lid_refused() -> None:
    with pytest.raises(CalibrationRejected, match="too bright") as err:
        refs.check_dark(render_reference("dark", dpi=DPI, conditions=DRIFTED, lid_open=True))
    assert err.value.step == "dark"


def test_passport_as_dark_frame_refused(passport: Capture) -> None:
    with pytest.raises(CalibrationRejected, match="too bright"):
        refs.check_dark(passport)


def test_white_card_accepted(references: dict[str, Capture]) -> None:
    dark = refs.check_dark(references["dark"])
    white = refs.check_white(references["white"], dark)
    assert white.clipped.mean() == 0.0


def test_passport_as_white_card_refused(references: dict[str, Capture],
                                        passport: Capture) -> None:
    dark = refs.check_dark(references["dark"])
    with pytest.raises(CalibrationRejected, match="not uniform") as err:
        refs.check_white(passport, dark)
    assert err.value.step == "white"


def test_clipped_white_card_refused(references: dict[str, Capture]) -> None:
    dark = refs.check_dark(references["dark"])
    bright = render_reference("white", dpi=DPI, conditions={
        **DRIFTED, "vignetting": 0.05, "drift": {"white": 0.35, "ir": 0.4, "uv": 0.0}})
    with pytest.raises(CalibrationRejected, match="clipped"):
        refs.check_white(bright, dark)


def test_uv_card_accepted(references: dict[str, Capture]) -> None:
    dark = refs.check_dark(references["dark"])
    dull, bright = refs.check_uv(references["uv"], dark)
    assert bright[2] == pytest.approx(0.6 * 0.7, rel=0.1)  # UV output -30 %
    assert dull[2] < 0.05


def test_uv_card_with_open_lid_refused(references: dict[str, Capture]) -> None:
    dark = refs.check_dark(references["dark"])
    with pytest.raises(CalibrationRejected, match="room light"):
        refs.check_uv(render_reference("uv", dpi=DPI, conditions=DRIFTED, lid_open=True), dark)


def test_white_card_in_uv_step_refused(references: dict[str, Capture]) -> None:
    dark = refs.check_dark(references["dark"])
    with pytest.raises(CalibrationRejected, match="does not glow"):
        refs.check_uv(references["white"], dark)


def test_target_measures_the_resolution(references: dict[str, Capture]) -> None:
    geometry = measure_geometry(references["target"])
    assert geometry.dpi == pytest.approx(DPI, rel=0.003)
    assert geometry.corners >= 100
    assert geometry.residual_px < 0.5


def test_target_not_found_refused(passport: Capture) -> None:
    with pytest.raises(CalibrationRejected, match="not found") as err:
        measure_geometry(passport)
    assert err.value.step == "target"


def test_uv_step_needs_the_dark_frame_first(references: dict[str, Capture]) -> None:
    with pytest.raises(CalibrationRejected, match="dark frame must be captured first"):
        check_step("uv", references["uv"], Checked())
