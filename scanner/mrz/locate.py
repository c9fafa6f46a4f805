"""Find MRZ rows on a page: dark character blobs chained into long, evenly spaced rows."""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

INK_LEVEL = 140  # a pixel is ink below this: ratio to its local background x 255
LINE_LENGTHS = (30, 36, 44)
_COARSE_PITCH = 10.0  # smallest MRZ pitch in pixels at which rows are looked for


@dataclass(frozen=True)
class Row:
    """One chained row of character blobs in page coordinates."""

    left: float
    right: float
    slope: float
    intercept: float  # centre y at x = 0
    height: float
    centres: NDArray[np.float64]  # x centres of the narrow blobs, sorted

    def y_at(self, x: float) -> float:
        """Centre y of the row at column x."""
        return self.slope * x + self.intercept

    def scaled(self, factor: float) -> Row:
        """The same row in an image `factor` times larger."""
        return Row(self.left * factor, self.right * factor, self.slope, self.intercept * factor,
                   self.height * factor, self.centres * factor)


@dataclass(frozen=True)
class MrzGeometry:
    """Where the MRZ lies on the page: rows (top to bottom), pitch, skew and characters per line."""

    rows: tuple[Row, ...]
    pitch: float
    slope: float
    length: int

    @property
    def centre(self) -> tuple[float, float]:
        """Centre of the MRZ in page coordinates."""
        x = (min(r.left for r in self.rows) + max(r.right for r in self.rows)) / 2
        return x, float(np.mean([r.y_at(x) for r in self.rows]))

    def scaled(self, factor: float) -> MrzGeometry:
        """The same MRZ in an image `factor` times larger."""
        return MrzGeometry(tuple(r.scaled(factor) for r in self.rows), self.pitch * factor,
                           self.slope, self.length)


def coarse_factor(shape: tuple[int, ...], dpi: float | None) -> int:
    """The power of two to shrink an image by before looking for MRZ rows (pitch >= 10 px).

    Without a dpi, the image is taken for a page or reader window of about 125-135 mm.
    """
    estimate = dpi if dpi else max(shape[0], shape[1]) * 25.4 / 135.0
    factor = 1
    while estimate / 10.0 / (2 * factor) >= _COARSE_PITCH:
        factor *= 2
    return factor


def shrink(grey: NDArray[np.uint8], factor: int) -> NDArray[np.uint8]:
    """The image shrunk by a power of two with area averaging (exact halvings: fast)."""
    out = grey
    while factor > 1 and min(out.shape[:2]) >= 2:
        h, w = out.shape[0] // 2, out.shape[1] // 2
        out = np.asarray(cv2.resize(out[:2 * h, :2 * w], (w, h), interpolation=cv2.INTER_AREA),
                         dtype=np.uint8)
        factor //= 2
    return out


