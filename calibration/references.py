"""Check each reference capture (dark frame, white card, UV card) and measure it on a coarse grid.

Every check raises `CalibrationRejected` naming the step and what the admin should do, so that
a wrong card, an open lid or lights left on never become a profile.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from calibration.errors import CalibrationRejected
from drivers.capture import Capture
from drivers.specimen.references import (
    UV_DULL,
    UV_DULL_BOX_MM,
    UV_FLUORESCENT,
    UV_FLUORESCENT_BOX_MM,
    window_box_px,
)

F32 = NDArray[np.float32]
GRID = (40, 30)  # coarse cells (columns, rows) over the reader window: about 3.4 mm each
CHANNELS = ("white_r", "white_g", "white_b", "ir", "uv_r", "uv_g", "uv_b")
LIGHT_CHANNELS = {"white": (0, 1, 2), "ir": (3,), "uv": (4, 5, 6)}
DARK_MAX = 0.06          # a dark frame brighter than this has light in it
WHITE_MIN = 0.25         # the white card reads at least this (dark subtracted) in white and IR
UNIFORM_MIN = 0.55       # darkest over brightest cell of the card: vignetting alone stays > 0.65
FINE_MAX = 0.12          # 99th percentile of fine structure relative to the level: print, edges
SATURATED_MAX = 0.02     # share of clipped pixels the flat field can fill in from around them
ROOM_LIGHT_MAX = 0.025   # neutral light in the dull UV tile, relative to the fluorescent tile
UV_CONTRAST_MIN = 4.0    # fluorescent over dull tile (blue): the card is there and the LED on


@dataclass(frozen=True)
class Reference:
    """One checked reference: coarse cell means per channel and the clipped share per cell."""

    cells: F32          # (rows, cols, 7) mean relative value, dark not yet subtracted
    clipped: F32        # (rows, cols) share of saturated pixels


def channels(capture: Capture) -> F32:
    """The capture as float32 (h, w, 7): white RGB, IR, UV RGB, relative 0..1."""
    white = capture.white.astype(np.float32) / np.float32(255.0)
    uv = capture.uv.astype(np.float32) / np.float32(255.0)
    return np.concatenate([white, capture.ir_float()[..., None], uv], axis=2)


def coarse(image: F32, grid: tuple[int, int] = GRID) -> F32:
    """Cell means of an (h, w, c) or (h, w) image on `grid` (columns, rows)."""
    if image.ndim == 2:
        return np.asarray(cv2.resize(image, grid, interpolation=cv2.INTER_AREA), np.float32)
    return np.stack([coarse(np.ascontiguousarray(image[..., c], np.float32), grid)
                     for c in range(image.shape[2])], axis=2)


def measure(capture: Capture) -> Reference:
    """Cell means and clipped shares of a reference capture."""
    planes = channels(capture)
    clipped: F32 = np.asarray((planes[..., :4] >= np.float32(254.5 / 255)).any(axis=2),
                              np.float32)
    return Reference(cells=coarse(planes), clipped=coarse(clipped))


def check_dark(capture: Capture) -> Reference:
    """The dark frame: lights off, lid closed, so every light reads only the sensor's offset."""
    ref = measure(capture)
    levels = ref.cells.reshape(-1, 7).mean(axis=0)
    worst = int(np.argmax(levels))
    if levels[worst] > DARK_MAX:
        raise CalibrationRejected(
            "dark", f"the dark frame is too bright ({CHANNELS[worst]} {levels[worst]:.3f}, "
            f"limit {DARK_MAX}): light reaches the sensor. Close the lid, switch the LEDs off "
            "and capture again")
    return ref


