"""Find stamp impressions on an upright page and measure their physics in the three lights.

Stamp ink (official, stamp-pad or a colour print of it) is saturated violet, blue or red;
the offset background and labels are pastel to mid-tone and B900 black has no colour. So ink
is found by its chroma relative to the local paper level (which removes the background tint
and uneven illumination), at a coarse working scale, and grouped into impressions by a
closing that bridges the gaps between a stamp's border, texts and pictogram.

A pale print or a pale impression on dense, strongly tinted guilloche has no more colour
than the lines; the finder model (`models/stamp_find`, a small fully convolutional network
over the whole page) marks stamp ink and toner dots on the same 100 dpi grid, and its
stamp-ink cells join the rule's ink. Inside them, a pixel is ink where its absorbance has a
component across the colour of the background lines around it. The model's stamp-ink
probability also travels with each impression, so the check can tell non-glowing stamp ink
from non-glowing guilloche.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from scanner.page import Box, Page

FloatImage = NDArray[np.float32]
Mask = NDArray[np.bool_]
FIND_DPI = 100.0  # working scale for finding and grouping impressions
MIN_CHROMA = 0.10  # relative chroma of ink pixels (see StampThresholds.ink_min_chroma)
FINDER_DPI = 400.0  # the finder model's input scale
FINDER_STRIDE = 4  # its output cell: 4 input pixels = FIND_DPI
FINDER_MULTIPLE = 16  # its input sides: it halves the output grid twice more, for context
FINDER_MIN = 0.5  # probability at which the finder's maps count a cell as ink / as print
DOT_SIGMAS = 5.0  # depth of a carbon dot in IR, in noise sigmas of the paper around it (6 until
# session 17: the dots of fine screens, 116-146 lpi, fell under it on noisy captures)
DOT_MIN_DEPTH = 0.03  # ... and at least this much of the paper level
PALE_MIN_ABSORBANCE = 0.12  # absorbance across the background colour: off-ink pixels < 0.07
LINES_COLOUR = 0.97  # cosine from which an ink cannot be unmixed from the background lines
LINES_OWN = 0.99  # ... and from which a colour is the lines' own (a violet ink on violet ~0.98)
# "weak orange" (SPECIMENS.md), the hue of the official ink's UV emission: R > G > B
ORANGE = np.array([1.0, 0.5, 0.1], np.float32) / np.float32(np.linalg.norm([1.0, 0.5, 0.1]))
FINDER_PATH = Path(__file__).resolve().parents[2] / "models" / "stamp_find" / "stamp_find.onnx"
FINDER_RETRAIN = "retrain it with `.venv/bin/python models/stamp_find/train.py` (MODEL_CARD.md)"


@dataclass
class Impression:
    """One stamp impression: where it is, and what the three lights show of it."""

    box: Box  # page pixels
    ink_mm2: float  # area covered by ink
    size_mm: tuple[float, float]  # sides of the rotated bounding rectangle
    touches_edge: bool
    mask: Mask  # ink pixels inside `box`, page resolution
    darkness: FloatImage  # 1 - relative reflectance (darkest channel) inside `box`
    uv_emission: float = 0.0  # orange UV emission per unit of ink darkness
    ir_dark_fraction: float = 0.0  # ink pixels that are dark in IR (carbon toner dots)
    texture: float = 0.0  # high-frequency colour energy per unit of darkness (print dots)
    stamp_ink: float = 0.0  # the finder model's mean probability that the ink is stamp ink
    features: dict[str, float] = field(default_factory=dict)
    maps: dict[str, FloatImage] = field(default_factory=dict)  # per-pixel measures in `box`


def paper_level(image: FloatImage, dpi: float, radius_mm: float = 1.6) -> FloatImage:
    """The local level of bare paper (per channel): a smoothed maximum over `radius_mm`.

    The level is smooth by construction, so it is computed at no more than 100 dpi and
    resized back: a dilation with a 3 mm disc at 400 dpi costs sixteen times as much.
    """
    import cv2  # noqa: PLC0415

    height, width = image.shape[:2]
    f = min(1.0, 100.0 / dpi)
    small = image if f == 1.0 else np.asarray(cv2.resize(
        image, (max(1, round(width * f)), max(1, round(height * f))),
        interpolation=cv2.INTER_AREA), np.float32)
    k = max(3, round(2 * radius_mm * dpi * f / 25.4) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
    level = cv2.dilate(cv2.GaussianBlur(small, (3, 3), 0), kernel)
    level = cv2.GaussianBlur(level, (0, 0), k / 3)
    if f != 1.0:
        level = cv2.resize(level, (width, height), interpolation=cv2.INTER_LINEAR)
    smooth: FloatImage = np.maximum(np.asarray(level, np.float32), 1e-3)
    return smooth


def relative_white(page: Page, factor: float) -> tuple[FloatImage, FloatImage]:
    """White light (resized by `factor`) relative to the local paper, and the paper level."""
    import cv2  # noqa: PLC0415

    white = page.white if factor == 1.0 else np.asarray(cv2.resize(
        page.white, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA), np.float32)
    level = paper_level(white, page.dpi * factor)
    rel: FloatImage = np.clip(white / level, 0.0, 1.2).astype(np.float32)
    return rel, level


def chroma(rel: FloatImage) -> FloatImage:
    """Max minus min channel: how coloured a pixel is (OpenCV: numpy's reductions over the
    channel axis are several times slower on full pages)."""
    import cv2  # noqa: PLC0415

    r, g, b = cv2.split(np.ascontiguousarray(rel))
    out: FloatImage = np.asarray(cv2.subtract(cv2.max(cv2.max(r, g), b),
                                              cv2.min(cv2.min(r, g), b)), np.float32)
    return out


def relative_planes(page: Page) -> tuple[FloatImage, FloatImage, FloatImage]:
    """White light and IR at page resolution relative to their local paper level, and the
    white paper level at FIND_DPI."""
    import cv2  # noqa: PLC0415

    height, width = page.ir.shape
    f = FIND_DPI / page.dpi
    small_size = (max(1, round(width * f)), max(1, round(height * f)))
    level = paper_level(np.asarray(cv2.resize(page.white, small_size,
                                              interpolation=cv2.INTER_AREA), np.float32),
                        FIND_DPI)
    ir_small = np.asarray(cv2.resize(page.ir, small_size, interpolation=cv2.INTER_AREA),
                          np.float32)
    # the paper levels at page size are divided in place (no more page-sized arrays)
    rel, rel_ir = (np.asarray(cv2.resize(smooth, (width, height)), np.float32)
                   for smooth in (level, paper_level(ir_small, FIND_DPI)))
    for plane, image in ((rel, page.white), (rel_ir, page.ir)):
        np.maximum(plane, 1e-3, out=plane)
        np.divide(image, plane, out=plane)
    return rel, rel_ir, level


def finder_input(page: Page, planes: tuple[FloatImage, FloatImage] | None = None,
                 ) -> FloatImage:
    """The finder model's input (4, H, W): relative R, G, B and IR at 400 dpi, clipped to
    0..1.2, H and W cut to a multiple of FINDER_MULTIPLE."""
    import cv2  # noqa: PLC0415

    rel, rel_ir = planes or relative_planes(page)[:2]
    if page.dpi != FINDER_DPI:
        s = FINDER_DPI / page.dpi
        rel, rel_ir = (np.asarray(cv2.resize(p, None, fx=s, fy=s,
                                             interpolation=cv2.INTER_LINEAR), np.float32)
                       for p in (rel, rel_ir))
    h, w = (d - d % FINDER_MULTIPLE for d in rel_ir.shape)
    out: FloatImage = np.empty((4, h, w), np.float32)
    for i in range(3):  # both are >= 0: paper level > 0
        np.minimum(rel[:h, :w, i], 1.2, out=out[i])
    np.minimum(rel_ir[:h, :w], 1.2, out=out[3])
    return out


def finder_maps(logits: FloatImage, shape: tuple[int, int]) -> tuple[FloatImage, FloatImage]:
    """The model's (1, 2, h, w) logits as probability maps of stamp ink and of printed
    toner, resized to `shape` (the FIND_DPI grid of the page)."""
    import cv2  # noqa: PLC0415

    prob = 1.0 / (1.0 + np.exp(-np.clip(np.asarray(logits, np.float32)[0], -40, 40)))
    ink, printed = (np.asarray(cv2.resize(p, (shape[1], shape[0]),
                                          interpolation=cv2.INTER_LINEAR), np.float32)
                    for p in prob)
    return ink, printed


def run_finder(page: Page, planes: tuple[FloatImage, FloatImage], shape: tuple[int, int],
               ) -> tuple[FloatImage, FloatImage]:
    """Stamp-ink and printed-toner probability maps on the FIND_DPI grid."""
    from scanner.onnx_runner import get_runner  # noqa: PLC0415

    runner = get_runner(FINDER_PATH, retrain_hint=FINDER_RETRAIN, warm_up_shape=(1, 4, 64, 64))
    return finder_maps(runner.run(finder_input(page, planes)[None]), shape)


def find_impressions(page: Page, *, min_chroma: float = MIN_CHROMA, close_mm: float = 5.0,
                     min_side_mm: float = 12.0, min_ink_mm2: float = 12.0,
                     min_core_mm2: float = 4.0) -> list[Impression]:
    """Group saturated ink into impressions; tiny coloured specks and thin labels are dropped."""
    import cv2  # noqa: PLC0415

    f = FIND_DPI / page.dpi
    full, ir_full, level = relative_planes(page)
    small = (level.shape[1], level.shape[0])
    colour = chroma(np.asarray(cv2.resize(full, small, interpolation=cv2.INTER_AREA), np.float32))
    # printed dots: C, M, Y toner dots (chroma ~0.7) stay saturated at full resolution even
    # where K dots and paper between them leave little colour at the working scale; offset
    # lines reach ~0.3 at most
    dots = np.asarray(cv2.resize((chroma(full) > 3 * min_chroma).astype(np.float32), small,
                                 interpolation=cv2.INTER_AREA))
    # K toner dots are carbon: dark in IR, where every stamp ink and offset colour is clear
    carbon = np.asarray(cv2.resize((ir_full < 0.8).astype(np.float32), small,
                                   interpolation=cv2.INTER_AREA))
    # the finder model sees pale prints and pale impressions on dense, tinted guilloche
    # that the rules above miss; its stamp-ink cells join the ink, and the three lights
    # still judge it (`_measure` keeps only pixels of another colour than the lines)
    model_ink, model_print = run_finder(page, (full, ir_full), colour.shape)
    learned = model_ink >= FINDER_MIN
    strong = (colour > 2 * min_chroma) | (dots > 0.3) | (carbon > 0.2) | learned
    core = np.asarray(cv2.morphologyEx(strong.astype(np.uint8), cv2.MORPH_OPEN,
                                       np.ones((2, 2), np.uint8)), np.uint8)
    # faint ink counts only next to full-strength ink: mid-tone offset lines do not glue
    near = cv2.dilate(core, np.ones((7, 7), np.uint8)).astype(bool)
    ink = ((((colour > min_chroma) | (dots > 0.1) | (carbon > 0.1)) & near) | learned
           ).astype(np.uint8)
    core = core.astype(bool)
    k = round(close_mm * FIND_DPI / 25.4) | 1
    closed = cv2.morphologyEx(ink, cv2.MORPH_CLOSE,
                              cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(closed, connectivity=8)
    mm_per_px = 25.4 / FIND_DPI
    height, width = ink.shape
    found: list[Impression] = []
    for i in range(1, count):
        x, y, w, h, _ = (int(v) for v in stats[i])
        component = labels[y:y + h, x:x + w] == i
        ink_px = int((ink[y:y + h, x:x + w].astype(bool) & component).sum())
        ink_mm2 = ink_px * mm_per_px ** 2
        points = np.argwhere(component)[:, ::-1].astype(np.float32)
        (_, _), (rw, rh), _ = cv2.minAreaRect(points)
        sides = (max(rw, rh) * mm_per_px, min(rw, rh) * mm_per_px)
        edge = x <= 1 or y <= 1 or x + w >= width - 1 or y + h >= height - 1
        core_mm2 = int((core[y:y + h, x:x + w] & component).sum()) * mm_per_px ** 2
        if ink_mm2 < min_ink_mm2 or core_mm2 < min_core_mm2 or \
                (sides[1] < min_side_mm and not edge):
            continue
        box = (round(x / f), round(y / f), round(w / f), round(h / f))
        found.append(_measure(page, box, ink_mm2, sides, edge=edge, min_chroma=min_chroma,
                              learned=(model_ink, model_print)))
    return found


def absorbance(rel: FloatImage) -> FloatImage:
    """Per pixel and channel, -log of the relative reflectance (inks filter: these add up)."""
    import cv2  # noqa: PLC0415

    out: FloatImage = -np.asarray(cv2.log(np.clip(rel, 0.02, 1.0)), np.float32)
    return out


def _median_colour(absorbances: NDArray[np.floating]) -> NDArray[np.float64]:
    """The unit colour (absorbance direction) of a set of (N, 3) pixel absorbances."""
    k: NDArray[np.float64] = np.median(absorbances, axis=0)
    return k / max(float(np.linalg.norm(k)), 1e-6)


def ink_colours(absorbances: NDArray[np.floating], *, same: float = 0.9,
                least_share: float = 0.1, background: NDArray[np.floating] | None = None,
                ) -> list[NDArray[np.float64]]:
    """The unit colours of the one or two inks among (N, 3) pixel absorbances, the more
    frequent first: overlapping stamps of different colours form one group. Two colours
    only where both hold at least `least_share` of the pixels and their cosine is below
    `same`: a red and a violet or blue stamp ~0.6-0.8; closer colours (violet and blue
    ~0.9) make the unmixing of two inks and the background ill-conditioned, so they are
    taken as one ink. Two-means on the colour directions, started from the colour of all
    pixels and that of the `least_share` farthest from it: a red and a violet stamp of
    equal ink put the median of all between them, within `same` of both. Of two colours,
    one within `LINES_OWN` of the `background` lines' colour is those lines (dark
    guilloche among the full-strength ink), and the other is the one ink; a violet stamp
    on violet guilloche lies ~0.98 from the lines and stays an ink."""
    k0 = _median_colour(absorbances)
    norms = np.linalg.norm(absorbances, axis=1)
    keep = norms > 1e-3
    units = absorbances[keep] / norms[keep][:, None]
    if len(units) < 20:
        return [k0]
    along = units @ k0
    centres = [k0, _median_colour(units[along <= np.quantile(along, least_share)])]
    for _ in range(5):
        second = units @ centres[1] > units @ centres[0]
        if second.all() or not second.any():
            return [k0]
        centres = [_median_colour(units[~second]), _median_colour(units[second])]
    share = float(second.mean())
    if min(share, 1.0 - share) < least_share or float(centres[0] @ centres[1]) >= same:
        return [k0]
    lines = [background is not None and float(c @ background) >= LINES_OWN
             for c in centres]
    if any(lines) and not all(lines):
        return [centres[lines.index(False)]]
    return centres if share <= 0.5 else centres[::-1]


def ink_amount(rel: FloatImage, strong: Mask, mask: Mask, dark: FloatImage,
               ) -> tuple[FloatImage, FloatImage]:
    """How much stamp ink lies on each pixel, with the background print unmixed.

    Inks filter light, so absorbances (-log of relative reflectance) add up: a pixel holds
    a * (the stamp ink's absorbance colour) + b * (the background lines' colour). Both
    colours are taken from the impression itself (its full-strength ink, and dark pixels
    off the ink around it) and `a` is solved per pixel. A copy of an impression then
    repeats its ink amounts even where other guilloche lines run under it. Where stamps of
    two ink colours overlap in one group, both inks are unmixed and each pixel holds the
    amount of its main ink, so a copy merged with a stamp of another colour still
    repeats its original's amounts. Also returns each pixel's ink colour (H, W, 3: unit
    absorbance vector; a read-only view of the one colour when the group has one ink).
    """
    import cv2  # noqa: PLC0415

    # only ink pixels are unmixed: the amount is zero elsewhere (on a large group of
    # guilloche this halves the work)
    absorb = absorbance(rel[mask][:, None, :])  # (N, 1, 3): OpenCV's per-pixel transforms
    around = ~cv2.dilate(mask.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool) & \
        (dark > 0.08)
    k_bg = _median_colour(absorbance(rel[around])) if around.sum() >= 100 else None
    inks = ink_colours(absorb[strong[mask], 0], background=k_bg)
    colours = list(inks)
    if k_bg is not None:
        basis = np.stack([*inks, k_bg], axis=1)
        # distinguishable colours: the background is not (nearly) a mix of the inks
        if max(float(k_bg @ k) for k in inks) < LINES_COLOUR and \
                np.linalg.svd(basis, compute_uv=False)[-1] > 0.1:
            colours.append(k_bg)
    unmix = np.linalg.pinv(np.stack(colours, axis=1))[:len(inks)]  # rows that give each `a`
    amounts = np.asarray(cv2.transform(absorb, unmix.astype(np.float32)), np.float32)
    amounts = amounts.reshape(-1, len(inks))
    out: FloatImage = np.zeros(rel.shape[:2], np.float32)
    if len(inks) == 1:
        out[mask] = np.maximum(amounts[:, 0], 0.0)
        colour: FloatImage = np.broadcast_to(np.asarray(inks[0], np.float32), rel.shape)
        return out, colour
    main = np.argmax(amounts, axis=1)
    out[mask] = np.maximum(np.take_along_axis(amounts, main[:, None], axis=1)[:, 0], 0.0)
    colour = np.zeros(rel.shape, np.float32)
    colour[mask] = np.asarray(np.stack(inks), np.float32)[main]
    return out, colour


def foreign_absorbance(rel: FloatImage, background: Mask, where: Mask | None = None,
                       ) -> FloatImage:
    """Per pixel, the absorbance that the background print's colour does not explain.

    Absorbances of inks add up, so a pixel of background lines absorbs along one colour
    direction (taken as the median over `background`, dark pixels off the ink) and a pixel
    of stamp ink, even one as pale as the lines, adds a component across it. Zero when
    the background is too small to give its colour, and outside `where` when given.
    """
    import cv2  # noqa: PLC0415

    out: FloatImage = np.zeros(rel.shape[:2], np.float32)
    where = np.ones(rel.shape[:2], bool) if where is None else where
    if background.sum() < 100 or not where.any():
        return out
    k_bg = _median_colour(absorbance(rel[background]))
    absorb = absorbance(rel[where][:, None, :])  # (N, 1, 3): OpenCV's per-pixel transforms
    # |a|^2 - (a . k)^2 per pixel
    along = np.asarray(cv2.transform(absorb, k_bg[None, :].astype(np.float32)), np.float32)
    total = np.asarray(cv2.transform(absorb * absorb, np.ones((1, 3), np.float32)), np.float32)
    out[where] = np.sqrt(np.maximum(total.reshape(-1) - along.reshape(-1) ** 2, 0.0))
    return out


def carbon_dots(rel_ir: FloatImage, paper: Mask, dpi: float) -> Mask:
    """Pixels of small dark dots in IR: the K (carbon) toner dots of a colour print.

    Every stamp ink and offset colour is transparent in IR (official ink keeps >= 0.75 of
    the paper level, as solid strokes), so the only dots are toner, wherever the print lies:
    under or over official ink too, where its colour merges with the official stroke. A dot
    is darker than its surroundings along every direction (a closing along each of four
    lines about 0.45 mm long fills it), while a stroke or an edge is not along its own
    direction. Its depth must reach `DOT_SIGMAS` times the sensor noise of the `paper`
    pixels around (and `DOT_MIN_DEPTH`)."""
    import cv2  # noqa: PLC0415

    n = round(7 * dpi / 400) | 1
    line = np.ones((1, n), np.uint8)
    diagonal = np.eye(n, dtype=np.uint8)
    depth = None
    for kernel in (line, line.T.copy(), diagonal, diagonal[:, ::-1].copy()):
        deeper = cv2.subtract(cv2.morphologyEx(rel_ir, cv2.MORPH_CLOSE, kernel), rel_ir)
        depth = deeper if depth is None else cv2.min(depth, deeper)
    detail = rel_ir - cv2.GaussianBlur(rel_ir, (0, 0), 1.5 * dpi / 400)
    # the noise's sigma from the median deviation, over every fourth row and column of paper
    sample = np.abs(detail[::4, ::4][paper[::4, ::4]])
    noise = float(np.median(sample)) / 0.6745 if sample.size else 0.0
    out: Mask = np.asarray(depth) > max(DOT_SIGMAS * noise, DOT_MIN_DEPTH)
    return out


def orange_emission(uv: FloatImage, paper: Mask, dpi: float, radius_mm: float = 3.0,
                    ) -> FloatImage:
    """Per pixel, the orange UV emission of ink (in units of R - B), without the glow of
    what lies under the ink.

    Ink is a filter on top of the page: a pixel of ink shows a part of the UV glow under it
    (the dull substrate, or the yellow-green emblem) plus its own emission. The glow under
    it is the paper's around it (`paper`: bare paper pixels, averaged within `radius_mm`),
    and how much of it the ink lets through is not known, so each pixel's difference from
    that level is split into the orange direction and the direction of that glow; the
    orange part is the emission. An ink that does not glow, over the emblem, then shows
    none, where R - B alone takes the emblem's yellow-green for orange.
    """
    import cv2  # noqa: PLC0415

    height, width = paper.shape
    f = min(1.0, 50.0 / dpi)
    size = (max(1, round(width * f)), max(1, round(height * f)))
    weight = paper.astype(np.float32)
    sigma = radius_mm * dpi * f / 25.4
    num = cv2.resize(uv * weight[..., None], size, interpolation=cv2.INTER_AREA)
    den = cv2.resize(weight, size, interpolation=cv2.INTER_AREA)
    fallback = num.sum(axis=(0, 1)) / max(float(den.sum()), 1e-6)  # all paper of the crop
    num, den = cv2.GaussianBlur(num, (0, 0), sigma), cv2.GaussianBlur(den, (0, 0), sigma)
    level = np.where(den[..., None] > 1e-3, num / np.maximum(den, 1e-3)[..., None], fallback)
    under = level / np.maximum(np.linalg.norm(level, axis=2), 1e-3)[..., None]
    c = under @ ORANGE
    # least squares of (pixel - level) = e * ORANGE + t * under, solved for e: since level
    # lies along `under`, e is the pixel times a smooth weight, found on the small grid
    w = (ORANGE - c[..., None] * under) / np.maximum(1.0 - c * c, 0.1)[..., None]
    w *= ORANGE[0] - ORANGE[2]  # in units of R - B
    w_full = np.asarray(cv2.resize(w.astype(np.float32), (width, height),
                                   interpolation=cv2.INTER_LINEAR), np.float32)
    out: FloatImage = np.asarray(cv2.transform(uv * w_full, np.ones((1, 3), np.float32)),
                                 np.float32).reshape(height, width)
    return out


def _measure(page: Page, box: Box, ink_mm2: float, sides: tuple[float, float], *, edge: bool,
             min_chroma: float, learned: tuple[FloatImage, FloatImage]) -> Impression:
    """Ink mask and physics features of one impression at page resolution."""
    import cv2  # noqa: PLC0415

    height, width = page.ir.shape
    pad = round(2.0 * page.dpi / 25.4)
    x0, y0 = max(0, box[0] - pad), max(0, box[1] - pad)
    x1, y1 = min(width, box[0] + box[2] + pad), min(height, box[1] + box[3] + pad)
    crop = Page(page.white[y0:y1, x0:x1], page.ir[y0:y1, x0:x1], page.uv[y0:y1, x0:x1],
                page.dpi, page.to_capture, page.rotation_deg, page.cropped)
    rel, _ = relative_white(crop, 1.0)
    r, g, b = cv2.split(rel)
    dark = np.asarray(1.0 - cv2.min(cv2.min(r, g), b), np.float32)
    sigma = page.dpi / 400.0
    smooth = np.asarray(cv2.GaussianBlur(rel, (0, 0), 1.2 * sigma), np.float32)
    coarse = np.asarray(cv2.GaussianBlur(rel, (0, 0), 2.5 * sigma), np.float32)
    rel_ir = (crop.ir / paper_level(crop.ir, page.dpi)).astype(np.float32)
    carbon = np.asarray(cv2.GaussianBlur(rel_ir, (0, 0), 1.2 * sigma), np.float32) < 0.8
    mask = (chroma(coarse) > min_chroma) | (chroma(rel) > min_chroma) | carbon
    smooth_chroma = chroma(smooth)
    # full-strength ink: coloured, or carbon (K toner) dots
    strong = mask & ((smooth_chroma > 2 * min_chroma) | carbon) & (dark > 0.25)
    # the finder model's cells (FIND_DPI) at page resolution
    f = FIND_DPI / page.dpi
    rows = np.minimum(((np.arange(y0, y1) + 0.5) * f).astype(int), learned[0].shape[0] - 1)
    cols = np.minimum(((np.arange(x0, x1) + 0.5) * f).astype(int), learned[0].shape[1] - 1)
    model_ink, model_print = (m[np.ix_(rows, cols)] for m in learned)
    inked = model_ink >= FINDER_MIN
    found = inked & (model_print >= FINDER_MIN)
    # pale ink the rules missed, away from ink the rules measured (the model's cells also
    # hold background lines, which must not dilute measured ink): printed dots darker than
    # paper, or ink of another colour than the background lines
    measured = cv2.dilate(strong.astype(np.uint8), np.ones((9, 9), np.uint8)).astype(bool)
    pale = inked & (dark > 0.12)
    foreign = foreign_absorbance(smooth, ~inked & ~mask & (dark > 0.08), where=pale)
    pale &= foreign > PALE_MIN_ABSORBANCE
    mask |= (found & (dark > 0.06)) | pale
    strong |= ~measured & ((found & (dark > 0.12) & ((smooth_chroma > min_chroma / 2) | carbon))
                           | pale)
    paper = ~cv2.dilate(mask.astype(np.uint8), np.ones((7, 7), np.uint8)).astype(bool) & \
        (dark < 0.15)
    imp = Impression((x0, y0, x1 - x0, y1 - y0), ink_mm2, sides, edge, mask, dark)
    if strong.sum() < 50 or paper.sum() < 50:
        return imp
    # the ink amounts (for the duplicate search) need only the masks: they are unmixed on
    # the other core while the UV emission is measured
    with ThreadPoolExecutor(max_workers=1) as beside:
        unmixed = beside.submit(ink_amount, rel, strong, mask, dark)
        orange = orange_emission(crop.uv, paper, page.dpi)
        ink_dark = float(np.median(dark[strong]))
        emission = float(np.median(orange[strong]))
        imp.uv_emission = emission / max(ink_dark, 0.05)
        imp.ir_dark_fraction = float((rel_ir < 0.6)[mask].mean())
        detail = np.asarray(cv2.transform(cv2.absdiff(rel, smooth), np.ones((1, 3), np.float32)),
                            np.float32).reshape(dark.shape)
        imp.maps = {"rel": rel, "rel_ir": rel_ir, "strong": strong.astype(np.float32),
                    "orange": orange,
                    "carbon_dots": carbon_dots(rel_ir, paper, page.dpi).astype(np.float32),
                    "detail": detail.astype(np.float32), "printed": model_print,
                    "stamp_ink": model_ink}
        imp.texture = float(np.median(detail[strong])) / max(ink_dark, 0.05)
        imp.stamp_ink = float(model_ink[strong].mean())
        imp.maps["ink_amount"], imp.maps["ink_colour"] = unmixed.result()
        imp.features = {"uv_emission": imp.uv_emission, "ir_dark_fraction": imp.ir_dark_fraction,
                        "texture": imp.texture, "ink_darkness": ink_dark,
                        "stamp_ink": imp.stamp_ink}
    return imp
