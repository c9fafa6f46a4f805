"""Duplicated stamps: the very same impression twice, on one page or across scans.

Two pressings of one rubber stamp differ in angle, ink density, pressure and missing parts;
a copied impression is the same down to the pixel. Within a page, impressions are compared
by cross-correlating their maps of stamp-ink amount (high-passed, so that only stroke edges count)
and, at the best shift, the normalised correlation over the ink both share must be close
to 1. Across scans, a compact fingerprint (DCT sign bits of a coarse darkness grid; no image)
is compared by Hamming distance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from scanner.page import Box

FloatImage = NDArray[np.float32]
MATCH_DPI = 200.0
FINGERPRINT_MM = 0.5  # grid cell of the fingerprint
FINGERPRINT_CELLS = 64  # 32 mm square around the ink centroid
FINGERPRINT_BITS = 16  # a 16 x 16 low-frequency DCT block -> 256 bits


@dataclass(frozen=True)
class Duplicate:
    """Impression `second` repeats impression `first` (indexes), with the evidence."""

    first: int
    second: int
    correlation: float
    shared_mm2: float


def _highpass(image: FloatImage) -> FloatImage:
    import cv2  # noqa: PLC0415

    out: FloatImage = image - cv2.GaussianBlur(image, (0, 0), 2.0)
    return out


def _candidate_shifts(a: FloatImage, b: FloatImage, same_place: tuple[int, int],
                      exclude_px: float, count: int = 6) -> list[tuple[int, int]]:
    """The `count` best-correlating shifts (dy, dx) that map `b` onto `a` (b[y, x] ~
    a[y + dy, x + dx]), each a local maximum, all at least `exclude_px` away from
    `same_place` (the shift that maps a page pixel onto itself). Other ink in the window
    (overlapping stamps, long border lines) can outscore the true shift, so several are
    tried."""
    import cv2  # noqa: PLC0415

    # OpenCV's DFT at its fast sizes: several times quicker than numpy's on odd sizes
    shape = (cv2.getOptimalDFTSize(a.shape[0] + b.shape[0]),
             cv2.getOptimalDFTSize(a.shape[1] + b.shape[1]))

    def spectrum(image: FloatImage) -> FloatImage:
        padded = np.zeros(shape, np.float32)
        padded[:image.shape[0], :image.shape[1]] = image
        out: FloatImage = np.asarray(cv2.dft(padded, flags=cv2.DFT_COMPLEX_OUTPUT), np.float32)
        return out

    corr = cv2.idft(cv2.mulSpectrums(spectrum(a), spectrum(b), 0, conjB=True),
                    flags=cv2.DFT_REAL_OUTPUT | cv2.DFT_SCALE)
    # the signed shift of each index (the FFT wraps negative shifts round), without
    # wrapping `same_place`: a far-away impression's own place must not alias onto a
    # small shift
    ys = np.arange(shape[0])[:, None]
    xs = np.arange(shape[1])[None, :]
    ys = np.where(ys <= shape[0] // 2, ys, ys - shape[0])
    xs = np.where(xs <= shape[1] // 2, xs, xs - shape[1])
    corr[np.hypot(ys - same_place[0], xs - same_place[1]) < exclude_px] = -np.inf
    peaks = (corr == cv2.dilate(corr, np.ones((9, 9), np.uint8))) & np.isfinite(corr)
    order = np.argsort(corr[peaks])[::-1][:count]
    py, px = np.nonzero(peaks)
    return [(int(ys[py[i], 0]), int(xs[0, px[i]])) for i in order]


def _match(a: FloatImage, b: FloatImage, dy: int, dx: int) -> tuple[float, float]:
    """Identical-stroke area (mm^2 at MATCH_DPI) and correlation around it at one shift."""
    import cv2  # noqa: PLC0415

    # overlap of a[y, x] and b[y - dy, x - dx]
    ay0, ax0 = max(0, dy), max(0, dx)
    ay1, ax1 = min(a.shape[0], b.shape[0] + dy), min(a.shape[1], b.shape[1] + dx)
    if ay1 - ay0 < 8 or ax1 - ax0 < 8:
        return 0.0, 0.0
    pa = a[ay0:ay1, ax0:ax1]
    pb = b[ay0 - dy:ay1 - dy, ax0 - dx:ax1 - dx]
    # identical strokes: both inked and of the same ink amount (copies share ink spread,
    # gaps and pressure gradient; other stamps in the window do not)
    same = (pa > 0.2) & (pb > 0.2) & (np.abs(pa - pb) < 0.1)
    shared = float(same.sum()) * (25.4 / MATCH_DPI) ** 2
    if shared == 0.0:
        return 0.0, 0.0
    near = cv2.dilate(same.astype(np.uint8), np.ones((9, 9), np.uint8)).astype(bool)
    ink = near & ((pa > 0.1) | (pb > 0.1))
    va, vb = pa[ink] - pa[ink].mean(), pb[ink] - pb[ink].mean()
    ncc = float((va * vb).sum() / max(np.sqrt((va * va).sum() * (vb * vb).sum()), 1e-9))
    return shared, ncc


def compare(ink_map: FloatImage, boxes: list[Box], dpi: float, *, min_shared_mm2: float,
            min_correlation: float, min_shift_mm: float = 3.0, near_shift_mm: float = 8.0,
            copy_shared_mm2: float = 80.0, copy_min_correlation: float = 0.35) -> list[Duplicate]:
    """Pairs of impressions (boxes on the page-wide map of stamp-ink amounts) that are
    identical.

    A copy that overlaps other stamps (or its own original) correlates less, because the
    other ink in the window adds darkness that one side lacks; but it still repeats most of
    a stamp's ink stroke for stroke. So a pair also counts when the identical-strokes area
    reaches `copy_shared_mm2` (more than half of a whole UTO stamp's ~100-250 mm^2 of ink;
    two pressings of one die, or a rectangle border shifted along itself by >= 8 mm,
    coincide on at most a border side and some text, ~60 mm^2) with a correlation of at
    least `copy_min_correlation` (unrelated ink stays near 0). A copy pressed within
    `near_shift_mm` of its original (but at least `min_shift_mm` away) counts only by the
    identical-strokes area.
    """
    import cv2  # noqa: PLC0415

    f = MATCH_DPI / dpi
    crops = []
    for x, y, w, h in boxes:
        crop = ink_map[y:y + h, x:x + w]
        if f != 1.0:
            crop = np.asarray(cv2.resize(crop, None, fx=f, fy=f, interpolation=cv2.INTER_AREA),
                              np.float32)
        crops.append(np.asarray(cv2.GaussianBlur(crop, (0, 0), 1.0), np.float32))
    edges = [_highpass(c) for c in crops]  # once per crop, not once per pair
    found: list[Duplicate] = []
    for i in range(len(crops)):
        for j in range(i, len(crops)):
            a, b = crops[i], crops[j]
            if min(a.shape + b.shape) < 8:
                continue
            same_place = (round((boxes[j][1] - boxes[i][1]) * f),
                          round((boxes[j][0] - boxes[i][0]) * f))
            for dy, dx in _candidate_shifts(edges[i], edges[j], same_place,
                                            min_shift_mm * MATCH_DPI / 25.4):
                shared, ncc = _match(a, b, dy, dx)
                near = math.hypot(dy - same_place[0], dx - same_place[1]) < \
                    near_shift_mm * MATCH_DPI / 25.4
                if near:  # pressed over its own original: border lines shifted along
                    # themselves coincide too, so only a copy's large identical area counts
                    copied = shared >= copy_shared_mm2 and ncc >= copy_min_correlation
                else:
                    copied = shared >= min_shared_mm2 and (
                        ncc >= min_correlation
                        or (shared >= copy_shared_mm2 and ncc >= copy_min_correlation))
                if copied:
                    found.append(Duplicate(i, j, ncc, shared))
                    break
    return found


def fingerprint(darkness: FloatImage, dpi: float) -> bytes:
    """256 DCT sign bits of a 0.5 mm darkness grid centred on the ink centroid."""
    import cv2  # noqa: PLC0415

    weights = np.clip(darkness, 0.0, None)
    total = float(weights.sum())
    if total <= 0:
        return bytes(FINGERPRINT_BITS * FINGERPRINT_BITS // 8)
    ys, xs = np.indices(weights.shape)
    cy, cx = float((ys * weights).sum() / total), float((xs * weights).sum() / total)
    scale = dpi * FINGERPRINT_MM / 25.4  # page pixels per grid cell
    half = FINGERPRINT_CELLS / 2
    to_page = np.array([[scale, 0, cx - half * scale], [0, scale, cy - half * scale]])
    grid = cv2.warpAffine(cv2.GaussianBlur(darkness, (0, 0), scale / 2), to_page,
                          (FINGERPRINT_CELLS, FINGERPRINT_CELLS),
                          flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP)
    coeffs = cv2.dct(np.asarray(grid, np.float32))[:FINGERPRINT_BITS, :FINGERPRINT_BITS]
    bits = (coeffs.reshape(-1) > np.median(coeffs.reshape(-1)[1:])).astype(np.uint8)
    return bytes(np.packbits(bits).tolist())


def hamming(a: bytes, b: bytes) -> int:
    """Number of differing bits of two fingerprints."""
    return int(np.unpackbits(np.frombuffer(bytes(x ^ y for x, y in zip(a, b, strict=True)),
                                           np.uint8)).sum())
