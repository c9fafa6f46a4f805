"""Dark and flat-field maps: per light and channel, per coarse cell, from the checked references.

The corrected value of a pixel is `(raw - dark) * gain`; the gain maps make the white card read
its nominal values everywhere, and the UV card's fluorescent tile read its known emission.
"""

from __future__ import annotations

import cv2
import numpy as np
from numpy.typing import NDArray

from calibration.errors import CalibrationRejected
from calibration.references import F32, Reference, fluorescent_nominal
from drivers.specimen.references import UV_FLUORESCENT_BOX_MM, WHITE_CARD

MAX_FILLED = 0.25  # at most this share of cells may be filled in from a fitted surface


def _poly_terms(rows: int, cols: int, degree: int = 3) -> NDArray[np.float64]:
    ys, xs = np.mgrid[0:rows, 0:cols].astype(np.float64)
    xs, ys = xs / max(cols - 1, 1) * 2 - 1, ys / max(rows - 1, 1) * 2 - 1
    terms = [xs ** i * ys ** j for i in range(degree + 1) for j in range(degree + 1 - i)]
    return np.stack([t.ravel() for t in terms], axis=1)


def fill_invalid(level: F32, valid: NDArray[np.bool_]) -> F32:
    """Replace invalid cells of each channel by a smooth cubic surface fitted to the valid ones."""
    if valid.all():
        return level
    rows, cols = valid.shape
    terms = _poly_terms(rows, cols)
    out = level.copy()
    for c in range(level.shape[2]):
        coef, *_ = np.linalg.lstsq(terms[valid.ravel()], level[..., c].ravel()[valid.ravel()],
                                   rcond=None)
        fitted = (terms @ coef).reshape(rows, cols).astype(np.float32)
        out[..., c] = np.where(valid, level[..., c], fitted)
    return out


def smooth(cells: F32) -> F32:
    """A light Gaussian smoothing of a coarse map (noise of the cell means)."""
    return np.stack([np.asarray(cv2.GaussianBlur(np.ascontiguousarray(cells[..., c]), (3, 3),
                                                 0.7, borderType=cv2.BORDER_REPLICATE),
                                np.float32) for c in range(cells.shape[2])], axis=2)


def _box_cells(box_mm: tuple[float, float, float, float], rows: int, cols: int,
               ) -> tuple[slice, slice]:
    from drivers.specimen.layout import WINDOW_H_MM, WINDOW_W_MM  # noqa: PLC0415

    x0, y0, x1, y1 = box_mm
    return (slice(int(y0 / WINDOW_H_MM * rows) + 1, int(y1 / WINDOW_H_MM * rows)),
            slice(int(x0 / WINDOW_W_MM * cols) + 1, int(x1 / WINDOW_W_MM * cols)))


def gain_maps(dark: Reference, white: Reference, fluorescent: F32) -> tuple[F32, F32]:
    """The dark map and the gain map (rows, cols, 7) from the dark frame and both cards."""
    dark_map = smooth(dark.cells)
    level = white.cells - dark_map
    valid = (white.clipped < 0.01) & (level[..., :4].min(axis=2) > 0.05)
    if 1.0 - float(valid.mean()) > MAX_FILLED:
        raise CalibrationRejected(
            "white", f"{100 * (1 - float(valid.mean())):.0f} % of the card cannot be measured "
            "(clipped or dark): lower the exposure or clean the glass, and capture again")
    level = smooth(fill_invalid(level, valid))
    nominal = np.asarray([*WHITE_CARD.white, WHITE_CARD.ir], np.float32)
    gain = np.empty_like(level)
    gain[..., :4] = nominal / np.maximum(level[..., :4], np.float32(1e-3))
    # UV: the white card is UV-dull, so its UV image gives only the shape of the UV light
    # (the mean of the three channels, for noise); the fluorescent tile gives the level
    shape = np.maximum(level[..., 4:7].mean(axis=2), np.float32(1e-4))
    rows, cols = shape.shape
    ys, xs = _box_cells(UV_FLUORESCENT_BOX_MM, rows, cols)
    shape = shape / np.float32(shape[ys, xs].mean())
    # tile reading = emission * scale_c * shape there (= 1 after normalising) -> scale_c
    scale = np.maximum(fluorescent, np.float32(1e-3)) / fluorescent_nominal()
    gain[..., 4:7] = 1.0 / (shape[..., None] * scale[None, None, :])
    return dark_map, gain.astype(np.float32)


def light_levels(dark: Reference, white: Reference, fluorescent: F32) -> dict[str, float]:
    """Each light's output relative to a calibrated reader (1.0), at the centre of the window."""
    rows, cols = white.cells.shape[:2]
    centre = (slice(rows // 3, 2 * rows // 3), slice(cols // 3, 2 * cols // 3))
    level = (white.cells[centre] - dark.cells[centre]).reshape(-1, 7).mean(axis=0)
    return {"white": float(level[:3].mean() / np.mean(WHITE_CARD.white)),
            "ir": float(level[3] / WHITE_CARD.ir),
            "uv": float(np.mean(fluorescent / fluorescent_nominal()))}
