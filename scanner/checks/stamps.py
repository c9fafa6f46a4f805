"""`stamp_authenticity`: every stamp impression must be official UTO ink, pressed, unique.

Official UTO stamp ink is a solid security dye with a weak orange UV emission; a new rubber
stamp with stamp-pad ink looks the same in white light and IR but does not glow; a colour
print of a stamp is made of halftone or dither dots (the ONNX model scores patches for that)
and does not glow either, and its black toner dots are dark in IR, where no stamp ink is
(so a print merged with an official impression is still found); a copied impression
repeats another one down to the pixel.

Impressions are found by the colour of their ink and, for pale ink on dense guilloche,
by a small fully convolutional model (`models/stamp_find`) that marks stamp ink and toner
dots; ink without UV emission is judged forged only where that model takes it for stamp
ink, because saturated guilloche loops and label text do not glow either. Ink that lies
mostly on the document model's label print (a visa page's title, printed in a stamp-like
colour) is that print, not an impression.

`details["stamps"]` lists every impression as {"region": [x, y, w, h] capture pixels,
"status", "score", "kind", "ink_mm2", and for whole parts "stamp_ink" (the finder model's
mean probability that the ink is stamp ink), and where carbon toner dots make a run of a
whole stamp's extent "carbon_dots" (the share of the area they cover)}; "score" is the
evidence for its kind: UV emission per unit of ink darkness (official, stamp_pad), mean
model probability (reproduction) or the correlation with the place it repeats (duplicate;
both places are reported, because which one came first cannot be seen), and duplicates
add "identical_mm2", the ink that repeats the other place's amounts exactly.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from numpy.typing import NDArray

from scanner.checks.base import CheckResult, ScanContext
from scanner.checks.stamp_classify import Part, split_group
from scanner.checks.stamp_find import FINDER_MIN, FloatImage, find_impressions
from scanner.checks.stamp_ink import MODEL_PATH, reproduction_probability
from scanner.checks.stamp_match import find_copies, fingerprint
from scanner.config import StampThresholds
from scanner.page import Box, Page, box_intersection
from scanner.stamp_history import StampHistory

CHECK_ID = "stamp_authenticity"
RETRAIN = "retrain it with `.venv/bin/python models/stamp_ink/train.py` (see its MODEL_CARD.md)"
_REASONS = {
    "reproduction": ("stamp printed by a colour printer (halftone or dither dots, no UV "
                     "emission)", "Stempel mit einem Farbdrucker gedruckt (Raster- oder "
                     "Streupunkte, keine UV-Emission)", "white"),
    "stamp_pad": ("stamp ink shows no UV emission: ordinary stamp-pad ink, not the official "
                  "security ink", "Stempelfarbe zeigt keine UV-Emission: gewöhnliche "
                  "Stempelkissenfarbe statt der amtlichen Sicherheitsfarbe", "uv"),
    "duplicate": ("the very same stamp impression appears twice, on this page or in an "
                  "earlier scan (copied)", "derselbe Stempelabdruck erscheint zweimal, auf "
                  "dieser Seite oder in einem früheren Scan (kopiert)", "white"),
}


def _score_patches(patches: FloatImage) -> NDArray[np.float32]:
    from scanner.onnx_runner import get_runner  # noqa: PLC0415

    return reproduction_probability(get_runner(MODEL_PATH, retrain_hint=RETRAIN).run(patches))


def _entry(page: Page, box: Box, status: str, kind: str, score: float, *, ink_mm2: float,
           stamp_ink: float | None = None,
           identical_mm2: float | None = None) -> dict[str, object]:
    """One impression as reported in `details["stamps"]`; `stamp_ink` for whole parts,
    `identical_mm2` for duplicates."""
    entry: dict[str, object] = {"region": page.region_in_capture(box), "status": status,
                                "score": round(score, 3), "kind": kind,
                                "ink_mm2": round(ink_mm2, 1)}
    if stamp_ink is not None:
        entry["stamp_ink"] = round(stamp_ink, 3)
    if identical_mm2 is not None:
        entry["identical_mm2"] = round(identical_mm2, 1)
    return entry


def _part_entry(page: Page, part: Part, status: str, kind: str, score: float, *,
                identical_mm2: float | None = None) -> dict[str, object]:
    entry = _entry(page, part.box, status, kind, score, ink_mm2=part.ink_mm2,
                   stamp_ink=part.stamp_ink, identical_mm2=identical_mm2)
    if part.carbon_dots > 0:  # with a run of carbon toner dots
        entry["carbon_dots"] = round(part.carbon_dots, 4)
    return entry


def _overlaps(a: Box, b: Box) -> bool:
    """Whether two boxes share at least a third of the smaller one."""
    shared = box_intersection(a, b)
    return shared is not None and 3 * shared[2] * shared[3] >= min(a[2] * a[3], b[2] * b[3])


@dataclass
class StampFindings:
    """Every impression of a page as judged from the page alone, before the history."""

    stamps: list[dict[str, object]]  # entries as in `details["stamps"]`
    boxes: list[Box | None]  # page box of each entry, for fingerprints
    ink_map: FloatImage  # stamp-ink amount, page-wide
    dpi: float


def find_stamps(page: Page, limits: StampThresholds | None = None) -> StampFindings:
    """Find every stamp impression on the upright page and judge its ink (UV, print dots)
    and uniqueness on the page. Needs nothing but the page, so a scan can run it while the
    MRZ is still being read."""
    import cv2  # noqa: PLC0415

    limits = limits or StampThresholds()
    groups = find_impressions(page, min_chroma=limits.ink_min_chroma)
    height, width = page.ir.shape
    ink_map = np.zeros((height, width), np.float32)  # stamp-ink amount, page-wide
    colour_map = np.zeros((height, width, 3), np.float32)  # each pixel's ink colour
    glow_map = np.zeros((height, width), np.float32)  # each pixel's UV emission of its ink
    stamp_ink = np.zeros((height, width), np.uint8)  # where the finder model sees stamp ink
    for group in groups:
        x, y, w, h = group.box
        # stamp ink only: background lines under a copy differ from those under its original
        ink = group.maps["ink_amount"] if group.maps else group.darkness * group.mask
        if "ink_colour" in group.maps:  # each pixel's ink colour (two inks may overlap)
            on_top = ink > ink_map[y:y + h, x:x + w]
            colour_map[y:y + h, x:x + w][on_top] = group.maps["ink_colour"][on_top]
            glow = np.where(ink > 0, group.maps["orange"], 0.0)
            glow_map[y:y + h, x:x + w] = np.maximum(glow_map[y:y + h, x:x + w], glow)
            seen = (group.maps["stamp_ink"] >= FINDER_MIN).view(np.uint8)
            np.maximum(stamp_ink[y:y + h, x:x + w], seen, out=stamp_ink[y:y + h, x:x + w])
        ink_map[y:y + h, x:x + w] = np.maximum(ink_map[y:y + h, x:x + w], ink)
    # guilloche of a stamp's colour joins its group and stays in its ink amounts, and its
    # lines repeat themselves at many shifts: the duplicate search sees only the ink within
    # ~1 mm of the cells where the finder model sees stamp ink
    k = round(2 * page.dpi / 25.4) | 1
    search_map = ink_map * cv2.dilate(stamp_ink, np.ones((k, k), np.uint8))
    # the page-wide duplicate search and the judging of each group's ink are independent:
    # the search runs on another thread (OpenCV and numpy release the GIL)
    with ThreadPoolExecutor(max_workers=1) as beside:
        search = beside.submit(
            find_copies, search_map, page.dpi, colour_map=colour_map, emission_map=glow_map,
            min_same_colour=limits.duplicate_same_colour,
            min_shared_mm2=limits.duplicate_min_shared_mm2,
            min_correlation=limits.duplicate_min_correlation,
            copy_shared_mm2=limits.duplicate_copy_shared_mm2,
            copy_min_correlation=limits.duplicate_copy_min_correlation,
            min_exact_mm2=limits.duplicate_exact_mm2,
            correlated_exact_mm2=limits.duplicate_correlated_exact_mm2,
            glow_exact_mm2=limits.duplicate_glow_exact_mm2)
        stamps: list[dict[str, object]] = []
        boxes: list[Box | None] = []
        parts_of: list[list[Part]] = []
        for group in groups:
            parts = [] if group.ink_mm2 < limits.min_judge_mm2 else split_group(
                group, page.dpi, _score_patches, uv_min=limits.uv_min_emission,
                print_min=limits.print_min_score, texture_min=limits.print_min_texture,
                min_part_mm2=limits.min_part_mm2, min_stamp_ink=limits.min_stamp_ink,
                print_part_mm2=limits.print_part_mm2, print_extent_mm=limits.print_extent_mm,
                cell_stamp_ink=limits.min_cell_stamp_ink,
                carbon_min_share=limits.print_carbon_dots)
            parts_of.append(parts)
            if not parts and (group.touches_edge or group.ink_mm2 < limits.min_judge_mm2) \
                    and group.uv_emission >= limits.uv_min_emission:
                # too little ink, or cut by the page edge: a fragment that glows carries the
                # official ink. One that does not glow is not judged: too little of a stamp
                # is left to tell stamp-pad ink from a loop of saturated guilloche
                stamps.append(_entry(page, group.box, "passed", "official",
                                     group.uv_emission, ink_mm2=group.ink_mm2))
                boxes.append(None)
            elif not group.features and not group.touches_edge \
                    and group.ink_mm2 >= limits.min_judge_mm2:
                # found, but too pale to measure (no full-strength ink, e.g. a pale print):
                # a person must look, it must not pass unseen
                stamps.append(_entry(page, group.box, "undetermined", "unmeasured", 0.0,
                                     ink_mm2=group.ink_mm2))
                boxes.append(None)
            # enough ink but no stamp-like part (label text, thin lines): not an impression
        copies = search.result()
    claimed: set[int] = set()  # copies that lie on a judged part
    for parts in parts_of:
        for part in parts:
            boxes.append(part.box)
            # the copy or its original: which of the two came first cannot be seen
            dup = next((k for k, d in enumerate(copies)
                        if _overlaps(part.box, d.copy) or _overlaps(part.box, d.original)), None)
            if dup is not None:
                claimed.add(dup)
                stamps.append(_part_entry(page, part, "failed", "duplicate",
                                          copies[dup].correlation,
                                          identical_mm2=copies[dup].exact_mm2))
            elif part.kind == "official":
                stamps.append(_part_entry(page, part, "passed", "official", part.uv_emission))
            else:
                score = part.print_score if part.kind == "reproduction" else part.uv_emission
                stamps.append(_part_entry(page, part, "failed", part.kind, score))
    for k, d in enumerate(copies):
        if k not in claimed:  # a copy on ink that no part holds (a fragment at the edge)
            stamps.append(_entry(page, d.copy, "failed", "duplicate", d.correlation,
                                 ink_mm2=d.shared_mm2, identical_mm2=d.exact_mm2))
            boxes.append(d.copy)
    return StampFindings(stamps, boxes, ink_map, page.dpi)


def stamp_authenticity(ctx: ScanContext, history: StampHistory | None = None,
                       scan_id: str | None = None, limits: StampThresholds | None = None,
                       findings: StampFindings | None = None) -> CheckResult:
    """Every stamp impression must be official ink, pressed, and unique on the page and in
    the history of earlier scans. `findings` are this page's, when already found."""
    limits = limits or StampThresholds()
    found = findings if findings is not None else find_stamps(ctx.page, limits)
    found = _without_labels(found, _label_print(ctx), limits.min_part_mm2)
    if not found.stamps:
        return CheckResult(CHECK_ID, "not_performed", "no stamp impression on the page",
                           "kein Stempelabdruck auf der Seite", light="white")
    if history is not None:
        _remember(history, ctx.captured_at, scan_id, ink_map=found.ink_map, dpi=found.dpi,
                  stamps=found.stamps, boxes=found.boxes)
    return _verdict(found.stamps)


