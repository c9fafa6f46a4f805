"""Duplicated stamps: the very same impression twice, on one page or across scans.

Two pressings of one rubber stamp differ in angle, ink density, pressure and missing parts;
a copied impression is the same down to the pixel. Within a page, the map of stamp-ink amount is
correlated with itself (high-passed, so that only stroke edges count, and half-whitened,
so that sharp repeats count more than broad coincidences): a copy shows as a
shift (refined to a fraction of a pixel) at which a large, compact area of ink coincides
with the same amounts, whether or not other stamps overlap either place, and where no
other stamp covers either place the amounts agree exactly. Across scans, a compact
fingerprint (DCT sign bits of a coarse darkness grid; no image) is compared by Hamming
distance.
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from scanner.page import Box

FloatImage = NDArray[np.float32]
MATCH_DPI = 200.0
MM2_PER_PX = (25.4 / MATCH_DPI) ** 2  # area of one pixel of the match maps
FINGERPRINT_MM = 0.5  # grid cell of the fingerprint
FINGERPRINT_CELLS = 64  # 32 mm square around the ink centroid
FINGERPRINT_BITS = 16  # a 16 x 16 low-frequency DCT block -> 256 bits


@dataclass(frozen=True)
class Duplicate:
    """The stamp ink in `original` repeats in `copy` (page boxes), with the evidence."""

    original: Box
    copy: Box
    correlation: float
    shared_mm2: float
    exact_mm2: float  # of those, in blocks where the amounts agree exactly (see _match)


def _highpass(image: FloatImage) -> FloatImage:
    import cv2  # noqa: PLC0415

    out: FloatImage = image - cv2.GaussianBlur(image, (0, 0), 2.0)
    return out


def _candidate_shifts(edges: FloatImage, exclude_px: float, near_px: float, count: int,
                      near_count: int) -> list[tuple[float, float]]:
    """The best shifts (dy, dx) of the page's ink onto itself (ink at (y, x) ~ ink at
    (y + dy, x + dx)), each a local maximum of the autocorrelation and one of each pair of
    opposite shifts: the `count` best at least `near_px` long and the `near_count` best
    between `exclude_px` and `near_px`. The autocorrelation is half-whitened: a copy's
    repeat is sharp, chance coincidences of large ink are broad (on 240 development pages
    with a copy, 26 instead of 32 true shifts ranked below the best 8). Other ink
    (overlapping stamps, long border lines shifted along themselves) can outscore the true
    shift, so several are tried; short shifts are ranked apart because every stamp's own
    border lines give high ones.
    Each shift is refined to a fraction of a pixel (a parabola through the peak and its
    neighbours): a copy lies at any offset, and half a pixel off makes the two sides of
    every stroke edge differ by more than the ink amounts of a copy do."""
    import cv2  # noqa: PLC0415

    # OpenCV's DFT at its fast sizes, padded so that shifts do not wrap round
    shape = (cv2.getOptimalDFTSize(2 * edges.shape[0]), cv2.getOptimalDFTSize(2 * edges.shape[1]))
    padded = np.zeros(shape, np.float32)
    padded[:edges.shape[0], :edges.shape[1]] = edges
    spectrum = cv2.dft(padded)  # of a real image: packed (CCS), half the work
    # half-whitened: the power spectrum's square root, so that the sharp repeat of a copy
    # outranks the broad coincidences of large ink. The power spectrum is real (its packed
    # imaginary slots are zero), so the root is taken slot by slot
    power = cv2.mulSpectrums(spectrum, spectrum, 0, conjB=True)
    corr = cv2.idft(cv2.sqrt(np.maximum(power, 0.0)), flags=cv2.DFT_REAL_OUTPUT | cv2.DFT_SCALE)
    # the signed shift of each index (the DFT wraps negative shifts round); keep one half:
    # dy >= 0 (the rows up to half the height), and dx >= 0 where dy = 0
    half = shape[0] // 2
    ys = np.arange(shape[0])
    xs = np.arange(shape[1])
    ys = np.where(ys <= half, ys, ys - shape[0])
    xs = np.where(xs <= shape[1] // 2, xs, xs - shape[1])
    # the peaks are sought in the kept rows; their neighbours are read from the whole
    # correlation, which holds the other half too (a peak at dy = 0 is refined across it)
    top = corr[:half + 1].copy()
    top[0, xs < 0] = -np.inf
    # shifts shorter than `exclude_px` lie in the corners of the top rows
    r = min(math.ceil(exclude_px), half)
    short = ys[:r + 1, None] ** 2 + xs[None, :] ** 2 < exclude_px ** 2
    top[:r + 1][short] = -np.inf
    # local maxima (a dilation ignores -inf)
    py, px = np.nonzero((top == cv2.dilate(top, np.ones((9, 9), np.uint8))) & np.isfinite(top))
    near = ys[py] ** 2 + xs[px] ** 2 < near_px ** 2
    found: list[tuple[float, float]] = []
    for pool, n in ((~near, count), (near, near_count)):
        qy, qx = py[pool], px[pool]
        taken = 0
        for i in np.argsort(top[qy, qx])[::-1]:
            if taken == n:
                break
            y, x = int(qy[i]), int(qx[i])
            across = corr[y, [x - 1, x, (x + 1) % shape[1]]]
            down = corr[[y - 1, y, (y + 1) % shape[0]], x]
            dy, dx = float(ys[y]) + _vertex(*down), float(xs[x]) + _vertex(*across)
            # refined across dy = 0: the opposite shift, which is the same pair of places
            # (a peak between rows 0 and 1 is a maximum in both, as (0, -dx) and (1, dx))
            shift = (-dy, -dx) if dy < 0 else (dy, dx)
            if all(math.hypot(shift[0] - a, shift[1] - b) > 1.5 for a, b in found):
                found.append(shift)
                taken += 1
    return found


def _vertex(before: float, peak: float, after: float) -> float:
    """Offset (-0.5 to 0.5) of the top of the parabola through three neighbouring values."""
    bend = before - 2 * peak + after
    if not (np.isfinite(before) and np.isfinite(after)) or bend >= 0:
        return 0.0
    return float(np.clip(0.5 * (before - after) / bend, -0.5, 0.5))


@dataclass(frozen=True)
class Match:
    """Evidence at one shift: the largest cluster of identical strokes."""

    shared_mm2: float  # where both places carry the same ink amount
    correlation: float  # of the two ink maps around those strokes
    box: Box  # the cluster at the shifted place, MATCH_DPI pixels
    exact_mm2: float = 0.0  # ink in ~1 mm blocks of exactly the same amounts, not along lines
    glow_exact_mm2: float = 0.0  # such blocks in the ink's own UV emission (see _match)


NO_MATCH = Match(0.0, 0.0, (0, 0, 0, 0))
EXACT_BLOCK = 9  # px at MATCH_DPI (~1.1 mm)


def _moved(image: FloatImage, dy: float, dx: float) -> FloatImage:
    """The image moved by a fraction of a pixel (bilinear), edges repeated."""
    import cv2  # noqa: PLC0415

    if dy == 0 and dx == 0:
        return image
    moved = cv2.warpAffine(image, np.array([[1, 0, dx], [0, 1, dy]], np.float32),
                           (image.shape[1], image.shape[0]), flags=cv2.INTER_LINEAR,
                           borderMode=cv2.BORDER_REPLICATE)
    return np.asarray(moved, np.float32)


def _match(ink: FloatImage, colour: FloatImage | None, shift_y: float, shift_x: float, *,
           cluster_px: int, min_same_colour: float, min_shared_mm2: float = 0.0,
           emission: FloatImage | None = None) -> Match:
    """At one shift, the largest cluster of identical strokes (its original lies at
    (x - shift_x, y - shift_y)). `colour` holds the unit ink colour (absorbance) of each
    pixel's impression: the very same impression is also the same ink. Shifts with less
    than `min_shared_mm2` of identical ink in all are not clustered.

    Within the cluster, the exact strokes: ~1 mm blocks, mostly inked on both sides, whose
    amounts differ by less than 0.03 on average. A copy repeats its original that exactly
    wherever no other ink lies on either, so a copy pressed over other stamps keeps such
    blocks where it is uncovered while its correlation drops; two pressings that coincide
    still differ in density and pressure. A block whose strokes all run along the shift is
    left out: a straight border line moved along itself meets itself exactly.

    The two sides' amounts may also differ by one factor: each group's ink colour is
    estimated from that group alone, and the lines under its ink or a second ink merged
    with it tilt the estimate, which scales every amount unmixed with it. So the exact
    strokes are also sought with the sides scaled to the median ratio of their amounts
    (around the cluster, or over the whole overlap when the unscaled amounts leave too
    little identical ink), and the more of the two counts, with its cluster as the box.
    The shared area and the correlation stay unscaled: scaled, two pressings of one die of
    unequal density share as much ink as a faint copy does, but not its exact strokes.

    Ink of the background lines' colour cannot be unmixed from them, so the lines stay in
    its amounts, and they differ under a copy and under its original. `emission` holds the
    ink's own UV emission (in units of its amount): the ink glows on top of the lines,
    which do not glow. Where both sides glow, the exact strokes are also sought in it, over
    the whole overlap (a copy over its own original keeps them only in scattered places),
    and they count when they are more; the box is their largest cluster."""
    import cv2  # noqa: PLC0415

    h, w = ink.shape
    dy, dx = round(shift_y), round(shift_x)
    if dy < 0 or dy >= h - 8 or abs(dx) >= w - 8:
        return NO_MATCH
    # the fraction of a pixel: each side moves half of it, so both are smoothed alike
    fy, fx = shift_y - dy, shift_x - dx
    ahead = _moved(ink, -fy / 2, -fx / 2)
    behind = _moved(ink, fy / 2, fx / 2)
    # pa: ink at (y, x); pb: ink at (y - shift_y, x - shift_x), over the overlap
    ay0, ax0, ax1 = dy, max(0, dx), min(w, w + dx)
    pa = ahead[ay0:h, ax0:ax1]
    pb = behind[ay0 - dy:h - dy, ax0 - dx:ax1 - dx]
    # identical strokes: both inked and of the same ink amount (copies share ink spread,
    # gaps and pressure gradient; other stamps do not)
    both = (pa > 0.2) & (pb > 0.2)
    if colour is not None:  # of the same ink (compared where both are inked only)
        ys, xs = np.nonzero(both)
        cos = (colour[ys + ay0, xs + ax0] * colour[ys + ay0 - dy, xs + ax0 - dx]).sum(axis=1)
        other = cos < min_same_colour
        both[ys[other], xs[other]] = False
    same = both & (np.abs(pa - pb) < 0.1)
    found, near = NO_MATCH, both
    if float(same.sum()) * MM2_PER_PX >= min_shared_mm2:  # else too little, even all together
        found, cluster = _evidence(pa, pb, both, same, cluster_px=cluster_px,
                                   shift=(shift_y, shift_x))
        # around the cluster (~5 mm)
        near = cv2.dilate(cluster.astype(np.uint8), np.ones((41, 41), np.uint8)).astype(bool)
        near &= both
    # the ratio of the amounts of both sides (where a copy lies, mostly its own)
    gain = float(np.median(pa[near] / pb[near])) if near.any() else 1.0
    if abs(gain - 1.0) > 0.05:
        root = math.sqrt(gain)  # each side meets the other halfway
        qa, qb = pa / root, pb * root
        same = both & (np.abs(qa - qb) < 0.1)
        if float(same.sum()) * MM2_PER_PX >= min_shared_mm2:
            scaled, _ = _evidence(qa, qb, both, same, cluster_px=cluster_px,
                                  shift=(shift_y, shift_x))
            if scaled.exact_mm2 > found.exact_mm2:
                found = Match(found.shared_mm2, found.correlation, scaled.box,
                              scaled.exact_mm2)
    if emission is not None:
        ea = _moved(emission, -fy / 2, -fx / 2)[ay0:h, ax0:ax1]
        eb = _moved(emission, fy / 2, fx / 2)[ay0 - dy:h - dy, ax0 - dx:ax1 - dx]
        glowing = both & (ea > 0.3) & (eb > 0.3)
        if float(glowing.sum()) * MM2_PER_PX >= min_shared_mm2:
            rows, cols = _around(glowing, EXACT_BLOCK + 3)
            exact = _exact_strokes(ea[rows, cols], eb[rows, cols], glowing[rows, cols],
                                   shift_y, shift_x)
            glowed = float(exact.sum()) * MM2_PER_PX
            box = found.box
            if glowed > found.exact_mm2:
                x, y, bw, bh = cv2.boundingRect(
                    _largest_cluster(exact, cluster_px).astype(np.uint8))
                box = (x + cols.start, y + rows.start, bw, bh)
            if glowed > 0:
                found = Match(found.shared_mm2, found.correlation, box,
                              max(found.exact_mm2, glowed), glowed)
    if found is NO_MATCH:
        return NO_MATCH
    x, y, bw, bh = found.box
    return Match(found.shared_mm2, found.correlation, (x + ax0, y + ay0, bw, bh),
                 found.exact_mm2, found.glow_exact_mm2)


def _evidence(pa: FloatImage, pb: FloatImage, both: NDArray[np.bool_],
              same: NDArray[np.bool_], *, cluster_px: int,
              shift: tuple[float, float]) -> tuple[Match, NDArray[np.bool_]]:
    """The largest cluster of `same` strokes of two aligned ink maps (see _match), its
    evidence (box in the maps' pixels) and its mask."""
    import cv2  # noqa: PLC0415

    if not same.any():
        return NO_MATCH, np.zeros_like(same)
    cluster = _largest_cluster(same, cluster_px, whole=True)
    shared = float((same & cluster).sum()) * MM2_PER_PX
    # the rest looks at the cluster's surroundings only, with a margin wider than the
    # reach of the filters below (9 x 9 dilation, EXACT_BLOCK blur and dilation, Sobel)
    rows, cols = _around(cluster, EXACT_BLOCK + 3)
    pa, pb, both, same = pa[rows, cols], pb[rows, cols], both[rows, cols], same[rows, cols]
    inside = cluster[rows, cols]
    near = cv2.dilate((same & inside).astype(np.uint8), np.ones((9, 9), np.uint8)).astype(bool)
    around = near & ((pa > 0.1) | (pb > 0.1))
    va, vb = pa[around] - pa[around].mean(), pb[around] - pb[around].mean()
    ncc = float((va * vb).sum() / max(np.sqrt((va * va).sum() * (vb * vb).sum()), 1e-9))
    x, y, bw, bh = cv2.boundingRect((same & inside).astype(np.uint8))
    exact = _exact_strokes(pa, pb, both & inside, *shift)
    return Match(shared, ncc, (x + cols.start, y + rows.start, bw, bh),
                 float(exact.sum()) * MM2_PER_PX), cluster


def _around(mask: NDArray[np.bool_], margin: int) -> tuple[slice, slice]:
    """The rows and columns of `mask`'s bounding box, widened by `margin` pixels."""
    import cv2  # noqa: PLC0415

    x, y, w, h = cv2.boundingRect(mask.astype(np.uint8))
    return (slice(max(0, y - margin), y + h + margin),
            slice(max(0, x - margin), x + w + margin))


def _largest_cluster(mask: NDArray[np.bool_], cluster_px: int, *,
                     whole: bool = False) -> NDArray[np.bool_]:
    """The pixels of `mask` in its largest cluster (pixels within `cluster_px` of each
    other): identical strokes of one copy lie together, chance coincidences are scattered.
    With `whole`, the cluster's whole dilated area."""
    import cv2  # noqa: PLC0415

    if not mask.any():
        return mask
    count, labels = cv2.connectedComponents(_dilate_disc(mask.astype(np.uint8), cluster_px),
                                            connectivity=8)
    best = int(np.argmax(np.bincount(labels[mask], minlength=count)))
    cluster: NDArray[np.bool_] = labels == best
    return cluster if whole else cluster & mask


def _dilate_disc(mask: NDArray[np.uint8], size: int) -> NDArray[np.uint8]:
    """`mask` dilated by OpenCV's elliptic kernel of `size` (odd) pixels: the same pixels as
    `cv2.dilate` with that kernel, at half the cost for a 31 px disc. OpenCV takes a kernel
    that is not a rectangle one pixel at a time; here each of its rows, a centred run, is a
    dilation along x (widened run by run) moved to the row's offset."""
    import cv2  # noqa: PLC0415

    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
    r = size // 2
    halves = [int(np.flatnonzero(row).max()) - r for row in kernel]  # no row is empty
    padded = cv2.copyMakeBorder(mask, r, r, 0, 0, cv2.BORDER_CONSTANT, value=0)
    height = mask.shape[0]
    out = np.zeros_like(mask)
    run, done = padded, 0
    for half in sorted(set(halves)):
        if half > done:
            run = cv2.dilate(run, np.ones((1, 2 * (half - done) + 1), np.uint8))
            done = half
        for i in (i for i, h in enumerate(halves) if h == half):
            np.maximum(out, run[i:i + height], out=out)  # row i: source rows y + i - r
    return out


def _exact_strokes(pa: FloatImage, pb: FloatImage, inked: NDArray[np.bool_], shift_y: float,
                   shift_x: float) -> NDArray[np.bool_]:
    """The inked pixels of blocks where both sides hold exactly the same amounts and whose
    strokes do not all run along the shift (see _match)."""
    import cv2  # noqa: PLC0415

    block = (EXACT_BLOCK, EXACT_BLOCK)
    weight = inked.astype(np.float32)
    fill = cv2.blur(weight, block)
    gap = cv2.blur(np.abs(pa - pb) * weight, block)
    exact = (fill > 0.3) & (gap < 0.03 * fill)
    if not exact.any():
        return np.zeros_like(inked)
    # the strokes' direction, only around the blocks that agree (with a margin wider than
    # the reach of the Sobel and the blur, so the result is the same as over the whole map)
    rows, cols = _around(exact, EXACT_BLOCK)
    near = pa[rows, cols]
    gx, gy = cv2.Sobel(near, -1, 1, 0, ksize=3), cv2.Sobel(near, -1, 0, 1, ksize=3)
    length = max(math.hypot(shift_x, shift_y), 1e-9)
    along = cv2.blur((gx * (shift_x / length) + gy * (shift_y / length)) ** 2, block)
    total = cv2.blur(gx * gx + gy * gy, block)
    exact[rows, cols] &= (along >= 0.1 * total) & (total > 0)
    grown = cv2.dilate(exact.astype(np.uint8), np.ones(block, np.uint8)).astype(bool)
    out: NDArray[np.bool_] = grown & inked
    return out


def find_copies(ink_map: FloatImage, dpi: float, *, colour_map: FloatImage | None = None,
                emission_map: FloatImage | None = None,
                min_same_colour: float = 0.8, min_shared_mm2: float,
                min_correlation: float, min_shift_mm: float = 3.0, near_shift_mm: float = 8.0,
                copy_shared_mm2: float = 80.0, copy_min_correlation: float = 0.35,
                min_exact_mm2: float = 30.0, correlated_exact_mm2: float = 18.0,
                glow_exact_mm2: float = 21.0,
                candidates: int = 8,
                near_candidates: int = 3, emission_candidates: int = 4) -> list[Duplicate]:
    """Stamp ink that repeats itself at another place of the page (the page-wide map of
    stamp-ink amounts, with each impression's ink colour in `colour_map`), whichever
    impressions it overlaps.

    The page's ink is correlated with itself; at each of the best shifts, the pixels where
    both places hold the same ink amount of the same ink colour are clustered, and the
    largest cluster is the evidence. The more identical strokes it has, the less its
    correlation needs to be: a copy that overlaps other stamps (or its own original)
    correlates less, because the other ink adds darkness to one side only, but it still
    repeats much of a stamp's ink stroke for stroke. So the correlation needed falls
    linearly from `min_correlation` at `min_shared_mm2` to `copy_min_correlation` at
    `copy_shared_mm2` (more than half of a whole UTO stamp's ~100-250 mm^2 of ink) and stays
    there. Unrelated ink correlates near 0; two pressings of one layout coincide only on
    parts of the frame and text. A copy pressed within `near_shift_mm` of its original
    (but at least `min_shift_mm` away) counts only with `copy_shared_mm2`: a stamp's own
    border lines shifted along themselves coincide too. Whatever the correlation, a shift
    with `min_exact_mm2` of exact strokes (see _match) is a copy: pressings do not repeat
    their ink amounts that exactly, copies do wherever no other stamp covers them. So a
    copy found by its correlation, mostly uncovered, also shows `correlated_exact_mm2` of
    them; a pattern that repeats itself nearly (the guilloche's wave bands one period
    apart) does not.

    `emission_map` holds each pixel's UV emission of stamp ink (see _match). The background
    lines do not glow, so the `emission_candidates` best shifts of its own autocorrelation
    are tried too. The emission holds neither the lines nor ink that does not glow, so a
    copy under other ink keeps its exact strokes there: at least `near_shift_mm` away,
    `glow_exact_mm2` of exact strokes in the emission alone are a copy too.
    """
    import cv2  # noqa: PLC0415

    # only the part of the page that holds stamp ink (and a margin for the blur)
    bx, by, bw, bh = cv2.boundingRect((ink_map > 0).astype(np.uint8))
    if bw == 0:
        return []
    margin = round(2 * dpi / 25.4)
    x0, y0 = max(0, bx - margin), max(0, by - margin)
    x1 = min(ink_map.shape[1], bx + bw + margin)
    y1 = min(ink_map.shape[0], by + bh + margin)
    f = MATCH_DPI / dpi

    def shrunk(image: FloatImage) -> FloatImage:  # the stamp part, at MATCH_DPI, smoothed
        part = image[y0:y1, x0:x1]
        if f != 1.0:
            part = np.asarray(cv2.resize(part, None, fx=f, fy=f,
                                         interpolation=cv2.INTER_AREA), np.float32)
        return np.asarray(cv2.GaussianBlur(part, (0, 0), 1.0), np.float32)

    ink = shrunk(ink_map)
    colour = None if colour_map is None else np.asarray(cv2.resize(
        colour_map[y0:y1, x0:x1], (ink.shape[1], ink.shape[0]),
        interpolation=cv2.INTER_NEAREST), np.float32)
    if min(ink.shape) < 16:
        return []
    px_per_mm = MATCH_DPI / 25.4
    found: list[Duplicate] = []
    near_px = near_shift_mm * px_per_mm
    shifts = _candidate_shifts(_highpass(ink), min_shift_mm * px_per_mm, near_px, candidates,
                               near_candidates)
    glow, inked = None, ink > 0.5
    if emission_map is not None and inked.any():
        glow = shrunk(emission_map)
        # in units of ink amount (the page's median emission per unit of ink): a copy's
        # emission is its original's, whichever ink it is
        per_ink = float(np.median(glow[inked]) / np.median(ink[inked]))
        if per_ink > 1e-3:
            glow /= per_ink
            for shift in _candidate_shifts(_highpass(glow), min_shift_mm * px_per_mm,
                                           near_px, emission_candidates, 0):
                if all(math.hypot(shift[0] - y, shift[1] - x) > 2 for y, x in shifts):
                    shifts.append(shift)
        else:  # no ink on the page glows
            glow = None

    def match(shift: tuple[float, float]) -> Match:
        return _match(ink, colour, *shift, cluster_px=round(4 * px_per_mm) | 1,
                      min_same_colour=min_same_colour, min_shared_mm2=min_shared_mm2,
                      emission=glow)

    # the shifts are independent: both cores (OpenCV and numpy release the GIL)
    with ThreadPoolExecutor(max_workers=2) as pool:
        matches = list(pool.map(match, shifts))
    for (dy, dx), m in zip(shifts, matches, strict=True):
        shared, ncc = m.shared_mm2, m.correlation
        if math.hypot(dy, dx) < near_px:
            copied = shared >= copy_shared_mm2 and ncc >= copy_min_correlation
        else:
            t = min(1.0, (shared - min_shared_mm2) / (copy_shared_mm2 - min_shared_mm2))
            copied = t >= 0 and ncc >= min_correlation + t * (copy_min_correlation
                                                              - min_correlation)
        glowed = m.glow_exact_mm2 >= glow_exact_mm2 and math.hypot(dy, dx) >= near_px
        if (copied and m.exact_mm2 >= correlated_exact_mm2) or m.exact_mm2 >= min_exact_mm2 \
                or glowed:
            x, y, w, h = m.box
            copy = (x0 + round(x / f), y0 + round(y / f), round(w / f), round(h / f))
            original = (copy[0] - round(dx / f), copy[1] - round(dy / f), copy[2], copy[3])
            found.append(Duplicate(original, copy, ncc, shared, m.exact_mm2))
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