def ink_ratio(grey: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """Each pixel divided by its local background (a blurred max filter): paper ~255, ink ~50."""
    small = shrink(grey, 4)
    background = cv2.dilate(small, np.ones((7, 7), np.uint8))
    background = cv2.blur(background, (9, 9))
    background = cv2.resize(background, (grey.shape[1], grey.shape[0]),
                            interpolation=cv2.INTER_LINEAR)
    ratio = cv2.divide(grey, np.maximum(background, 8), scale=255.0)
    paper = float(np.percentile(small, 90))
    ratio[background < 0.35 * paper] = 255  # no paper around: the dark reader lid, not ink
    return np.asarray(ratio, dtype=np.uint8)


def _neighbour_pairs(x: NDArray[np.float64], w: NDArray[np.float64], h: NDArray[np.float64],
                     cy: NDArray[np.float64]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Pairs (i, j) of blobs, sorted by x, where j may be the next character right of i."""
    n = len(x)
    stops = np.searchsorted(x, x + w + 1.2 * h, side="right")
    counts = np.maximum(stops - np.arange(1, n + 1), 0)
    src = np.repeat(np.arange(n), counts)
    starts = np.cumsum(counts) - counts
    dst = src + 1 + (np.arange(len(src)) - np.repeat(starts, counts))
    tall, short = np.maximum(h[src], h[dst]), np.minimum(h[src], h[dst])
    keep = ((x[dst] >= x[src] + 0.5 * w[src]) & (np.abs(cy[src] - cy[dst]) <= 0.35 * tall)
            & (short >= 0.3 * tall))
    return src[keep], dst[keep]


def _chains(mask: NDArray[np.uint8]) -> list[NDArray[np.int32]]:
    """Blob indices chained left to right into rows (union of plausible right neighbours)."""
    _, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    x, y, w, h, area = (stats[:, i].astype(np.float64) for i in range(5))
    good = np.flatnonzero((h >= 6) & (h <= 250) & (area >= 12) & (w <= 12 * h))
    good = good[good > 0]
    good = good[np.argsort(x[good], kind="stable")]
    src, dst = _neighbour_pairs(x[good], w[good], h[good], y[good] + h[good] / 2)
    parent = list(range(len(good)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in zip(src.tolist(), dst.tolist(), strict=True):
        parent[find(i)] = find(j)
    roots = np.array([find(i) for i in range(len(good))], dtype=np.int64)
    chains = []
    for root in np.unique(roots):
        members = good[roots == root]
        if len(members) >= 12:
            chains.append(_with_stats(members.astype(np.int32), np.asarray(stats, np.int32)))
    return chains


def _with_stats(chain: NDArray[np.int32], stats: NDArray[np.int32]) -> NDArray[np.int32]:
    """The chain's rows of stats (x, y, w, h, area), sorted by x."""
    rows = stats[chain]
    return np.asarray(rows[np.argsort(rows[:, 0])], dtype=np.int32)


def _row(blobs: NDArray[np.int32]) -> Row:
    """Fit a row through its blobs."""
    x, y, w, h = (blobs[:, i].astype(np.float64) for i in range(4))
    cx, cy = x + w / 2, y + h / 2
    height = float(np.percentile(h, 80))
    tall = h >= 0.7 * height
    slope, intercept = np.polyfit(cx[tall], cy[tall], 1) if tall.sum() >= 2 else (0.0, cy.mean())
    narrow = w <= 1.5 * height
    return Row(float(x.min()), float((x + w).max()), float(slope), float(intercept), height,
               np.sort(cx[narrow]))


def _pitch(row: Row, hint: float | None) -> float:
    """Character pitch of a row from the spacing of its blob centres (least squares)."""
    gaps = np.diff(row.centres)
    gaps = gaps[gaps > 0.4 * row.height]
    if len(gaps) < 5:
        return 0.0
    pitch = float(np.median(gaps))
    if hint is not None and abs(hint - pitch) < 0.2 * hint:
        pitch = hint
    k = np.round((row.centres - row.centres[0]) / pitch)
    if np.ptp(k) < 5:
        return 0.0
    return float(np.polyfit(k, row.centres, 1)[0])


def _fits(a: Row, b: Row) -> bool:
    """Whether row b can be the MRZ line under row a."""
    size = max(a.height, b.height)
    mid = (a.left + a.right) / 2
    gap = b.y_at(mid) - a.y_at(mid)
    return (abs(a.left - b.left) < 1.5 * size and abs(a.right - b.right) < 1.5 * size
            and abs(a.slope - b.slope) < 0.03 and 1.2 * size < gap < 6 * size
            and 0.7 < a.height / b.height < 1.4)


def find_mrz(ratio: NDArray[np.uint8], dpi: float | None = None) -> MrzGeometry | None:
    """The best 2- or 3-row MRZ candidate on an upright-or-upside-down page, or None."""
    mask = (ratio < INK_LEVEL).astype(np.uint8)
    rows = [_row(c) for c in _chains(mask)]
    rows = [r for r in rows if abs(r.slope) < math.tan(math.radians(8))]
    rows.sort(key=lambda r: r.y_at((r.left + r.right) / 2))
    hint = dpi / 10 if dpi else None
    best: MrzGeometry | None = None
    best_score = 0.0
    for i, top in enumerate(rows):
        group = [top]
        for other in rows[i + 1:]:
            if len(group) < 3 and _fits(group[-1], other):
                group.append(other)
        while len(group) >= 2:
            geometry = _geometry(tuple(group), hint)
            if geometry is not None:
                score = float(sum(len(r.centres) for r in group))
                if score > best_score:
                    best, best_score = geometry, score
                break
            group.pop()
    return best


def _geometry(rows: tuple[Row, ...], hint: float | None) -> MrzGeometry | None:
    """Pitch and line length of a row group, or None when it does not look like an MRZ."""
    pitches = [p for p in (_pitch(r, hint) for r in rows) if p > 0]
    if not pitches:
        return None
    pitch = float(np.median(pitches))
    extent = max(r.right - r.left for r in rows)
    count = extent / pitch + 0.3
    allowed = (30,) if len(rows) == 3 else (36, 44)
    length = min(allowed, key=lambda n: abs(n - count))
    if abs(length - count) > 2.5:
        return None
    slope = float(np.mean([r.slope for r in rows]))
    return MrzGeometry(rows, pitch, slope, length)
