"""Tell the inks of a group of (possibly overlapping) impressions apart, pixel by pixel and
cell by cell.

Stamps overlap each other, so one group of connected ink may hold an official impression
and a forged one. Each pixel of ink glows or not by the orange UV emission per unit of ink
darkness of the ink within ~0.5 mm of it, so ink that touches or crosses ink of another kind
keeps its own kind. Each ~2 mm cell then holds ink of one or both: glowing ink, and ink that
does not glow, which looks printed or not by the cell's evidence (the model's reproduction
score of patches in it, the print-dot texture and the finder model's printed-toner map).
Cells of one kind are grouped again into impressions, and an impression that does not glow
is a reproduction or stamp-pad ink by most of its cells. Ink that does not glow counts only
where the finder model takes it for stamp ink: guilloche loops do not glow either. A print
that merges with an official impression glows by the official ink around it; it is found
by its carbon toner dots, which are dark in IR where no stamp ink is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from scanner.checks.stamp_find import FloatImage, Impression
from scanner.checks.stamp_ink import extract_patches, ink_centres, patch_stack
from scanner.page import Box, box_intersection

Scorer = Callable[[FloatImage], NDArray[np.float32]]  # patches (N, 4, 48, 48) -> P(print)


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
    carbon_dots: float = 0.0  # share of the area covered by carbon (IR-dark) toner dots,
    # where they make a run of a whole stamp's extent; else 0


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
                print_extent_mm: tuple[float, float], carbon_min_share: float,
                min_side_mm: float = 8.0,
                cell_mm: float = 2.0, glow_mm: float = 0.5,
                min_share: float = 0.25, cell_stamp_ink: float = 0.0) -> list[Part]:
    """The impressions of one group, one per connected run of cells of glowing ink or of
    ink that does not glow; the latter is printed or stamp-pad ink by most of its cells.

    Whether ink glows is judged over `glow_mm` (Gaussian sigma) around each pixel; a cell
    holds ink of a kind where that kind is `min_share` of the ink around it (3 x 3 cells),
    and a run's area counts its kind's ink only. Ink that does not glow joins a run only
    where the finder model takes it for stamp ink at `cell_stamp_ink` or more: guilloche of
    a stamp's colour around a forged impression would otherwise join its run and pass the
    whole run off as guilloche.

    A run needs `min_part_mm2` of full-strength ink and a short side of `min_side_mm`,
    except a run of ink that does not glow with a whole stamp's extent (`print_extent_mm`,
    short and long side): it needs `print_part_mm2` only, because a pale or coarse print of
    a stamp, or an impression mostly under official ones, keeps little full-strength ink
    of its own.

    A run of cells where carbon toner dots (dark in IR, `maps["carbon_dots"]`) cover at
    least `carbon_min_share` of the area, with a whole stamp's extent and `print_part_mm2`
    of ink, is a reproduction whether or not ink there glows: no stamp ink is dark in IR,
    and a print under or over an official impression glows by the official ink around it.
    A part of ink that does not glow that overlaps such a run is judged forged by its own
    ink already; it keeps the run's share of dots as evidence instead."""
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

    # each pixel of ink glows or not by the emission of the ink around it: ink of two kinds
    # that overlap or touch keeps its kind, where a sum over cells would mix them
    sigma = glow_mm * dpi / 25.4
    near_emission = cv2.GaussianBlur(maps["orange"] * strong, (0, 0), sigma) / np.maximum(
        cv2.GaussianBlur(imp.darkness * strong, (0, 0), sigma), 1e-3)
    glowing = strong * (near_emission >= uv_min).astype(np.float32)
    of_kind = (glowing, strong - glowing)  # official, and ink that does not glow
    ink = smoothed(strong)
    amount = [np.maximum(smoothed(m), 1e-3) for m in of_kind]  # ink of each kind around
    darkness = [np.maximum(smoothed(imp.darkness * m), 1e-3) for m in of_kind]
    emission = [smoothed(maps["orange"] * m) / d for m, d in zip(of_kind, darkness, strict=True)]
    # the print-dot texture of the ink that does not glow
    texture = smoothed(maps["detail"] * of_kind[1]) / darkness[1]
    kind_px = [_cells(m, step, shape) for m in of_kind]  # ink pixels of each kind per cell
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
    stamp_like = [smoothed(maps["stamp_ink"] * m) / a
                  for m, a in zip(of_kind, amount, strict=True)]
    ink_px = _cells(strong, step, shape)  # ink pixels per cell
    has_ink = (ink_px > 0) & (total > 0)
    # of the ink that does not glow, printed dots are a reproduction
    dotted = (printed >= print_min) | (texture >= texture_min) | (learned >= print_min)
    px_mm2 = (25.4 / dpi) ** 2
    parts: list[Part] = []
    for j in (0, 1):  # official ink glows, stamp-pad and printed ink do not
        # a cell holds ink of a kind where a fair share of the ink around it is of that kind
        holds = has_ink & (kind_px[j] > 0) & (amount[j] / np.maximum(ink, 1e-3) >= min_share)
        if j:
            holds &= stamp_like[j] >= cell_stamp_ink
        cells = cv2.morphologyEx(holds.astype(np.uint8), cv2.MORPH_CLOSE,
                                 np.ones((2, 2), np.uint8))
        count, labels, stats, _ = cv2.connectedComponentsWithStats(cells, connectivity=8)
        for i in range(1, count):
            sel = labels == i
            area = float(kind_px[j][sel].sum()) * px_mm2
            short_mm, long_mm = _extent_mm(sel, step, dpi)
            # ink that does not glow over a whole stamp's extent: a pale print, or an
            # impression mostly under official ones, keeps little full-strength ink of its own
            whole = j == 1 and area >= print_part_mm2 and \
                short_mm >= print_extent_mm[0] and long_mm >= print_extent_mm[1]
            if (area < min_part_mm2 or short_mm < min_side_mm) and not whole:
                continue  # a fragment, or a thin line of label text
            weight = amount[j][sel]
            likeness = float(np.average(stamp_like[j][sel], weights=weight))
            if j == 1 and likeness < min_stamp_ink:
                continue  # colour that does not glow and does not look like a stamp: guilloche
            # one impression may look printed in some cells and solid in others
            name = "official" if j == 0 else "reproduction" if float(
                np.average(dotted[sel], weights=weight)) >= 0.5 else "stamp_pad"
            parts.append(Part(_box(imp.box, stats[i], step, (h, w)), name, area,
                              float(np.average(emission[j][sel], weights=weight)),
                              float(np.average(printed[sel], weights=weight)),
                              float(np.average(texture[sel], weights=weight)), likeness))
    # carbon toner dots: a print whose ink merges with an official impression
    dots = _cells(maps["carbon_dots"], step, shape) / float(step * step)
    cells = cv2.morphologyEx((dots >= carbon_min_share).astype(np.uint8), cv2.MORPH_CLOSE,
                             np.ones((2, 2), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(cells, connectivity=8)
    if count > 1:  # a run's glow and likeness are measured over all its ink, glowing or not
        all_glow = smoothed(maps["orange"] * strong)
        all_dark = smoothed(imp.darkness * strong)
        all_like = smoothed(maps["stamp_ink"] * strong)
    for i in range(1, count):
        sel = labels == i
        area = float(ink_px[sel].sum()) * px_mm2
        short_mm, long_mm = _extent_mm(sel, step, dpi)
        if area < print_part_mm2 or short_mm < print_extent_mm[0] \
                or long_mm < print_extent_mm[1]:
            continue
        box = _box(imp.box, stats[i], step, (h, w))
        weight = np.maximum(ink[sel], 1e-3)
        share = float(np.average(dots[sel], weights=weight))
        judged = [p for p in parts
                  if p.kind != "official" and box_intersection(p.box, box) is not None]
        for part in judged:  # judged forged by its own ink already: it keeps the evidence
            part.carbon_dots = max(part.carbon_dots, share)
        if judged:
            continue
        glow = all_glow[sel].sum() / max(float(all_dark[sel].sum()), 1e-3)
        likeness = all_like[sel] / weight
        parts.append(Part(box, "reproduction", area, float(glow),
                          float(np.average(printed[sel], weights=weight)),
                          float(np.average(texture[sel], weights=weight)),
                          float(np.average(likeness, weights=weight)), share))
    return parts


def _extent_mm(cells: NDArray[np.bool_], step: int, dpi: float) -> tuple[float, float]:
    """Short and long side (mm) of the rotated rectangle around a run of cells."""
    import cv2  # noqa: PLC0415

    points = np.argwhere(cells)[:, ::-1].astype(np.float32)
    (_, _), (rw, rh), _ = cv2.minAreaRect(points)
    short_mm, long_mm = sorted((r + 1) * step * 25.4 / dpi for r in (rw, rh))
    return short_mm, long_mm


def _box(origin: Box, stat: NDArray[np.int32], step: int, shape: tuple[int, int]) -> Box:
    """The page box of a run of cells (its connected-component stats), within the group."""
    cx, cy, cw, ch = (int(v) for v in stat[:4])
    return (origin[0] + cx * step, origin[1] + cy * step,
            min(cw * step, shape[1] - cx * step), min(ch * step, shape[0] - cy * step))

