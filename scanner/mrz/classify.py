"""Classify MRZ character cells: template correlation, glyph-scale search, field-aware decoding.

Print size varies between documents (and between printers of one issuer), while the 10 cpi
pitch does not; the reader therefore rescales the MRZ to the canonical pitch and searches the
glyph scale per line. Decoding restricts every position to the characters ICAO 9303 allows
there (digits in dates and check digits, letters in names and codes, ...), which removes the
OCR-B look-alike confusions (0/O, 1/I, 8/B, ...) wherever the layout decides them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import NDArray

from scanner.mrz.glyphs import (
    ALPHABET,
    CELL_HEIGHT,
    PITCH,
    SCALE_STEP,
    quantise,
    scales,
    template_matrix,
)
from scanner.mrz.layouts import LETTERS, layout_for_shape, position_classes

Origin = tuple[int, int]
_CANDIDATES = 3  # templates per cell kept for the scale search
_LETTER_INDEX = [ALPHABET.index(c) for c in LETTERS]


@dataclass(frozen=True)
class CellScores:
    """Correlation of every template with every cell of one line, at its best shift.

    Origins are top-left corners in the upright, padded canonical crop; `turned` says the
    line is read upside down (templates turned by 180 degrees, cells in reading order).
    """

    scores: NDArray[np.float32]  # (cells, templates)
    origins: NDArray[np.int64]  # (cells, templates, 2): (x, y) of the best shift
    scale: float
    turned: bool

    def reversed(self) -> CellScores:
        """The same cells in the opposite order."""
        return CellScores(self.scores[::-1], self.origins[::-1], self.scale, self.turned)


@dataclass(frozen=True)
class Ink:
    """The canonical crop as ink (paper 0), padded, with integral images of it and its square."""

    image: NDArray[np.float32]
    sums: NDArray[np.float64]
    squares: NDArray[np.float64]

    @classmethod
    def of(cls, crop: NDArray[np.float32], pad: int) -> Ink:
        """Ink of a crop whose paper is 1.0, padded by `pad` pixels of paper on every side."""
        image = np.ascontiguousarray(np.pad(1.0 - crop, pad, constant_values=0.0),
                                     dtype=np.float32)
        sums, squares = cv2.integral2(image, sdepth=cv2.CV_64F, sqdepth=cv2.CV_64F)
        return cls(image, np.asarray(sums, np.float64), np.asarray(squares, np.float64))

    def box_sums(self, table: NDArray[np.float64], xs: NDArray[np.int64],
                 ys: NDArray[np.int64]) -> NDArray[np.float64]:
        """Sums over cell-sized boxes with top-left corners (xs, ys) from an integral image."""
        h, w = CELL_HEIGHT, PITCH
        return np.asarray(table[ys + h, xs + w] - table[ys, xs + w] - table[ys + h, xs]
                          + table[ys, xs], dtype=np.float64)


def _patches(ink: Ink, origins: Sequence[Origin], radius: int) -> tuple[
        NDArray[np.float32], NDArray[np.float32]]:
    """Raw patches around each origin (cells * shifts, h*w) and their norms after removing
    their mean (cells, shifts): templates are zero-mean, so that is all correlation needs."""
    side = 2 * radius + 1
    windows = np.stack([ink.image[y - radius:y + radius + CELL_HEIGHT,
                                  x - radius:x + radius + PITCH] for x, y in origins])
    views = sliding_window_view(windows, (CELL_HEIGHT, PITCH), axis=(1, 2))
    flat = np.ascontiguousarray(views.reshape(len(origins) * side * side, CELL_HEIGHT * PITCH))
    base = np.asarray(origins, dtype=np.int64) - radius
    shift = np.arange(side * side)
    xs = base[:, :1] + shift % side
    ys = base[:, 1:] + shift // side
    total = ink.box_sums(ink.sums, xs, ys)
    squares = ink.box_sums(ink.squares, xs, ys)
    spread = np.sqrt(np.maximum(squares - total * total / (CELL_HEIGHT * PITCH), 0.0))
    return flat, np.asarray(spread + 1e-6, dtype=np.float32)


@lru_cache(maxsize=32)
def _both_ways(scale: float) -> NDArray[np.float32]:
    """Upright and turned templates side by side: (h*w, 2n)."""
    return np.ascontiguousarray(np.hstack([template_matrix(scale=scale),
                                           template_matrix(scale=scale, turned=True)]))


def _best(scores: NDArray[np.float32], origins: Sequence[Origin], radius: int, scale: float,
          turned: bool) -> CellScores:
    """Maximum over shifts of (cells, shifts, templates) scores."""
    shift = scores.argmax(axis=1)
    side = 2 * radius + 1
    base = np.asarray(origins, dtype=np.int64)[:, None, :]
    offset = np.stack([shift % side - radius, shift // side - radius], axis=2)
    return CellScores(np.asarray(scores.max(axis=1), dtype=np.float32), base + offset, scale,
                      turned)


def score_cells(ink: Ink, origins: Sequence[Origin], radius: int,
                scale: float, turned: bool) -> CellScores:
    """Best correlation of each template with each cell within +-radius pixels of its origin."""
    flat, spread = _patches(ink, origins, radius)
    matrix = template_matrix(scale=quantise(scale), turned=turned)
    scores = (flat @ matrix).reshape(*spread.shape, -1) / spread[..., None]
    return _best(scores, origins, radius, quantise(scale), turned)


def score_both_ways(ink: Ink, origins: Sequence[Origin], radius: int,
                    scale: float) -> tuple[CellScores, CellScores]:
    """Scores of one line read upright and upside down (the latter in reading order)."""
    flat, spread = _patches(ink, origins, radius)
    scores = (flat @ _both_ways(quantise(scale))).reshape(*spread.shape, -1) / spread[..., None]
    n = len(ALPHABET)
    upright = _best(scores[..., :n], origins, radius, quantise(scale), False)
    turned = _best(scores[..., n:], origins, radius, quantise(scale), True)
    return upright, turned.reversed()


def allowed_masks(line_count: int, length: int, first: NDArray[np.float32]) -> tuple[
        NDArray[np.bool_], ...] | None:
    """Per line, a (length, templates) mask of the characters the layout allows there.

    `first` holds the template scores of the first cell (the document type's first letter),
    which tells visas (V) from other documents of the same shape. None: no ICAO layout.
    """
    first_char = ALPHABET[_LETTER_INDEX[int(np.argmax(first[_LETTER_INDEX]))]]
    return _masks(line_count, length, first_char)


@lru_cache(maxsize=16)
def _masks(line_count: int, length: int, first_char: str) -> tuple[NDArray[np.bool_], ...] | None:
    """The masks of the layout of this shape (cached: they never change)."""
    layout = layout_for_shape(line_count, length, first_char)
    if layout is None:
        return None
    masks = []
    for line in position_classes(layout):
        mask = np.zeros((length, len(ALPHABET)), dtype=bool)
        for pos, chars in enumerate(line):
            mask[pos, [ALPHABET.index(c) for c in chars]] = True
        mask.flags.writeable = False
        masks.append(mask)
    return tuple(masks)


def decode(scores: NDArray[np.float32], mask: NDArray[np.bool_]) -> NDArray[np.int64]:
    """The best-scoring allowed template per cell."""
    return np.asarray(np.where(mask, scores, -np.inf).argmax(axis=1), dtype=np.int64)


def best_scale(ink: Ink, cells: CellScores, mask: NDArray[np.bool_]) -> float:
    """The glyph scale under which the line's best allowed templates correlate best."""
    masked = np.where(mask, cells.scores, -np.inf)
    candidates = np.argsort(-masked, axis=1)[:, :_CANDIDATES]  # (cells, k)
    rows = np.arange(len(candidates))
    origins = [(int(x), int(y)) for x, y in cells.origins[rows, candidates[:, 0]]]
    flat, spread = _patches(ink, origins, 1)
    patches = (flat.reshape(*spread.shape, -1) / spread[..., None]).astype(np.float32)
    usable = np.isfinite(masked[rows[:, None], candidates])[:, None, :]

    def objective(scale: float) -> float:
        bank = template_matrix(scale=scale, turned=cells.turned).T[candidates]  # (cells, k, hw)
        corr = np.where(usable, patches @ bank.transpose(0, 2, 1), -1.0)
        return float(corr.max(axis=(1, 2)).mean())

    tried: dict[float, float] = {}

    def value(scale: float) -> float:
        if scale not in tried:
            tried[scale] = objective(scale)
        return tried[scale]

    scale = cells.scale
    while True:  # hill climbing in double steps (the objective only grows: it ends), then fine
        ahead = max((scale, quantise(scale - 2 * SCALE_STEP), quantise(scale + 2 * SCALE_STEP)),
                    key=value)
        if ahead == scale:
            break
        scale = ahead
    return max((scale, quantise(scale - SCALE_STEP), quantise(scale + SCALE_STEP)), key=value)


def preload() -> None:
    """Render the templates of every glyph scale now rather than on first use (~0.3 s)."""
    for scale in scales():
        _both_ways(scale)


def rescore(ink: Ink, cells: CellScores, chars: NDArray[np.int64],
            scale: float) -> CellScores:
    """Scores at another glyph scale, searched +-1 pixel around the current best shifts."""
    rows = np.arange(len(chars))
    origins = [(int(x), int(y)) for x, y in cells.origins[rows, chars]]
    return score_cells(ink, origins, 1, scale, cells.turned)
