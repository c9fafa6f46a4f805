"""Locate and read an MRZ in an image with our own OCR-B template recogniser (no tesseract)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import NDArray

from scanner.mrz.glyphs import ALPHABET, CELL_HEIGHT, PITCH, template_matrix
from scanner.mrz.locate import INK_LEVEL, MrzGeometry, find_mrz, ink_ratio

Box = tuple[int, int, int, int]
_SHIFT = 3  # template search radius in canonical pixels
_PLAUSIBLE_CONFIDENCE = 0.55


@dataclass(frozen=True)
class MrzReading:
    """Text read from an MRZ, where it is, its orientation and per-character confidence."""

    lines: tuple[str, ...]
    rotation: int
    box: Box
    char_boxes: tuple[tuple[Box, ...], ...]
    confidence: tuple[tuple[float, ...], ...]

    @property
    def mean_confidence(self) -> float:
        """Mean per-character confidence."""
        values = [c for line in self.confidence for c in line]
        return float(np.mean(values)) if values else 0.0


def to_grey(image: NDArray[np.generic]) -> NDArray[np.uint8]:
    """8-bit grey in which only dark (black) ink stays dark: the brightest channel of RGB."""
    data = np.asarray(image)
    if data.ndim == 3:
        channels = cv2.split(np.ascontiguousarray(data[..., :3]))
        data = channels[0]
        for channel in channels[1:]:
            data = cv2.max(data, channel)
    if data.dtype == np.uint8:
        return np.ascontiguousarray(data)
    if data.dtype == np.uint16:
        return np.asarray(data // 257, dtype=np.uint8)
    if np.issubdtype(data.dtype, np.floating):
        return np.asarray(np.clip(data, 0.0, 1.0) * 255 + 0.5, dtype=np.uint8)
    return np.asarray(np.clip(data, 0, 255), dtype=np.uint8)


def _canonical(ratio: NDArray[np.uint8], geo: MrzGeometry) -> tuple[
        NDArray[np.float32], NDArray[np.float64], list[float]]:
    """The MRZ deskewed and scaled to the canonical pitch; the affine map and row centres."""
    scale = PITCH / geo.pitch
    cx, cy = geo.centre
    ys = [r.y_at(cx) for r in geo.rows]
    width = (geo.length + 3) * PITCH
    height = int((ys[-1] - ys[0]) * scale + 3 * CELL_HEIGHT)
    matrix = np.asarray(cv2.getRotationMatrix2D((cx, cy), math.degrees(math.atan(geo.slope)),
                                                scale), dtype=np.float64)
    matrix[:, 2] += np.array([width / 2 - cx, height / 2 - cy])
    crop = cv2.warpAffine(ratio, matrix, (width, height), flags=cv2.INTER_AREA
                          if scale < 1 else cv2.INTER_LINEAR, borderValue=255)
    centres = [height / 2 + (y - cy) * scale * math.cos(math.atan(geo.slope)) for y in ys]
    return np.asarray(crop, dtype=np.float32) / 255.0, matrix, centres


def _line_cells(crop: NDArray[np.float32], centre: float, length: int) -> tuple[
        float, float, float]:
    """Refined vertical centre, left edge of the first cell and pitch of one canonical line."""
    band_top = max(0, int(centre - 0.6 * CELL_HEIGHT))
    band = crop[band_top:int(centre + 0.6 * CELL_HEIGHT)]
    _, _, stats, _ = cv2.connectedComponentsWithStats((band < INK_LEVEL / 255.0).astype(np.uint8))
    blobs = stats[1:][(stats[1:, 3] >= 5) & (stats[1:, 2] <= 1.5 * PITCH)]
    if len(blobs) < 5:
        return centre, (crop.shape[1] - length * PITCH) / 2, float(PITCH)
    h = blobs[:, 3]
    tall = blobs[h >= 0.8 * h.max()]
    top = float(np.median(tall[:, 1])) + band_top
    bottom = float(np.median(tall[:, 1] + tall[:, 3])) + band_top
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
    return (top + bottom) / 2, offset - pitch / 2, pitch


def _classify(crop: NDArray[np.float32], centre: float, left: float, pitch: float,
              length: int) -> tuple[
        str, list[float], list[tuple[int, int]]]:
    """Best template per cell: text, confidence and cell origins (canonical coordinates)."""
    pad = PITCH * 2
    ink = np.pad(1.0 - crop, pad, constant_values=0.0)
    top = round(centre - CELL_HEIGHT / 2) + pad - _SHIFT
    windows = []
    origins = []
    for i in range(length):
        x = round(left + i * pitch) + pad - _SHIFT
        windows.append(ink[top:top + CELL_HEIGHT + 2 * _SHIFT, x:x + PITCH + 2 * _SHIFT])
        origins.append((x - pad + _SHIFT, top - pad + _SHIFT))
    stack = np.stack(windows)
    views = sliding_window_view(stack, (CELL_HEIGHT, PITCH), axis=(1, 2))
    patches = views.reshape(length * (2 * _SHIFT + 1) ** 2, -1)
    patches = patches - patches.mean(axis=1, keepdims=True)
    patches /= np.linalg.norm(patches, axis=1, keepdims=True) + 1e-6
    scores = (patches @ template_matrix()).reshape(length, -1, len(ALPHABET))
    best = scores.max(axis=1)
    chars = best.argmax(axis=1)
    shifts = scores.max(axis=2).argmax(axis=1)
    side = 2 * _SHIFT + 1
    cells = [(ox + int(s % side) - _SHIFT, oy + int(s // side) - _SHIFT)
             for (ox, oy), s in zip(origins, shifts, strict=True)]
    text = "".join(ALPHABET[c] for c in chars)
    confidence = [float(np.clip(best[i, c], 0.0, 1.0)) for i, c in enumerate(chars)]
    return text, confidence, cells


def _read_canonical(crop: NDArray[np.float32], centres: list[float], length: int) -> tuple[
        list[str], list[list[float]], list[list[tuple[int, int]]]]:
    """Read every line of a canonical crop."""
    lines, confidence, cells = [], [], []
    for centre in centres:
        y, left, pitch = _line_cells(crop, centre, length)
        text, conf, origin = _classify(crop, y, left, pitch, length)
        lines.append(text)
        confidence.append(conf)
        cells.append(origin)
    return lines, confidence, cells


def _to_input(points: NDArray[np.float64], inverse: NDArray[np.float64], *, flipped: bool,
              size: tuple[int, int], crop_shape: tuple[int, ...], turned: bool) -> Box:
    """Axis-aligned input-image box around canonical-crop points."""
    pts = points.copy()
    if flipped:
        pts[:, 0] = crop_shape[1] - pts[:, 0]
        pts[:, 1] = crop_shape[0] - pts[:, 1]
    page = pts @ inverse[:, :2].T + inverse[:, 2]
    if turned:  # page = input turned 90 degrees clockwise: input x = page y, y = H - page x
        page = np.stack([page[:, 1], size[0] - page[:, 0]], axis=1)
    x0, y0 = np.floor(page.min(axis=0))
    x1, y1 = np.ceil(page.max(axis=0))
    x0, y0 = max(0, int(x0)), max(0, int(y0))
    return x0, y0, min(size[1], int(x1)) - x0, min(size[0], int(y1)) - y0


def _read_page(ratio: NDArray[np.uint8], dpi: float | None, turned: bool,
               size: tuple[int, int]) -> MrzReading | None:
    """Find and read the MRZ on a page that is upright or upside down."""
    geo = find_mrz(ratio, dpi)
    if geo is None:
        return None
    crop, matrix, centres = _canonical(ratio, geo)
    inverse = np.asarray(cv2.invertAffineTransform(matrix), dtype=np.float64)
    best: MrzReading | None = None
    for flipped in (False, True):
        image = crop[::-1, ::-1] if flipped else crop
        rows = [crop.shape[0] - c for c in reversed(centres)] if flipped else centres
        lines, conf, cells = _read_canonical(np.ascontiguousarray(image), rows, geo.length)
        boxes = []
        for line_cells in cells:
            line_boxes = []
            for x, y in line_cells:
                pts = np.array([[x, y], [x + PITCH, y], [x, y + CELL_HEIGHT],
                                [x + PITCH, y + CELL_HEIGHT]], dtype=np.float64)
                line_boxes.append(_to_input(pts, inverse, flipped=flipped, size=size,
                                             crop_shape=crop.shape, turned=turned))
            boxes.append(tuple(line_boxes))
        corners = np.array([[b[0], b[1]] for line in boxes for b in line]
                           + [[b[0] + b[2], b[1] + b[3]] for line in boxes for b in line])
        x0, y0 = corners.min(axis=0)
        x1, y1 = corners.max(axis=0)
        rotation = ((90 if turned else 0) + (180 if flipped else 0)) % 360
        reading = MrzReading(tuple(lines), rotation, (int(x0), int(y0), int(x1 - x0),
                             int(y1 - y0)), tuple(boxes), tuple(tuple(c) for c in conf))
        if best is None or reading.mean_confidence > best.mean_confidence:
            best = reading
    return best


def read_mrz(image: NDArray[np.generic], *, dpi: float | None = None) -> MrzReading | None:
    """Locate and read the MRZ in any of four orientations; None when no MRZ is found."""
    grey = to_grey(image)
    size = (grey.shape[0], grey.shape[1])
    ratio = ink_ratio(grey)
    reading = _read_page(ratio, dpi, False, size)
    if reading is not None and reading.mean_confidence >= _PLAUSIBLE_CONFIDENCE:
        return reading
    turned = np.ascontiguousarray(np.rot90(ratio, -1), dtype=np.uint8)
    sideways = _read_page(turned, dpi, True, size)
    if sideways is not None and (reading is None
                                 or sideways.mean_confidence > reading.mean_confidence):
        return sideways
    return reading


def read_mrz_lights(ir: NDArray[np.generic] | None, white: NDArray[np.generic] | None, *,
                    dpi: float | None = None) -> tuple[MrzReading, str] | None:
    """Read the MRZ from the IR image when plausible, else from the white-light image."""
    ir_reading = read_mrz(ir, dpi=dpi) if ir is not None else None
    if ir_reading is not None and ir_reading.mean_confidence >= _PLAUSIBLE_CONFIDENCE:
        return ir_reading, "ir"
    white_reading = read_mrz(white, dpi=dpi) if white is not None else None
    if white_reading is not None and (
            ir_reading is None or white_reading.mean_confidence >= ir_reading.mean_confidence):
        return white_reading, "white"
    return (ir_reading, "ir") if ir_reading is not None else None
