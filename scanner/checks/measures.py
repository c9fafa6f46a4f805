"""Measures shared by the optical checks: region masks and UV glow, on downscaled pages."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from scanner.document_models import Region

WORK_DPI = 100.0  # resolution of the area measures; fine detail is not needed for them


def region_mask(shape: tuple[int, ...], region: Region, dpi: float = WORK_DPI,
                grow_mm: float = 0.0) -> NDArray[np.bool_]:
    """Pixels of a model region (grown or shrunk by `grow_mm`) on an image at `dpi`."""
    s = dpi / 25.4
    height, width = shape[:2]
    yy, xx = np.mgrid[0:height, 0:width]
    if region.circle is not None:
        cx, cy, r = region.circle
        return np.asarray(np.hypot(xx / s - cx, yy / s - cy) <= r + grow_mm, dtype=bool)
    x, y, w, h = region.bounds
    return np.asarray((xx / s >= x - grow_mm) & (xx / s < x + w + grow_mm)
                      & (yy / s >= y - grow_mm) & (yy / s < y + h + grow_mm), dtype=bool)


def yellow_green_glow(uv: NDArray[np.float32]) -> NDArray[np.float32]:
    """Emission of the issuer's yellow-green UV ink: red and green above blue, else 0."""
    glow: NDArray[np.float32] = np.clip(np.minimum(uv[..., 0], uv[..., 1]) - uv[..., 2], 0, None)
    return glow

