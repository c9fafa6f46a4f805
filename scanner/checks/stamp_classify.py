"""Tell the inks of a group of (possibly overlapping) impressions apart, cell by cell.

Stamps overlap each other, so one group of connected ink may hold an official impression
and a forged one. Each ~2 mm cell of ink gets a kind from its own evidence (orange UV
emission per unit of ink darkness; for ink that does not glow, the model's reproduction
score of patches in it, the print-dot texture and the finder model's printed-toner map), and
cells of one kind are grouped again into impressions. A part that does not glow is reported
only where the finder model takes it for stamp ink: guilloche loops do not glow either.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from scanner.checks.stamp_find import FloatImage, Impression
from scanner.checks.stamp_ink import extract_patches, ink_centres, patch_stack
from scanner.page import Box

Scorer = Callable[[FloatImage], NDArray[np.float32]]  # patches (N, 4, 48, 48) -> P(print)
KINDS = ("official", "stamp_pad", "reproduction")


@dataclass
class Part:
    """Ink of one kind inside a group: one impression as reported."""

    box: Box  # page pixels
    kind: str  # "official" | "stamp_pad" | "reproduction"
    ink_mm2: float
    uv_emission: float  # orange emission per unit of ink darkness
    print_score: float  # mean reproduction probability of the model's patches
    texture: float
    stamp_ink: float  # mean probability of the finder model that the part is stamp ink


def _cells(values: FloatImage, step: int, shape: tuple[int, int]) -> FloatImage:
    """Sum of `values` per step x step cell."""
    import cv2  # noqa: PLC0415

    h, w = values.shape
    pad = np.zeros((shape[0] * step, shape[1] * step), np.float32)
    pad[:h, :w] = values
    # an area resize by a whole factor averages each cell exactly
    out: FloatImage = np.asarray(cv2.resize(pad, (shape[1], shape[0]),
                                            interpolation=cv2.INTER_AREA), np.float32)
    return out * float(step * step)


def split_group(imp: Impression, dpi: float, score: Scorer, *, uv_min: float,
                print_min: float, texture_min: float, min_part_mm2: float,
                min_stamp_ink: float, print_part_mm2: float,
                print_extent_mm: tuple[float, float],
                min_side_mm: float = 8.0,
                cell_mm: float = 2.0) -> list[Part]:
    """The impressions of one group, one per connected run of cells of one ink kind.

    A run needs `min_part_mm2` of full-strength ink and a short side of `min_side_mm`,
    except a run of printed cells with a whole stamp's extent (`print_extent_mm`, short and
    long side) where the finder model also sees toner: it needs `print_part_mm2` only,
    because a pale or coarse print of a stamp keeps little of its ink at full strength."""
    import cv2  # noqa: PLC0415

    if not imp.maps:
        return []
    maps = imp.maps
    strong = maps["strong"]
    step = max(2, round(cell_mm * dpi / 25.4))
    h, w = strong.shape
    shape = (-(-h // step), -(-w // step))
    box3 = np.ones((3, 3), np.float32)

    def smoothed(values: FloatImage) -> FloatImage:
        return np.asarray(cv2.filter2D(_cells(values, step, shape), -1, box3,
                                       borderType=cv2.BORDER_CONSTANT), np.float32)

    ink = smoothed(strong)
    darkness = np.maximum(smoothed(imp.darkness * strong), 1e-3)
    emission = smoothed(maps["orange"] * strong) / darkness
    texture = smoothed(maps["detail"] * strong) / darkness
    centres = ink_centres(strong > 0, dpi, limit=384)
    hits, total = np.zeros(shape, np.float32), np.zeros(shape, np.float32)
    if centres:
        stack = patch_stack(maps["rel"], maps["rel_ir"])
        probs = score(extract_patches(stack, centres, dpi))
        for (x, y), p in zip(centres, probs.tolist(), strict=True):
            hits[y // step, x // step] += p
            total[y // step, x // step] += 1
    hits, total = (np.asarray(cv2.filter2D(a, -1, box3, borderType=cv2.BORDER_CONSTANT),
                              np.float32) for a in (hits, total))
    printed = hits / np.maximum(total, 1e-3)
    # the finder model's printed-toner probability, averaged over the cells' ink
    learned = smoothed(maps["printed"] * strong) / np.maximum(ink, 1e-3)
    stamp_like = smoothed(maps["stamp_ink"] * strong) / np.maximum(ink, 1e-3)
    ink_px = _cells(strong, step, shape)  # ink pixels per cell
    has_ink = (ink_px > 0) & (total > 0)
    # official ink glows; of the ink that does not, printed dots are a reproduction
    dotted = (printed >= print_min) | (texture >= texture_min) | (learned >= print_min)
    kind = np.where(emission >= uv_min, 0, np.where(dotted, 2, 1))
    px_mm2 = (25.4 / dpi) ** 2
    parts: list[Part] = []
    for k, name in enumerate(KINDS):
        cells = (has_ink & (kind == k)).astype(np.uint8)
        cells = cv2.morphologyEx(cells, cv2.MORPH_CLOSE, np.ones((2, 2), np.uint8))
        count, labels, stats, _ = cv2.connectedComponentsWithStats(cells, connectivity=8)
        for i in range(1, count):
            sel = labels == i
            area = float(ink_px[sel].sum()) * px_mm2
            points = np.argwhere(sel)[:, ::-1].astype(np.float32)
            (_, _), (rw, rh), _ = cv2.minAreaRect(points)
            short_mm, long_mm = sorted((r + 1) * step * 25.4 / dpi for r in (rw, rh))
            weight = np.maximum(ink[sel], 1e-3)
            whole_print = name == "reproduction" and area >= print_part_mm2 and \
                short_mm >= print_extent_mm[0] and long_mm >= print_extent_mm[1] and \
                float(np.average(learned[sel], weights=weight)) >= print_min
            if (area < min_part_mm2 or short_mm < min_side_mm) and not whole_print:
                continue  # a fragment, or a thin line of label text
            likeness = float(np.average(stamp_like[sel], weights=weight))
            if name != "official" and likeness < min_stamp_ink:
                continue  # colour that does not glow and does not look like a stamp: guilloche
            cx, cy, cw, ch = (int(v) for v in stats[i][:4])
            box = (imp.box[0] + cx * step, imp.box[1] + cy * step,
                   min(cw * step, w - cx * step), min(ch * step, h - cy * step))
            parts.append(Part(box, name, area,
                              float(np.average(emission[sel], weights=weight)),
                              float(np.average(printed[sel], weights=weight)),
                              float(np.average(texture[sel], weights=weight)), likeness))
    return parts
