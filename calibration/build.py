"""Build a profile from the four reference captures, checking each step on the way."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from calibration.errors import CalibrationRejected
from calibration.flatfield import gain_maps, light_levels
from calibration.geometry import measure_geometry
from calibration.profile import DEFAULT_VALIDITY, Profile, with_id
from calibration.references import F32, Reference, check_dark, check_uv, check_white
from drivers.capture import Capture


@dataclass(frozen=True)
class Step:
    """One step of a guided calibration: which reference, and what the admin does."""

    kind: str
    title: str
    instruction: str


# in this order the admin never has to open the lid with the LEDs on
STEPS = (
    Step("dark", "dark frame", "Remove everything from the glass, close the lid; the LEDs "
         "stay off for this frame."),
    Step("target", "geometry target", "Place the ChArUco geometry target printed side down, "
         "flat, and close the lid."),
    Step("uv", "UV reference card", "Place the UV reference card, tiles down, and close the "
         "lid."),
    Step("white", "white reference card", "Place the white reference card face down, covering "
         "the whole window, and close the lid."),
)
KINDS = tuple(step.kind for step in STEPS)


@dataclass
class Checked:
    """References checked so far (each step fills its part)."""

    dark: Reference | None = None
    white: Reference | None = None
    fluorescent: F32 | None = None
    geometry: dict[str, float | int] | None = None


def check_step(kind: str, capture: Capture, checked: Checked) -> str:
    """Check one reference capture; records what it measured; returns a one-line summary."""
    if kind == "dark":
        checked.dark = check_dark(capture)
        return f"dark level {float(checked.dark.cells.mean()):.3f}"
    if kind == "target":
        geometry = measure_geometry(capture)
        checked.geometry = geometry.to_json()
        return (f"{geometry.corners} corners, {geometry.dpi_x:.1f} x {geometry.dpi_y:.1f} dpi, "
                f"fit {geometry.residual_px:.2f} px")
    if checked.dark is None:
        raise CalibrationRejected(kind, "the dark frame must be captured first")
    if kind == "uv":
        dull, bright = check_uv(capture, checked.dark)
        checked.fluorescent = bright
        return f"fluorescent tile {float(bright[2]):.3f}, dull tile {float(dull[2]):.3f} (blue)"
    if kind == "white":
        checked.white = check_white(capture, checked.dark)
        return f"card level {float((checked.white.cells - checked.dark.cells).mean()):.3f}"
    raise CalibrationRejected(kind, f"unknown step; the steps are {', '.join(KINDS)}")


def build_profile(references: Mapping[str, Capture], *, at: datetime | None = None,
                  validity: timedelta = DEFAULT_VALIDITY,
                  progress: Callable[[str], None] | None = None) -> Profile:
    """Check the references (dark, target, uv, white) and compute the device's profile."""
    missing = [kind for kind in KINDS if kind not in references]
    if missing:
        raise CalibrationRejected(missing[0], f"reference capture missing ({', '.join(missing)})")
    serials = {references[kind].device.serial for kind in KINDS}
    if len(serials) != 1:
        raise CalibrationRejected("device", f"the references come from different readers "
                                  f"({', '.join(sorted(serials))})")
    sizes = {references[kind].white.shape[:2] for kind in KINDS}
    if len(sizes) != 1 or len({references[kind].dpi for kind in KINDS}) != 1:
        raise CalibrationRejected("device", "the references differ in size or resolution; "
                                  "capture them all in one resolution mode")
    checked = Checked()
    for number, step in enumerate(STEPS, 1):
        summary = check_step(step.kind, references[step.kind], checked)
        if progress is not None:
            progress(f"[{number}/{len(STEPS)}] {step.title}: ok ({summary})")
    return finish(checked, references["white"], at=at, validity=validity)


def finish(checked: Checked, white: Capture, *, at: datetime | None = None,
           validity: timedelta = DEFAULT_VALIDITY) -> Profile:
    """The profile from completely checked references."""
    if checked.dark is None or checked.white is None or checked.geometry is None \
            or checked.fluorescent is None:
        raise CalibrationRejected("profile", "not every reference was checked")
    dark_map, gain = gain_maps(checked.dark, checked.white, checked.fluorescent)
    created = at or white.captured_at
    return with_id(Profile(
        device=white.device, created_at=created, expires_at=created + validity, dpi=white.dpi,
        geometry=checked.geometry,
        levels=light_levels(checked.dark, checked.white, checked.fluorescent),
        dark=dark_map, gain=gain))
