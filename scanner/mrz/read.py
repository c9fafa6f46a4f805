"""Locate and read an MRZ in an image with our own OCR-B template recogniser (no tesseract).

Rows are looked for on a shrunken copy of the image (pitch ~16 pixels); only the MRZ band is
then cut from the full-resolution image, deskewed and scaled to the canonical pitch, and
read in both directions at once (turned templates), so that an upside-down page costs
nothing extra.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from scanner.mrz.canonical import Canonical, canonical, line_cells
from scanner.mrz.classify import (
    CellScores,
    Ink,
    allowed_masks,
    best_scale,
    decode,
    preload,
    rescore,
    score_both_ways,
)
from scanner.mrz.glyphs import ALPHABET, CELL_HEIGHT, PITCH
from scanner.mrz.locate import MrzGeometry, coarse_factor, find_mrz, ink_ratio, shrink

Box = tuple[int, int, int, int]
_SHIFT = 2  # template search radius in canonical pixels (first pass)
_PAD = 2 * PITCH  # margin around the canonical crop so that every cell window fits
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
        return np.asarray(cv2.convertScaleAbs(data, alpha=1 / 257), dtype=np.uint8)
    if data.dtype in (np.float32, np.float64):
        return np.asarray(cv2.convertScaleAbs(np.maximum(data, 0), alpha=255.0), dtype=np.uint8)
    return np.asarray(np.clip(data, 0, 255), dtype=np.uint8)


@dataclass(frozen=True)
class _Lines:
    """Scores and decoded characters of every line of one reading direction."""

    cells: tuple[CellScores, ...]
    masks: tuple[NDArray[np.bool_], ...]
    chars: tuple[NDArray[np.int64], ...]

    @property
    def mean_score(self) -> float:
        """Mean correlation of the decoded characters."""
        return float(np.mean([c.scores[np.arange(len(k)), k]
                              for c, k in zip(self.cells, self.chars, strict=True)]))


def _decoded(cells: list[CellScores], length: int) -> _Lines:
    """Decode lines with the classes the layout allows at each position."""
    masks = allowed_masks(len(cells), length, cells[0].scores[0]) or tuple(
        np.ones(c.scores.shape, dtype=np.bool_) for c in cells)
    chars = [decode(c.scores, m) for c, m in zip(cells, masks, strict=True)]
    return _Lines(tuple(cells), tuple(masks), tuple(chars))


def _first_pass(canon: Canonical, ink: Ink, length: int) -> tuple[
        _Lines, _Lines]:
    """Every line scored at its first scale estimate, read upright and upside down."""
    upright: list[CellScores] = []
    turned: list[CellScores] = []
    for centre in canon.centres:
        y, left, pitch, scale = line_cells(canon.crop, centre, length)
        top = round(y - CELL_HEIGHT / 2) + _PAD
        origins = [(round(left + i * pitch) + _PAD, top) for i in range(length)]
        up, down = score_both_ways(ink, origins, _SHIFT, scale)
        upright.append(up)
        turned.insert(0, down)
    return _decoded(upright, length), _decoded(turned, length)


def _refine(ink: Ink, lines: _Lines) -> _Lines:
    """Search the glyph scale per line and decode again at the best one."""
    cells, chars = [], []
    for first, mask, read in zip(lines.cells, lines.masks, lines.chars, strict=True):
        scale = best_scale(ink, first, mask)
        cell = rescore(ink, first, read, scale) if scale != first.scale else first
        cells.append(cell)
        chars.append(decode(cell.scores, mask) if cell is not first else read)
    return _Lines(tuple(cells), lines.masks, tuple(chars))


def _to_input(origins: NDArray[np.int64], inverse: NDArray[np.float64], *,
              size: tuple[int, int], turned: bool) -> list[Box]:
    """Axis-aligned input-image boxes around canonical cells with these top-left corners."""
    corner = np.array([[0, 0], [PITCH, 0], [0, CELL_HEIGHT], [PITCH, CELL_HEIGHT]], float)
    points = (origins[:, None, :] - _PAD + corner[None]).reshape(-1, 2)
    page = points @ inverse[:, :2].T + inverse[:, 2]
    if turned:  # page = input turned 90 degrees clockwise: input x = page y, y = H - page x
        page = np.stack([page[:, 1], size[0] - page[:, 0]], axis=1)
    page = page.reshape(len(origins), 4, 2)
    low = np.maximum(np.floor(page.min(axis=1)), 0).astype(int)
    high = np.ceil(page.max(axis=1)).astype(int)
    high = np.minimum(high, np.array([size[1], size[0]]))
    return [(int(x0), int(y0), int(x1 - x0), int(y1 - y0))
            for (x0, y0), (x1, y1) in zip(low, high, strict=True)]


def _reading(lines: _Lines, canon: Canonical, *, flipped: bool, turned: bool,
             size: tuple[int, int]) -> MrzReading:
    """The reading of decoded lines, with boxes in input-image pixels."""
    inverse = np.asarray(cv2.invertAffineTransform(canon.matrix), dtype=np.float64)
    texts, confidence, boxes = [], [], []
    for cell, chars in zip(lines.cells, lines.chars, strict=True):
        texts.append("".join(ALPHABET[c] for c in chars))
        rows = np.arange(len(chars))
        confidence.append(tuple(float(np.clip(v, 0.0, 1.0)) for v in cell.scores[rows, chars]))
        boxes.append(tuple(_to_input(cell.origins[rows, chars], inverse, size=size,
                                     turned=turned)))
    corners = np.array([[b[0], b[1]] for line in boxes for b in line]
                       + [[b[0] + b[2], b[1] + b[3]] for line in boxes for b in line])
    x0, y0 = corners.min(axis=0)
    x1, y1 = corners.max(axis=0)
    rotation = ((90 if turned else 0) + (180 if flipped else 0)) % 360
    return MrzReading(tuple(texts), rotation, (int(x0), int(y0), int(x1 - x0), int(y1 - y0)),
                      tuple(boxes), tuple(confidence))


def _geometries(grey: NDArray[np.uint8], dpi: float | None) -> Iterator[MrzGeometry]:
    """MRZ candidates in full-resolution pixels, looked for on the smallest copy first; the
    larger copies only serve when the smaller one shows no plausible MRZ (faint or blurred
    print can vanish when shrunk)."""
    factor = coarse_factor(grey.shape, dpi)
    while factor >= 1:
        geo = find_mrz(ink_ratio(shrink(grey, factor)), dpi / factor if dpi else None)
        if geo is not None:
            yield geo.scaled(factor)
        factor //= 2


def _read_page(grey: NDArray[np.uint8], dpi: float | None, turned: bool,
               size: tuple[int, int]) -> MrzReading | None:
    """Find and read the MRZ on a page that is upright or upside down."""
    best: MrzReading | None = None
    for geo in _geometries(grey, dpi):
        canon = canonical(grey, geo)
        ink = Ink.of(canon.crop, _PAD)
        upright, upside_down = _first_pass(canon, ink, geo.length)
        flipped = upside_down.mean_score > upright.mean_score
        lines = _refine(ink, upside_down if flipped else upright)
        reading = _reading(lines, canon, flipped=flipped, turned=turned, size=size)
        if best is None or reading.mean_confidence > best.mean_confidence:
            best = reading
        if best.mean_confidence >= _PLAUSIBLE_CONFIDENCE:
            break
    return best


def read_mrz(image: NDArray[np.generic], *, dpi: float | None = None,
             sideways: bool = True) -> MrzReading | None:
    """Locate and read the MRZ in any of four orientations (only upright or upside down
    without `sideways`); None when no MRZ is found."""
    grey = to_grey(image)
    size = (grey.shape[0], grey.shape[1])
    reading = _read_page(grey, dpi, False, size)
    if not sideways or (reading is not None
                        and reading.mean_confidence >= _PLAUSIBLE_CONFIDENCE):
        return reading
    turned = np.ascontiguousarray(np.rot90(grey, -1))
    across = _read_page(turned, dpi, True, size)
    if across is not None and (reading is None
                               or across.mean_confidence > reading.mean_confidence):
        return across
    return reading


def read_mrz_lights(ir: NDArray[np.generic] | None, white: NDArray[np.generic] | None, *,
                    dpi: float | None = None, sideways: bool = True,
                    ) -> tuple[MrzReading, str] | None:
    """Read the MRZ from the IR image when plausible, else from the white-light image."""
    ir_reading = read_mrz(ir, dpi=dpi, sideways=sideways) if ir is not None else None
    if ir_reading is not None and ir_reading.mean_confidence >= _PLAUSIBLE_CONFIDENCE:
        return ir_reading, "ir"
    white_reading = read_mrz(white, dpi=dpi, sideways=sideways) if white is not None else None
    if white_reading is not None and (
            ir_reading is None or white_reading.mean_confidence >= ir_reading.mean_confidence):
        return white_reading, "white"
    return (ir_reading, "ir") if ir_reading is not None else None


def warm_up() -> None:
    """Prepare the templates of every glyph scale, so that the first read is as fast as later."""
    preload()
