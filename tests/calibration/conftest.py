"""Shared fixtures: a drifted simulated reader's references and its profile (rendered once)."""

from __future__ import annotations

import pytest

from calibration.build import build_profile
from calibration.profile import Profile
from drivers.capture import Capture
from drivers.specimen.references import render_reference_set

DPI = 150
# the drifted reader of issue 6: 25 % vignetting, UV -30 %, IR +15 %, a small dark offset
DRIFTED: dict[str, object] = {"vignetting": 0.25, "drift": {"white": 0.0, "ir": 0.15, "uv": -0.30},
                              "dark_offset": 0.03, "device_seed": 11}


@pytest.fixture(scope="package")
def references() -> dict[str, Capture]:
    """The four reference captures of the drifted reader."""
    return render_reference_set(dpi=DPI, conditions=DRIFTED)


@pytest.fixture(scope="package")
def profile(references: dict[str, Capture]) -> Profile:
    """The drifted reader's profile."""
    return build_profile(references)
