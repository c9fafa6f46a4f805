"""Cut the MRZ out of the full-resolution image, deskewed and scaled to the canonical pitch."""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from scanner.mrz.glyphs import CELL_HEIGHT, PITCH
from scanner.mrz.locate import INK_LEVEL, MrzGeometry, ink_ratio

_TALL_HEIGHT = 21.0  # ink height of letters (20) and digits (22) at glyph scale 1, pixels


@dataclass(frozen=True)
class Canonical:
    """The MRZ at the canonical pitch: ink ratio 0..1 (paper 1), the map from the input image
    into it, and the centre row of every MRZ line."""

    crop: NDArray[np.float32]
    matrix: NDArray[np.float64]  # 2 x 3: input pixel -> crop pixel
    centres: tuple[float, ...]


def canonical(grey: NDArray[np.uint8], geo: MrzGeometry) -> Canonical:
    """The MRZ deskewed and scaled so that its pitch is PITCH pixels."""
    scale = PITCH / geo.pitch
    cx, cy = geo.centre
    angle = math.atan(geo.slope)
    ys = [r.y_at(cx) for r in geo.rows]
    width = (geo.length + 3) * PITCH
    height = int((ys[-1] - ys[0]) * scale * math.cos(angle) + 3 * CELL_HEIGHT)
    matrix = np.asarray(cv2.getRotationMatrix2D((cx, cy), math.degrees(angle), scale),
                        dtype=np.float64)
    matrix[:, 2] += np.array([width / 2 - cx, height / 2 - cy])
    inverse = cv2.invertAffineTransform(matrix)
    corners = np.array([[0, 0, 1], [width, 0, 1], [0, height, 1], [width, height, 1]], float)
    src = corners @ inverse.T
    margin = 2 / scale
    x0 = max(0, int(src[:, 0].min() - margin))
    y0 = max(0, int(src[:, 1].min() - margin))
    x1 = min(grey.shape[1], int(src[:, 0].max() + margin) + 1)
    y1 = min(grey.shape[0], int(src[:, 1].max() + margin) + 1)
    region: NDArray[np.uint8] = grey[y0:y1, x0:x1]
    # shrink with area averaging first (no aliasing), then only rotate: region pixel q maps
    # to input pixel (x0, y0) + q / pre, hence to the crop by A / pre and A (x0, y0) + b.
    pre = scale if scale < 0.8 else 1.0
    if pre != 1.0:
        region = np.asarray(cv2.resize(region, None, fx=pre, fy=pre,
                                       interpolation=cv2.INTER_AREA), dtype=np.uint8)
    local = matrix.copy()
    local[:, :2] /= pre
    local[:, 2] += matrix[:, :2] @ np.array([x0, y0], float)
    crop = cv2.warpAffine(region, local, (width, height), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_REPLICATE)
    ratio = ink_ratio(np.asarray(crop, dtype=np.uint8))
    centres = tuple(height / 2 + (y - cy) * scale * math.cos(angle) for y in ys)
    return Canonical(np.asarray(ratio, dtype=np.float32) / 255.0, matrix, centres)


def line_cells(crop: NDArray[np.float32], centre: float, length: int) -> tuple[
        float, float, float, float]:
    """Refined vertical centre, left edge of the first cell, pitch and a first glyph scale."""
    band_top = max(0, int(centre - 0.6 * CELL_HEIGHT))
    band = crop[band_top:int(centre + 0.6 * CELL_HEIGHT)]
    _, _, stats, _ = cv2.connectedComponentsWithStats((band < INK_LEVEL / 255.0).astype(np.uint8))
    blobs = stats[1:][(stats[1:, 3] >= 5) & (stats[1:, 2] <= 1.5 * PITCH)]
    if len(blobs) < 5:
        return centre, (crop.shape[1] - length * PITCH) / 2, float(PITCH), 1.0
    h = blobs[:, 3]
    tall = blobs[h >= 0.8 * h.max()]
    top = float(np.median(tall[:, 1])) + band_top
    bottom = float(np.median(tall[:, 1] + tall[:, 3])) + band_top
    scale = float(np.percentile(tall[:, 3], 75)) / _TALL_HEIGHT  # fillers are a bit lower
    cx = np.sort(blobs[:, 0] + blobs[:, 2] / 2)
    k = np.round((cx - cx[0]) / PITCH)
    if np.ptp(k) + 1 > length:  # something before the first character: align on the right
        k = k - k.max() + length - 1
    pitch, offset = float(PITCH), float(np.median(cx - k * PITCH))
    for _ in range(2):  # least squares on the blobs that sit near their cell centre
        near = np.abs(cx - (offset + k * pitch)) < 0.3 * PITCH
        if near.sum() < 5 or np.ptp(k[near]) < length / 2:
            break
        pitch, offset = (float(v) for v in np.polyfit(k[near], cx[near], 1))
    return (top + bottom) / 2, offset - pitch / 2, pitch, scale