def _label_print(ctx: ScanContext) -> list[Box]:
    """Page boxes of the model's label print: regions visible in white light and
    IR-transparent (offset ink), such as a visa page's title."""
    if ctx.model is None:
        return []
    return [ctx.page.mm_box(*region.bounds) for region in ctx.model.regions.values()
            if region.white == "visible" and region.ir == "invisible"]


def _without_labels(found: StampFindings, labels: list[Box], min_part_mm2: float,
                    ) -> StampFindings:
    """The findings without non-glowing "impressions" that are the model's label print:
    a bold title in a stamp-like colour on dense guilloche does not glow either, and the
    finder model may take it for stamp ink. An impression is the label when most of its
    ink lies on the label and what lies off it would not make a part (`min_part_mm2`): a
    stamp pressed over a title keeps enough of its ink outside. One with carbon toner dots
    is never the label: the label's offset ink is clear in IR."""
    if not labels:
        return found

    def is_label(entry: dict[str, object], box: Box) -> bool:
        if "carbon_dots" in entry:
            return False
        share = _share_inside(found.ink_map, box, labels)
        off_label = float(entry["ink_mm2"]) * (1.0 - share)  # type: ignore[arg-type]
        return share >= 0.5 and off_label < min_part_mm2

    kept = [(entry, box) for entry, box in zip(found.stamps, found.boxes, strict=True)
            if box is None or entry["kind"] not in ("stamp_pad", "reproduction")
            or not is_label(entry, box)]
    return StampFindings([e for e, _ in kept], [b for _, b in kept], found.ink_map, found.dpi)


