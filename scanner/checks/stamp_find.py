"""Find stamp impressions on an upright page and measure their physics in the three lights.

Stamp ink (official, stamp-pad or a colour print of it) is saturated violet, blue or red;
the offset background and labels are pastel to mid-tone and B900 black has no colour. So ink
is found by its chroma relative to the local paper level (which removes the background tint
and uneven illumination), at a coarse working scale, and grouped into impressions by a
closing that bridges the gaps between a stamp's border, texts and pictogram.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from scanner.page import Box, Page

FloatImage = NDArray[np.float32]
Mask = NDArray[np.bool_]
FIND_DPI = 100.0  # working scale for finding and grouping impressions
MIN_CHROMA = 0.10  # relative chroma of ink pixels (see StampThresholds.ink_min_chroma)


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


def find_impressions(page: Page, *, min_chroma: float = MIN_CHROMA, close_mm: float = 5.0,
                     min_side_mm: float = 8.0, min_ink_mm2: float = 12.0,
                     min_core_mm2: float = 4.0) -> list[Impression]:
    """Group saturated ink into impressions; tiny coloured specks and thin labels are dropped."""
    import cv2  # noqa: PLC0415

    f = FIND_DPI / page.dpi
    rel, level = relative_white(page, f)
    colour = chroma(rel)
    # printed dots: C, M, Y toner dots (chroma ~0.7) stay saturated at full resolution even
    # where K dots and paper between them leave little colour at the working scale; offset
    # lines reach ~0.3 at most
    height, width = page.ir.shape
    full = (page.white / np.maximum(cv2.resize(level, (width, height)), 1e-3)).astype(np.float32)
    dots = np.asarray(cv2.resize((chroma(full) > 3 * min_chroma).astype(np.float32),
                                 (rel.shape[1], rel.shape[0]), interpolation=cv2.INTER_AREA))
    # K toner dots are carbon: dark in IR, where every stamp ink and offset colour is clear
    ir_small = np.asarray(cv2.resize(page.ir, (rel.shape[1], rel.shape[0]),
                                     interpolation=cv2.INTER_AREA), np.float32)
    ir_full = page.ir / np.maximum(cv2.resize(paper_level(ir_small, FIND_DPI), (width, height)),
                                   1e-3)
    carbon = np.asarray(cv2.resize((ir_full < 0.8).astype(np.float32),
                                   (rel.shape[1], rel.shape[0]), interpolation=cv2.INTER_AREA))
    strong = (colour > 2 * min_chroma) | (dots > 0.3) | (carbon > 0.2)
    core = np.asarray(cv2.morphologyEx(strong.astype(np.uint8), cv2.MORPH_OPEN,
                                       np.ones((2, 2), np.uint8)), np.uint8)
    # faint ink counts only next to full-strength ink: mid-tone offset lines do not glue
    near = cv2.dilate(core, np.ones((7, 7), np.uint8)).astype(bool)
    ink = (((colour > min_chroma) | (dots > 0.1) | (carbon > 0.1)) & near).astype(np.uint8)
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
        found.append(_measure(page, box, ink_mm2, sides, edge=edge, min_chroma=min_chroma))
    return found


def _measure(page: Page, box: Box, ink_mm2: float, sides: tuple[float, float], *, edge: bool,
             min_chroma: float) -> Impression:
    """Ink mask and physics features of one impression at page resolution."""
    import cv2  # noqa: PLC0415

    height, width = page.ir.shape
    pad = round(2.0 * page.dpi / 25.4)
    x0, y0 = max(0, box[0] - pad), max(0, box[1] - pad)
    x1, y1 = min(width, box[0] + box[2] + pad), min(height, box[1] + box[3] + pad)
    crop = Page(page.white[y0:y1, x0:x1], page.ir[y0:y1, x0:x1], page.uv[y0:y1, x0:x1],
                page.dpi, page.to_capture, page.rotation_deg, page.cropped)
    rel, _ = relative_white(crop, 1.0)
    dark = (1.0 - rel.min(axis=2)).astype(np.float32)
    sigma = page.dpi / 400.0
    smooth = np.asarray(cv2.GaussianBlur(rel, (0, 0), 1.2 * sigma), np.float32)
    coarse = np.asarray(cv2.GaussianBlur(rel, (0, 0), 2.5 * sigma), np.float32)
    rel_ir = (crop.ir / paper_level(crop.ir, page.dpi)).astype(np.float32)
    carbon = np.asarray(cv2.GaussianBlur(rel_ir, (0, 0), 1.2 * sigma), np.float32) < 0.8
    mask = (chroma(coarse) > min_chroma) | (chroma(rel) > min_chroma) | carbon
    # full-strength ink: coloured, or carbon (K toner) dots
    strong = mask & ((chroma(smooth) > 2 * min_chroma) | carbon) & (dark > 0.25)
    paper = ~cv2.dilate(mask.astype(np.uint8), np.ones((7, 7), np.uint8)).astype(bool) & \
        (dark < 0.15)
    imp = Impression((x0, y0, x1 - x0, y1 - y0), ink_mm2, sides, edge, mask, dark)
    if strong.sum() < 50 or paper.sum() < 50:
        return imp
    orange = crop.uv[..., 0] - crop.uv[..., 2]
    ink_dark = float(np.median(dark[strong]))
    paper_orange = float(np.median(orange[paper]))
    emission = float(np.median(orange[strong])) - paper_orange
    imp.uv_emission = emission / max(ink_dark, 0.05)
    imp.ir_dark_fraction = float((rel_ir < 0.6)[mask].mean())
    detail = np.abs(rel - smooth).sum(axis=2)
    imp.maps = {"rel": rel, "rel_ir": rel_ir, "strong": strong.astype(np.float32),
                "orange": (orange - paper_orange).astype(np.float32),
                "detail": detail.astype(np.float32)}
    imp.texture = float(np.median(detail[strong])) / max(ink_dark, 0.05)
    imp.features = {"uv_emission": imp.uv_emission, "ir_dark_fraction": imp.ir_dark_fraction,
                    "texture": imp.texture, "ink_darkness": ink_dark}
    return imp