def check_white(capture: Capture, dark: Reference) -> Reference:
    """The white reference card: bright, uniform apart from vignetting, not clipped."""
    ref = measure(capture)
    level = ref.cells[..., :4] - dark.cells[..., :4]
    centre = np.median(level.reshape(-1, 4), axis=0)
    if float(centre.min()) < WHITE_MIN:
        raise CalibrationRejected(
            "white", f"the white card reads too dark ({float(centre.min()):.2f}, at least "
            f"{WHITE_MIN}): is the card on the glass and are the white and IR LEDs working?")
    shape = level / np.maximum(np.percentile(level, 95, axis=(0, 1)), 1e-3)
    if float(shape.min()) < UNIFORM_MIN:
        raise CalibrationRejected(
            "white", f"the card is not uniform (darkest part {float(shape.min()):.2f} of the "
            "brightest): this is not the white reference card, or it does not cover the whole "
            "window. Place the white card face down and close the lid")
    fine = _fine_structure(capture)
    if fine > FINE_MAX:
        raise CalibrationRejected(
            "white", f"the card shows print or dirt (fine structure {fine:.2f}, limit "
            f"{FINE_MAX}): place the clean white reference card, not a document")
    clipped = float(ref.clipped.mean())
    if clipped > SATURATED_MAX:
        raise CalibrationRejected(
            "white", f"{100 * clipped:.0f} % of the card is clipped at full scale: the LEDs "
            "are brighter than the sensor's range; lower the exposure and capture again")
    return ref


def _fine_structure(capture: Capture) -> float:
    """99th percentile of |grey - local mean| relative to the local mean, on a 1/4 image."""
    grey = cv2.cvtColor(capture.white, cv2.COLOR_RGB2GRAY).astype(np.float32) / np.float32(255)
    small = cv2.resize(grey, (grey.shape[1] // 4, grey.shape[0] // 4),
                       interpolation=cv2.INTER_AREA)
    local = cv2.blur(small, (15, 15))
    rel = np.abs(small - local) / np.maximum(local, np.float32(0.05))
    return float(np.percentile(rel[8:-8, 8:-8], 99))


def tile_means(capture: Capture, dark: Reference) -> tuple[F32, F32]:
    """Mean UV RGB of the UV card's dull and fluorescent tiles, dark subtracted (inner 80 %)."""
    planes = channels(capture)[..., 4:7]
    dark_uv = dark.cells[..., 4:7].reshape(-1, 3).mean(axis=0)
    out = []
    for box in (UV_DULL_BOX_MM, UV_FLUORESCENT_BOX_MM):
        x0, y0, x1, y1 = window_box_px(box, planes.shape)
        mx, my = (x1 - x0) // 10, (y1 - y0) // 10
        tile = planes[y0 + my:y1 - my, x0 + mx:x1 - mx].reshape(-1, 3).mean(axis=0)
        out.append((tile - dark_uv).astype(np.float32))
    return out[0], out[1]


def check_uv(capture: Capture, dark: Reference) -> tuple[F32, F32]:
    """The UV card: the fluorescent tile glows, the dull tile stays dull, no room light."""
    dull, bright = tile_means(capture, dark)
    if float(bright[2]) < 0.1 or float(bright[2]) < UV_CONTRAST_MIN * max(float(dull[2]), 1e-3):
        raise CalibrationRejected(
            "uv", f"the UV card's fluorescent tile does not glow (blue {float(bright[2]):.3f}, "
            f"dull tile {float(dull[2]):.3f}): place the UV reference card, tiles up, and check "
            "that the UV LEDs light")
    # the dull tile is violet (green about half its blue); room light through an open lid
    # is neutral, so it shows as green in excess of what the tile's blue explains
    nominal = UV_DULL.uv[1] / UV_DULL.uv[2]
    leak = (float(dull[1]) - nominal * float(dull[2])) / (1.0 - nominal)
    if leak > ROOM_LIGHT_MAX * float(bright[2]):
        raise CalibrationRejected(
            "uv", f"room light leaks into the UV image ({leak:.3f}, "
            f"{100 * leak / float(bright[2]):.1f} % of the fluorescent tile): close the lid "
            "or dim the room and capture again")
    return dull, bright


def fluorescent_nominal() -> F32:
    """The UV card fluorescent tile's known emission (RGB)."""
    return np.asarray(UV_FLUORESCENT.uv, np.float32)