def _share_inside(ink_map: FloatImage, box: Box, regions: list[Box]) -> float:
    """The share of the ink inside `box` that lies in `regions` (boxes that do not overlap
    each other)."""
    def ink(b: Box | None) -> float:
        return 0.0 if b is None else float(ink_map[b[1]:b[1] + b[3], b[0]:b[0] + b[2]].sum())

    total = ink(box)
    inside = sum(ink(box_intersection(box, region)) for region in regions)
    return inside / total if total > 0 else 0.0


def _remember(history: StampHistory, seen_at: datetime, scan_id: str | None, *,
              ink_map: FloatImage, dpi: float, stamps: list[dict[str, object]],
              boxes: list[Box | None]) -> None:
    """Look every judged impression up in the history, then add it."""
    scan = scan_id or seen_at.isoformat()
    for entry, box in zip(stamps, boxes, strict=True):
        if box is None:
            continue
        x, y, w, h = box
        crop = ink_map[y:y + h, x:x + w]
        fp = fingerprint(crop, dpi)
        area = float(entry["ink_mm2"])  # type: ignore[arg-type]
        match = history.find(area, fp, exclude_scan=scan)
        if match is not None and entry["status"] == "passed":
            # The same passport scanned again looks exactly like a stamp copied from another
            # passport: the machine cannot tell them apart, a person can (review).
            entry.update(status="undetermined", kind="seen_before", seen_before=match.scan_id)
        history.add(scan, seen_at, area, fp)


def _verdict(stamps: list[dict[str, object]]) -> CheckResult:
    """The worst impression decides."""
    order = {"failed": 0, "undetermined": 1, "passed": 2}
    worst = min(stamps, key=lambda s: order[str(s["status"])])
    details: dict[str, object] = {"stamps": stamps}
    region = worst["region"]
    if worst["status"] == "failed":
        en, de, light = _REASONS[str(worst["kind"])]
        return CheckResult(CHECK_ID, "failed", en, de, float(worst["score"]),  # type: ignore[arg-type]
                           light, region, details)  # type: ignore[arg-type]
    if worst["status"] == "undetermined" and worst["kind"] == "unmeasured":
        return CheckResult(CHECK_ID, "undetermined",
                           "a stamp-coloured impression is too pale to measure: check it by "
                           "hand under UV light and a magnifier",
                           "ein stempelfarbener Abdruck ist zu blass zum Messen: bitte von Hand "
                           "unter UV-Licht und mit der Lupe prüfen", None, "white",
                           region, details)  # type: ignore[arg-type]
    if worst["status"] == "undetermined":  # an impression seen in an earlier scan
        return CheckResult(CHECK_ID, "undetermined",
                           f"a stamp impression is identical to one in scan {worst['seen_before']}"
                           ": the same passport scanned again, or a copied stamp",
                           f"ein Stempelabdruck gleicht exakt einem aus Scan "
                           f"{worst['seen_before']}: derselbe Pass erneut gescannt oder ein "
                           "kopierter Stempel", None, "white", region, details)  # type: ignore[arg-type]
    return CheckResult(CHECK_ID, "passed",
                       f"{len(stamps)} stamp impression(s): official ink with UV emission, "
                       "solid, no duplicate",
                       f"{len(stamps)} Stempelabdruck/-abdrücke: amtliche Farbe mit UV-Emission, "
                       "vollflächig, kein Duplikat", None, "uv", None, details)
