"""`stamp_authenticity` on fresh specimen seeds (disjoint from the model's training seeds)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import cv2
import numpy as np
import pytest

from drivers.specimen import render_specimen
from scanner.checks import stamps as stamps_module
from scanner.checks.base import CheckResult, ScanContext
from scanner.checks.stamp_classify import Part, split_group
from scanner.checks.stamp_find import (
    PALE_MIN_ABSORBANCE,
    Impression,
    carbon_dots,
    foreign_absorbance,
    ink_amount,
    ink_colours,
    orange_emission,
)
from scanner.checks.stamp_match import (
    _candidate_shifts,
    _dilate_disc,
    _highpass,
    _match,
    find_copies,
    hamming,
)
from scanner.checks.stamps import StampFindings, stamp_authenticity
from scanner.config import StampThresholds, Thresholds
from scanner.document_models import load_models
from scanner.identify import identify_without_mrz
from scanner.page import Page, find_page
from scanner.pipeline import scan_capture
from scanner.stamp_history import StampHistory
from scanner.verdict import decide

DPI = 300


def _context(seed: int, forgery: str | None, count: int, *,
             upside_down: bool = False, dpi: int = DPI) -> ScanContext:
    conditions: dict[str, object] = {"stamp_count": count}
    if upside_down:
        conditions["upside_down"] = True
    capture, _ = render_specimen(seed, model="UTO-V", forgery=forgery, dpi=dpi,
                                 conditions=conditions)
    page = find_page(capture)
    found = identify_without_mrz(page)
    model = None
    if found is not None:
        model, upside_down = found
        page = page.rotated(2) if upside_down else page
    return ScanContext(page=page, captured_at=capture.captured_at, model=model,
                       thresholds=Thresholds())


def _kinds(result: CheckResult) -> set[str]:
    return {str(s["kind"]) for s in result.details["stamps"]}


def test_no_stamp_is_not_performed() -> None:
    result = stamp_authenticity(_context(30_001, None, 0))
    assert result.status == "not_performed"
    assert result.reason and result.reason_de


@pytest.mark.parametrize("seed", [30_013, 30_014])  # 30013: dark guilloche blobs
def test_genuine_stamps_pass(seed: int) -> None:
    result = stamp_authenticity(_context(seed, None, 1))
    assert result.status == "passed", result.details
    assert _kinds(result) == {"official"}


@pytest.mark.parametrize(("forgery", "kind", "light"), [
    ("stamp_reproduced", "reproduction", "white"),
    ("stamp_fake_rubber", "stamp_pad", "uv"),
    ("stamp_duplicated", "duplicate", "white"),
])
def test_forged_stamps_fail_with_their_kind(forgery: str, kind: str, light: str) -> None:
    result = stamp_authenticity(_context(30_021, forgery, 2 if forgery == "stamp_duplicated"
                                         else 1))
    assert result.status == "failed", result.details
    assert kind in _kinds(result)
    assert result.light == light
    assert result.region is not None and result.reason_de
    if kind == "duplicate":  # the evidence a specialist can cite
        copies = [s for s in result.details["stamps"] if s["kind"] == "duplicate"]
        assert all(s["identical_mm2"] >= 0 for s in copies)
        assert max(s["identical_mm2"] for s in copies) > 20


def test_two_different_genuine_impressions_are_not_duplicates() -> None:
    result = stamp_authenticity(_context(30_031, None, 2))
    assert "duplicate" not in _kinds(result), result.details


def test_guilloche_taken_for_ink_is_no_copy_of_itself() -> None:
    # a genuine page with four stamps on dense guilloche of a stamp's colour: fields of its
    # lines join the stamps' groups and stay in their ink amounts. The lines meet
    # themselves at short shifts, over 75 mm^2 of exact strokes, so before the duplicate
    # search was limited to the finder model's stamp ink, the page had four "copies"
    ctx = _context(860_272, None, 4, dpi=400)  # the seed's own four stamps
    assert ctx.model is not None
    result = stamp_authenticity(ctx)
    assert result.status == "passed", result.details
    assert _kinds(result) == {"official"}


@pytest.mark.parametrize(("seed", "stamps"), [
    # 870077: a pale blue print half under a red official stamp. The official ink around
    # its strokes glows, so its ink was judged official; its black toner dots are dark in
    # IR, where no stamp ink is
    (870_077, 3),
    # 887181: a print of 132 lpi under an official stamp on a noisy capture. Its black
    # toner dots are a pixel or two across, about 5 sigmas of the IR noise deep: with dots
    # counted from 6 sigmas, they made no run of a stamp's extent
    (887_181, 4),
])
def test_a_print_under_an_official_stamp_is_found_by_its_carbon_dots(seed: int,
                                                                     stamps: int) -> None:
    # development pages, each with its own number of stamps
    result = stamp_authenticity(_context(seed, "stamp_reproduced", stamps, dpi=400))
    assert result.status == "failed", result.details
    printed = [s for s in result.details["stamps"] if s["kind"] == "reproduction"]
    assert printed and all(float(s["carbon_dots"]) > 0 for s in printed)


def test_two_pressings_of_one_die_at_one_angle_are_no_copy() -> None:
    # a genuine development page (880192): a red and a violet stamp of one layout, pressed
    # at nearly the same angle 48.6 mm apart, correlate at 0.63 with 8.3 mm^2 of exact
    # strokes. Until session 16 a correlated copy needed only 5 mm^2 of them
    result = stamp_authenticity(_context(880_192, None, 4, dpi=400))  # its own four stamps
    assert "duplicate" not in _kinds(result), result.details
    assert result.status == "passed", result.details


def test_a_copy_under_other_ink_is_found_by_its_exact_strokes_in_uv() -> None:
    # a development page (890136): a copy 58 mm from its original, partly under a stamp of
    # another layout. No stroke of it matches in the ink amounts, but its own UV emission
    # repeats the original's over 27.8 mm^2 of exact strokes
    result = stamp_authenticity(_context(890_136, "stamp_duplicated", 4, dpi=400))
    assert result.status == "failed", result.details
    copies = [s for s in result.details["stamps"] if s["kind"] == "duplicate"]
    assert copies and max(float(s["identical_mm2"]) for s in copies) >= 20


def test_impression_seen_in_an_earlier_scan_goes_to_review() -> None:
    # a rescan of the same passport and a stamp copied from another one look the same
    history = StampHistory()
    ctx = _context(30_014, None, 1)
    first = stamp_authenticity(ctx, history=history, scan_id="scan-1")
    assert first.status == "passed"
    again = stamp_authenticity(ctx, history=history, scan_id="scan-2")
    assert again.status == "undetermined"
    assert again.details["stamps"][0]["seen_before"] == "scan-1"
    assert "scan-1" in again.reason
    other = stamp_authenticity(_context(30_015, None, 1), history=history, scan_id="scan-3")
    assert other.status == "passed"


def test_history_persists_in_a_file(tmp_path: Path) -> None:
    path = tmp_path / "stamps.sqlite"
    fp = bytes(range(32))
    history = StampHistory(path)
    history.add("scan-1", datetime(2026, 5, 1, tzinfo=UTC), 120.0, fp)
    history.close()
    again = StampHistory(path)
    match = again.find(125.0, fp, exclude_scan="scan-2")
    assert match is not None and match.scan_id == "scan-1" and match.distance == 0
    assert again.find(125.0, fp, exclude_scan="scan-1") is None  # the same scan is no match
    assert again.find(400.0, fp) is None  # a different ink area is never compared
    flipped = bytes(b ^ 0xFF for b in fp)
    assert hamming(fp, flipped) == 256
    assert again.find(120.0, flipped) is None


def _blotch_page(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """A page-wide ink map with one blotch pattern twice (~70 mm apart) and another once."""

    def blotches() -> np.ndarray:
        cells = (rng.random((40, 60)) > 0.6).astype(np.float32)
        ink = cv2.GaussianBlur(np.kron(cells, np.ones((4, 4), np.float32)), (0, 0), 1.0)
        out: np.ndarray = np.clip(np.asarray(ink) * 0.8, 0, 1).astype(np.float32)
        return out

    stamp = blotches()
    canvas = np.zeros((600, 1400), np.float32)
    canvas[20:180, 30:270] = stamp
    canvas[300:460, 1110:1350] = stamp
    canvas[300:460, 500:740] = blotches()
    colours = np.zeros((600, 1400, 3), np.float32)
    colours[canvas > 0] = (0.6, 0.8, 0.0)
    return canvas, colours


def _inside(box: tuple[int, int, int, int], outer: tuple[int, int, int, int]) -> bool:
    return outer[0] <= box[0] and box[0] + box[2] <= outer[0] + outer[2] and \
        outer[1] <= box[1] and box[1] + box[3] <= outer[1] + outer[3]


def test_a_copy_far_across_the_page_is_found_at_its_true_shift() -> None:
    canvas, colours = _blotch_page(np.random.default_rng(4))
    found = find_copies(canvas, 400.0, colour_map=colours, min_shared_mm2=30.0,
                        min_correlation=0.6)
    assert len(found) == 1 and found[0].correlation > 0.9
    assert _inside(found[0].original, (20, 10, 260, 180))
    assert _inside(found[0].copy, (1100, 290, 260, 180))


def _small(canvas: np.ndarray) -> np.ndarray:
    """The ink map as the duplicate search sees it: at 200 dpi, smoothed."""
    small = cv2.resize(canvas, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    return np.asarray(cv2.GaussianBlur(small, (0, 0), 1.0), np.float32)


def test_a_faint_copy_among_solid_frames_is_among_the_shifts_tried() -> None:
    # long solid lines of five double frames meet each other at many shifts, and in the
    # plain autocorrelation all of those outrank a faint copy's sharp repeat
    canvas, _ = _blotch_page(np.random.default_rng(4))
    canvas[300:460, 500:740] = 0
    canvas *= 0.5
    for y, x in ((40, 400), (250, 330), (420, 60), (60, 800), (250, 780)):
        for inset in (0, 12):
            frame = canvas[y + inset:y + 200 - inset, x + inset:x + 300 - inset]
            frame[:6], frame[-6:], frame[:, :6], frame[:, -6:] = 1, 1, 1, 1
    shifts = _candidate_shifts(_highpass(_small(canvas)), 3 * 200 / 25.4, 8 * 200 / 25.4, 8, 3)
    assert any(abs(dy - 140) < 1 and abs(dx - 540) < 1 for dy, dx in shifts[:8])


@pytest.mark.parametrize("size", [1, 3, 9, 31, 41])
def test_the_disc_dilation_gives_the_pixels_of_opencvs(size: int) -> None:
    rng = np.random.default_rng(size)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
    for dots in (rng.random((120, 170)) > 0.99, rng.random((7, 300)) > 0.9,
                 np.ones((25, 30), bool)):
        mask = dots.astype(np.uint8)
        assert np.array_equal(_dilate_disc(mask, size), cv2.dilate(mask, kernel))


def test_each_shift_is_tried_once_and_none_shorter_than_the_least() -> None:
    # two marks 40 px apart: the shift shows at (0, 40) and (0, -40); only one is tried,
    # and a mark's own extent (shifts under 10 px) is not tried at all
    edges = np.zeros((60, 120), np.float32)
    for x in (30, 70):
        edges[25:35, x:x + 6] = 1.0
    shifts = _candidate_shifts(_highpass(edges), 10.0, 20.0, 8, 3)
    assert any(abs(dy) < 1 and abs(dx - 40) < 1 for dy, dx in shifts)
    assert not any(abs(dy) < 1 and abs(dx + 40) < 1 for dy, dx in shifts)
    assert all(dy >= 0 and np.hypot(dy, dx) >= 9 for dy, dx in shifts)


def test_a_shift_between_the_first_two_rows_is_refined_across_them() -> None:
    # a copy half a match pixel below the line of its original: the peak lies between
    # dy = 0 and dy = 1, so each of those is a maximum of the kept half. It is tried once,
    # refined across dy = 0 from the other half
    canvas, _ = _blotch_page(np.random.default_rng(4))
    canvas[300:460] = 0
    canvas[21:181, 830:1070] = canvas[20:180, 30:270]
    shifts = _candidate_shifts(_highpass(_small(canvas)), 3 * 200 / 25.4, 8 * 200 / 25.4, 8, 3)
    near = [(dy, dx) for dy, dx in shifts if abs(dy) < 2 and abs(dx - 400) < 2]
    assert len(near) == 1
    assert abs(near[0][0] - 0.5) < 0.15 and abs(near[0][1] - 400) < 0.15


def test_a_copy_half_a_match_pixel_off_keeps_all_its_identical_strokes() -> None:
    # the duplicate search works at 200 dpi: a copy 1 px off at 400 dpi lies half a pixel
    # off there, and unaligned stroke edges would differ by more than a copy's ink does
    shared = []
    for offset in (0, 1):
        canvas, colours = _blotch_page(np.random.default_rng(4))
        stamp = canvas[20:180, 30:270].copy()
        canvas[300:460, 1110:1350] = 0
        canvas[300 + offset:460 + offset, 1110 + offset:1350 + offset] = stamp
        colours[:] = 0
        colours[canvas > 0] = (0.6, 0.8, 0.0)
        found = find_copies(canvas, 400.0, colour_map=colours, min_shared_mm2=30.0,
                            min_correlation=0.6)
        assert len(found) == 1 and found[0].correlation > 0.95
        shared.append(found[0].shared_mm2)
    assert shared[1] > 0.95 * shared[0]


def test_a_copy_under_another_stamps_strokes_is_found_by_its_exact_strokes() -> None:
    # dark strokes of another stamp across the copy: the correlation falls below every
    # limit, but between them the copy repeats its original's ink amounts exactly
    canvas, colours = _blotch_page(np.random.default_rng(4))
    for k in range(3):
        canvas[300 + 20 * k:310 + 20 * k, 1100:1360] += 1.2
    colours[canvas > 0] = (0.6, 0.8, 0.0)
    found = find_copies(canvas, 400.0, colour_map=colours, min_shared_mm2=30.0,
                        min_correlation=0.6, min_exact_mm2=30.0)
    assert len(found) == 1 and found[0].correlation < 0.35 and found[0].exact_mm2 >= 30.0
    assert _inside(found[0].copy, (1100, 290, 260, 180))
    assert find_copies(canvas, 400.0, colour_map=colours, min_shared_mm2=30.0,
                       min_correlation=0.6, min_exact_mm2=1e9) == []


def test_a_copy_whose_amounts_came_out_lower_is_found_by_its_exact_strokes() -> None:
    # each group's ink colour is estimated from that group alone, and a tilted estimate
    # scales every amount unmixed with it: here the copy's come out at 0.6 of its
    # original's, so no stroke agrees within 0.1, but scaled back they agree exactly
    canvas, colours = _blotch_page(np.random.default_rng(4))
    canvas[300:460, 1110:1350] *= 0.6
    found = find_copies(canvas, 400.0, colour_map=colours, min_shared_mm2=30.0,
                        min_correlation=0.6, min_exact_mm2=30.0)
    assert len(found) == 1 and found[0].exact_mm2 >= 30.0
    assert _inside(found[0].copy, (1100, 290, 260, 180))


@pytest.mark.parametrize("glowing", [False, True])
def test_two_pressings_of_one_die_at_unequal_density_are_no_copy(glowing: bool) -> None:
    # the same die pressed twice, at the same angle: the second pressing holds 1.4 times
    # the ink, spreads further and fades along a pressure gradient. Scaled to each other,
    # the two still differ at every stroke edge and along the gradient, and so does the
    # UV glow, which follows each pressing's own ink
    rng = np.random.default_rng(7)
    die = cv2.GaussianBlur(np.kron((rng.random((40, 60)) > 0.6).astype(np.float32),
                                   np.ones((4, 4), np.float32)), (0, 0), 1.5)
    canvas = np.zeros((600, 1400), np.float32)
    canvas[20:180, 30:270] = 0.55 * np.clip((die - 0.45) / 0.25, 0, 1)
    ramp = np.linspace(0.7, 1.0, 240, dtype=np.float32)[None, :]
    canvas[300:460, 1110:1350] = 0.77 * np.clip((die - 0.35) / 0.25, 0, 1) * ramp
    colours = np.zeros((600, 1400, 3), np.float32)
    colours[canvas > 0] = (0.6, 0.8, 0.0)
    assert find_copies(canvas, 400.0, colour_map=colours,
                       emission_map=0.2 * canvas if glowing else None, min_shared_mm2=30.0,
                       min_correlation=0.6, min_exact_mm2=30.0) == []


def _over_own_original() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A stamp (frame and text) with its copy pressed over it 5 mm away, on a mesh of
    background lines of the ink's own colour (so they stay in its amounts): ink map,
    colours and UV emission."""
    die = np.zeros((200, 300), np.uint8)
    cv2.rectangle(die, (6, 6), (293, 193), 255, 5)
    cv2.putText(die, "UTO 4471", (30, 70), cv2.FONT_HERSHEY_SIMPLEX, 1.6, 255, 5)
    cv2.putText(die, "12.05.2026", (20, 150), cv2.FONT_HERSHEY_SIMPLEX, 1.5, 255, 5)
    stamp = cv2.GaussianBlur(die.astype(np.float32) / 255 * 0.8, (0, 0), 1.0)
    own = np.zeros((450, 650), np.float32)  # the stamp's own ink: original and copy add up
    own[100:300, 150:450] += stamp
    own[130:330, 220:520] += stamp
    mesh = np.zeros_like(own)
    mesh[:, ::23], mesh[::17, :] = 0.35, 0.35
    mesh = np.asarray(cv2.GaussianBlur(mesh, (0, 0), 1.0), np.float32)
    canvas = np.where(own > 0.05, own + 2.5 * mesh, 0).astype(np.float32)
    colours = np.zeros((*own.shape, 3), np.float32)
    colours[canvas > 0] = (0.6, 0.8, 0.0)
    return canvas, colours, np.where(canvas > 0, 0.2 * own, 0).astype(np.float32)


def test_a_copy_over_its_own_original_on_lines_of_its_colour_is_found_by_its_glow() -> None:
    # the lines under the copy differ from those under its original, and where the two
    # overlap their amounts add up: in the ink map almost no block agrees exactly. The ink
    # glows on top of the lines, which do not glow: there the copy repeats exactly
    canvas, colours, glow = _over_own_original()
    limits = {"min_shared_mm2": 30.0, "min_correlation": 0.6, "min_exact_mm2": 30.0}
    assert find_copies(canvas, 400.0, colour_map=colours, **limits) == []
    found = find_copies(canvas, 400.0, colour_map=colours, emission_map=glow, **limits)
    assert len(found) == 1 and found[0].exact_mm2 >= 30.0
    assert _inside(found[0].copy, (210, 120, 320, 220))


def test_ink_that_correlates_without_exact_strokes_is_a_copy_only_by_its_glow() -> None:
    # the same blotches at two places, each over lines of the ink's colour at another
    # phase (the lines stay in the amounts): the two correlate at ~0.87, but no ~1 mm
    # block agrees exactly, as with a guilloche's wave bands one period apart. Official
    # ink glows on top of the lines, and a copy of it repeats its glow exactly
    canvas, colours = _blotch_page(np.random.default_rng(4))
    canvas[300:460, 500:740] = 0
    stamp = canvas[20:180, 30:270].copy()
    own = np.zeros_like(canvas)
    for (y, x), phase in (((20, 30), 0), ((300, 1110), 9)):
        lines = np.zeros_like(stamp)
        lines[:, phase::23], lines[phase::17, :] = 1.0, 1.0
        lines = 0.8 * np.asarray(cv2.GaussianBlur(lines, (0, 0), 1.0))
        canvas[y:y + 160, x:x + 240] = np.where(stamp > 0.05, stamp + lines, 0)
        own[y:y + 160, x:x + 240] = stamp
    colours[canvas > 0] = (0.6, 0.8, 0.0)
    limits = {"min_shared_mm2": 30.0, "min_correlation": 0.6}
    alike = find_copies(canvas, 400.0, colour_map=colours, correlated_exact_mm2=0.0, **limits)
    assert len(alike) == 1 and alike[0].correlation > 0.6 and alike[0].exact_mm2 < 5.0
    assert find_copies(canvas, 400.0, colour_map=colours, correlated_exact_mm2=5.0,
                       **limits) == []
    glow = np.where(canvas > 0, 0.2 * own, 0).astype(np.float32)
    found = find_copies(canvas, 400.0, colour_map=colours, emission_map=glow,
                        correlated_exact_mm2=5.0, **limits)
    assert len(found) == 1 and found[0].exact_mm2 >= 30.0


def test_border_lines_moved_along_themselves_are_no_exact_strokes() -> None:
    # three long lines shifted along their length meet themselves ink for ink; a copy's
    # strokes run every way
    lines = np.zeros((200, 600), np.float32)
    for y in (40, 60, 120):
        lines[y:y + 4, 50:550] = 0.7
    lines = np.asarray(cv2.GaussianBlur(lines, (0, 0), 1.0), np.float32)
    along = _match(lines, None, 0.0, 80.0, cluster_px=31, min_same_colour=0.8)
    assert along.shared_mm2 > 60.0 and along.exact_mm2 < 5.0
    canvas, _ = _blotch_page(np.random.default_rng(4))
    small = np.asarray(cv2.resize(canvas, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA))
    copy = _match(small, None, 140.0, 540.0, cluster_px=31, min_same_colour=0.8)
    assert copy.exact_mm2 > 0.9 * copy.shared_mm2 > 60.0


def test_the_same_strokes_in_another_ink_colour_are_no_copy() -> None:
    canvas, colours = _blotch_page(np.random.default_rng(4))
    colours[300:460, 1110:1350][canvas[300:460, 1110:1350] > 0] = (0.0, 0.6, 0.8)  # red ink
    assert find_copies(canvas, 400.0, colour_map=colours, min_shared_mm2=30.0,
                       min_correlation=0.6) == []


def test_pale_ink_stands_out_across_the_colour_of_the_background_lines() -> None:
    # olive background lines and a violet stroke of about the same darkness: chroma alone
    # does not tell them apart, the absorbance across the lines' colour does
    rel = np.ones((60, 60, 3), np.float32)
    rel[:, 5::10] = (0.75, 0.72, 0.55)  # background lines (absorb mostly blue)
    rel[20:30, 10:50] = (0.72, 0.62, 0.80)  # pale violet stamp ink (absorbs green)
    background = np.zeros((60, 60), bool)
    background[:, 5::10] = True
    background[20:30] = False
    foreign = foreign_absorbance(rel, background)
    line = foreign[:, 5::10][np.r_[0:20, 30:60]]
    assert float(line.max()) < 0.02
    assert float(foreign[22:28, 12:48].min()) > PALE_MIN_ABSORBANCE


@pytest.mark.parametrize("emblem", [False, True])
def test_orange_emission_is_the_ink_s_own_over_any_glow(emblem: bool) -> None:
    # dull violet substrate, optionally under a yellow-green emblem glow; two inks that let
    # 60 % of the glow under them through: one without emission, one glowing weak orange
    uv = np.zeros((200, 300, 3), np.float32)
    uv[:] = (0.05, 0.03, 0.08)
    if emblem:
        uv += np.array([0.45, 0.6, 0.12], np.float32)
    paper = np.ones((200, 300), bool)
    dull, glowing = (slice(60, 140), slice(40, 120)), (slice(60, 140), slice(180, 260))
    orange = np.array([0.25, 0.13, 0.02], np.float32)
    uv[dull] *= 0.6
    uv[glowing] = uv[glowing] * 0.6 + orange
    paper[dull] = paper[glowing] = False
    emission = orange_emission(uv, paper, 400.0)
    assert abs(float(np.median(emission[dull]))) < 0.03
    assert abs(float(np.median(emission[glowing])) - (orange[0] - orange[2])) < 0.03
    if emblem:  # where R - B alone reads the emblem as orange
        assert float(np.median(uv[dull][..., 0] - uv[dull][..., 2])) > 0.15


def test_a_stamp_keeps_its_ink_amounts_when_merged_with_one_of_another_colour() -> None:
    # the same violet strokes alone, and in one group with a red stamp that covers more
    # ink: a copy is found by equal amounts, so the red must not change the violet's
    rng = np.random.default_rng(5)
    violet, red = np.array([0.55, 0.36, 0.78]), np.array([0.86, 0.28, 0.32])
    strokes = np.zeros((120, 200), bool)
    strokes[20:100:8, 10:90] = strokes[20:100, 10:90:9] = True
    other = np.zeros_like(strokes)
    other[10:110:5, 100:195] = other[10:110, 100:195:6] = True
    alone = np.ones((120, 200, 3), np.float32)
    alone[strokes] = violet
    merged = alone.copy()
    merged[other] = red
    alone *= rng.normal(1.0, 0.01, alone.shape).astype(np.float32)
    merged *= rng.normal(1.0, 0.01, merged.shape).astype(np.float32)
    dark = (1.0 - merged.min(axis=2)).astype(np.float32)
    amounts = []
    for rel, mask in ((alone, strokes), (merged, strokes | other)):
        amount, colour = ink_amount(np.clip(rel, 0, 1), mask & (dark > 0.25), mask, dark)
        amounts.append(amount[strokes])
        assert np.allclose(colour[strokes].mean(axis=0), colour[strokes][0], atol=0.05)
    assert float(np.abs(amounts[0] - amounts[1]).mean()) < 0.03
    units = [np.log(1 / c) / np.linalg.norm(np.log(1 / c)) for c in (violet, red)]
    assert len(ink_colours(np.log(1 / merged[strokes | other]))) == 2
    assert len(ink_colours(np.log(1 / alone[strokes]))) == 1
    assert float(units[0] @ units[1]) < 0.9


def test_a_red_and_a_violet_stamp_of_equal_ink_are_two_inks() -> None:
    # the median of all their pixels lies between the two colours, within 0.9 of both;
    # one ink with the same noise stays one
    rng = np.random.default_rng(3)
    violet, red = np.array([0.42, 0.89, 0.17]), np.array([0.09, 0.76, 0.65])
    inks = [c / np.linalg.norm(c) for c in (violet, red)]
    assert 0.8 < float(inks[0] @ inks[1]) < 0.85
    amounts = rng.uniform(0.4, 1.2, (600, 1))
    noise = rng.normal(0.0, 0.02, (600, 3))
    both = np.concatenate([amounts[:270] * inks[0], amounts[270:] * inks[1]]) + noise
    found = ink_colours(both)
    assert len(found) == 2
    assert float(found[0] @ inks[1]) > 0.99 and float(found[1] @ inks[0]) > 0.99
    assert len(ink_colours(amounts * inks[0] + noise)) == 1


def test_dark_background_lines_among_the_ink_are_not_a_second_ink() -> None:
    # a violet stamp with a fifth of its full-strength pixels on dark grey-blue guilloche:
    # given the lines' colour, the one ink is the violet, not the median of both
    rng = np.random.default_rng(8)
    violet, lines = np.array([0.42, 0.89, 0.17]), np.array([0.52, 0.55, 0.65])
    violet, lines = violet / np.linalg.norm(violet), lines / np.linalg.norm(lines)
    amounts = rng.uniform(0.4, 1.2, (500, 1))
    pixels = np.concatenate([amounts[:400] * violet, amounts[400:] * lines])
    pixels += rng.normal(0.0, 0.02, pixels.shape)
    assert len(ink_colours(pixels)) == 2
    found = ink_colours(pixels, background=lines)
    assert len(found) == 1 and float(found[0] @ violet) > 0.995


def test_a_violet_stamp_on_violet_guilloche_stays_an_ink_beside_a_red_one() -> None:
    # a red and a violet stamp in one group, on guilloche whose colour lies 0.98 from the
    # violet ink: the violet is a second ink, not the lines (whose own colour it is not)
    rng = np.random.default_rng(9)
    violet, red = np.array([0.55, 0.80, 0.23]), np.array([0.10, 0.80, 0.60])
    lines = np.array([0.63, 0.68, 0.37])
    violet, red, lines = (c / np.linalg.norm(c) for c in (violet, red, lines))
    assert 0.975 < float(violet @ lines) < 0.985
    amounts = rng.uniform(0.4, 1.2, (600, 1))
    pixels = np.concatenate([amounts[:260] * violet, amounts[260:] * red])
    pixels += rng.normal(0.0, 0.02, pixels.shape)
    found = ink_colours(pixels, background=lines)
    assert len(found) == 2
    assert float(found[0] @ red) > 0.99 and float(found[1] @ violet) > 0.99


def test_a_print_too_pale_to_measure_is_sent_to_a_person(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # stamp-coloured ink was found (e.g. a pale print on dense guilloche), but not one pixel
    # of it is full-strength ink, so nothing of it can be measured: a person must look
    ctx = _context(30_007, None, 0)
    shape = (400, 500)
    pale = Impression(box=(300, 300, shape[1], shape[0]), ink_mm2=60.0, size_mm=(42.0, 34.0),
                      touches_edge=False, mask=np.zeros(shape, bool),
                      darkness=np.zeros(shape, np.float32))
    monkeypatch.setattr(stamps_module, "find_impressions", lambda page, min_chroma: [pale])
    stamps = stamp_authenticity(ctx)
    assert stamps.status == "undetermined" and "zu blass" in stamps.reason_de
    assert _kinds(stamps) == {"unmeasured"}
    assert decide([stamps], model_known=True).status == "review"


def test_a_scan_judges_the_stamps_of_a_visa_page_as_the_check_alone_does() -> None:
    # the scan finds a visa page's stamps while it reads the (absent) MRZ
    capture, _ = render_specimen(30_021, model="UTO-V", forgery="stamp_fake_rubber", dpi=DPI,
                                 conditions={"stamp_count": 2, "upside_down": True})
    result = scan_capture(capture)
    alone = stamp_authenticity(_context(30_021, "stamp_fake_rubber", 2, upside_down=True))
    scanned = next(c for c in result.checks if c.id == "stamp_authenticity")
    assert result.upside_down and scanned.status == alone.status == "failed"
    assert scanned.details["stamps"] == alone.details["stamps"]


def _split(strong: np.ndarray, finder_print: float | np.ndarray, patch_print: float,
           glows: np.ndarray | None = None, stamp_ink: float | np.ndarray = 0.9, *,
           carbon: np.ndarray | None = None) -> list[str]:
    """Kinds of the parts of `_parts`."""
    return sorted(p.kind for p in _parts(strong, finder_print, patch_print, glows, stamp_ink,
                                         carbon=carbon))


def _parts(strong: np.ndarray, finder_print: float | np.ndarray, patch_print: float,
           glows: np.ndarray | None = None, stamp_ink: float | np.ndarray = 0.9, *,
           carbon: np.ndarray | None = None) -> list[Part]:
    """The parts that split_group reports for a group at 400 dpi whose full-strength
    ink is `strong` (darkness 0.5), orange where `glows` (0.36 per unit of darkness), which
    the finder model calls stamp ink (`stamp_ink`) and printed toner (`finder_print`), whose
    patches the scorer calls printed with `patch_print`, and with carbon toner dots where
    `carbon` is set."""
    h, w = strong.shape
    mask = strong > 0
    glows = np.zeros_like(mask) if glows is None else glows
    rel = np.where(mask[..., None], 0.5, 1.0).astype(np.float32) * np.ones(3, np.float32)
    s = 400.0 / 25.4
    group = Impression((0, 0, w, h), float(strong.sum()) / s ** 2, (w / s, h / s),
                       False, mask, (1.0 - rel[..., 0]).astype(np.float32))
    group.maps = {"rel": rel, "rel_ir": np.ones((h, w), np.float32), "strong": strong,
                  "orange": np.where(mask & glows, 0.18, 0.0).astype(np.float32),
                  "detail": np.zeros((h, w), np.float32),
                  "printed": np.broadcast_to(np.float32(finder_print), (h, w)).copy(),
                  "stamp_ink": np.broadcast_to(np.float32(stamp_ink), (h, w)).copy(),
                  "carbon_dots": (np.zeros((h, w), np.float32) if carbon is None
                                  else carbon.astype(np.float32))}
    limits = StampThresholds()
    return split_group(group, 400.0, lambda patches: np.full(len(patches), patch_print,
                                                             np.float32),
                       uv_min=limits.uv_min_emission, print_min=limits.print_min_score,
                       texture_min=limits.print_min_texture, min_part_mm2=limits.min_part_mm2,
                       min_stamp_ink=limits.min_stamp_ink, print_part_mm2=limits.print_part_mm2,
                       print_extent_mm=limits.print_extent_mm,
                       cell_stamp_ink=limits.min_cell_stamp_ink,
                       carbon_min_share=limits.print_carbon_dots)


def _dots(width_mm: float, height_mm: float, dot_px: int) -> np.ndarray:
    """Sparse full-strength ink at 400 dpi: one `dot_px` square dot every millimetre over
    `width_mm` x `height_mm`."""
    s = 400.0 / 25.4
    h, w = round(height_mm * s) + 40, round(width_mm * s) + 40
    strong = np.zeros((h, w), np.float32)
    for y in np.arange(20, h - 20, s):
        for x in np.arange(20, w - 20, s):
            strong[round(y):round(y) + dot_px, round(x):round(x) + dot_px] = 1.0
    return strong


def _printed_run(width_mm: float, height_mm: float, dot_px: int,
                 finder_print: float) -> list[str]:
    """Kinds of the parts of a group of sparse, non-glowing print dots over `width_mm` x
    `height_mm`: the strong ink of a pale print, which the patch scorer calls printed."""
    return _split(_dots(width_mm, height_mm, dot_px), finder_print, 0.8)


def test_a_pale_print_of_a_whole_stamp_is_a_reproduction_with_little_full_strength_ink() -> None:
    # a 30 x 22 mm stamp printed pale: ~10 mm^2 of full-strength dots, under min_part_mm2
    assert _printed_run(30, 22, 2, finder_print=0.8) == ["reproduction"]
    # as little ink over a fragment's extent is not judged
    assert _printed_run(16, 16, 3, finder_print=0.8) == []


def test_a_dull_impression_mostly_under_official_ones_is_judged_with_little_ink_of_its_own(
        ) -> None:
    # ~10 mm^2 of solid, dull ink left uncovered over a whole stamp's extent
    assert _split(_dots(30, 22, 2), 0.1, 0.1) == ["stamp_pad"]
    # not over a fragment's extent, nor where the finder model sees no stamp ink
    assert _split(_dots(16, 16, 3), 0.1, 0.1) == []
    assert _split(_dots(30, 22, 2), 0.1, 0.1, stamp_ink=0.1) == []


def test_a_dull_impression_between_the_strokes_of_an_official_one_is_found() -> None:
    # two 30 x 22 mm impressions on one spot, their lines (0.4 mm) 2 mm apart: summed over
    # cells, the ink glows at a third of its strength or more, which is above the limit;
    # ink by ink, only one impression glows
    s = 400.0 / 25.4
    h, w = round(22 * s) + 40, round(30 * s) + 40
    strong = np.zeros((h, w), np.float32)
    glows = np.zeros((h, w), bool)
    for i, y in enumerate(np.arange(20, h - 20, 2 * s)):
        strong[round(y):round(y) + 6, 20:w - 20] = 1.0
        glows[round(y):round(y) + 6, 20:w - 20] = i % 2 == 0
    assert _split(strong, 0.1, 0.1, glows) == ["official", "stamp_pad"]
    assert _split(strong, 0.1, 0.1, np.ones_like(glows)) == ["official"]


def _toner(shape: tuple[int, int], period_px: int = 6, dot_px: int = 2) -> np.ndarray:
    """Carbon toner dots: a `dot_px` square dot every `period_px` pixels (about 65 lpi at
    400 dpi, as a pale print's black)."""
    dots = np.zeros(shape, bool)
    for y in range(0, shape[0] - dot_px, period_px):
        for x in range(0, shape[1] - dot_px, period_px):
            dots[y:y + dot_px, x:x + dot_px] = True
    return dots


def test_a_print_merged_with_an_official_impression_is_found_by_its_carbon_dots() -> None:
    # official ink glows over a whole stamp's extent; a print on the same spot glows by
    # that ink around it, but its K toner dots are dark in IR, where no stamp ink is
    strong = _lines(30, 22)
    glows = np.ones(strong.shape, bool)
    assert _split(strong, 0.1, 0.1, glows) == ["official"]
    assert _split(strong, 0.1, 0.1, glows, carbon=_toner(strong.shape)) == [
        "official", "reproduction"]
    # dots over a fragment's extent only (10 x 10 mm) are not a print of a stamp
    s = 400.0 / 25.4
    fragment = np.zeros(strong.shape, bool)
    fragment[20:20 + round(10 * s), 20:20 + round(10 * s)] = True
    assert _split(strong, 0.1, 0.1, glows, carbon=_toner(strong.shape) & fragment) == [
        "official"]


def test_a_print_judged_by_its_own_ink_is_not_reported_twice_for_its_dots() -> None:
    # it keeps the dots as evidence
    strong = _dots(30, 22, 2)
    parts = _parts(strong, 0.8, 0.8, carbon=_toner(strong.shape))
    assert [p.kind for p in parts] == ["reproduction"] and parts[0].carbon_dots > 0.01
    assert _parts(strong, 0.8, 0.8)[0].carbon_dots == 0.0


def test_carbon_dots_are_small_dots_dark_in_ir_not_strokes_edges_or_noise() -> None:
    # IR relative to the paper at 400 dpi with sensor noise: toner dots (0.15 deep) in one
    # field; official ink strokes (IR 0.8, 0.5 mm wide), a thin 0.2 mm line and the edge
    # of a solid field elsewhere
    rng = np.random.default_rng(5)
    rel_ir = np.ones((300, 600), np.float32)
    dots = np.zeros(rel_ir.shape, bool)
    dots[20:140, 20:280] = _toner((120, 260), period_px=6, dot_px=2)
    rel_ir[dots] -= 0.15
    for y in range(170, 290, 24):
        rel_ir[y:y + 8, 20:280] = 0.8  # strokes of official ink
    rel_ir[20:280, 320:323] -= 0.2  # a thin line
    rel_ir[20:280, 420:580] = 0.8  # a solid field with its edges
    rel_ir += rng.normal(0.0, 0.006, rel_ir.shape).astype(np.float32)
    paper = np.zeros(rel_ir.shape, bool)
    paper[150:165, :] = True  # bare paper between the fields
    found = carbon_dots(rel_ir, paper, 400.0)
    assert found[dots].mean() > 0.5
    assert found[~cv2.dilate(dots.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
                 ].sum() < 20


def _lines(width_mm: float, height_mm: float) -> np.ndarray:
    """Full-strength ink of 0.4 mm lines every 2 mm over `width_mm` x `height_mm` at 400 dpi."""
    s = 400.0 / 25.4
    h, w = round(height_mm * s) + 40, round(width_mm * s) + 40
    strong = np.zeros((h, w), np.float32)
    for y in np.arange(20, h - 20, 2 * s):
        strong[round(y):round(y) + 6, 20:w - 20] = 1.0
    return strong


def test_a_dull_impression_on_guilloche_of_its_colour_is_found() -> None:
    # a 30 x 22 mm stamp-pad impression inside 90 x 60 mm of dull lines of its colour, which
    # the finder model takes for background: together they look like guilloche
    strong = _lines(90, 60)
    s = 400.0 / 25.4
    stamp_ink = np.full(strong.shape, 0.05, np.float32)
    stamp_ink[round(20 * s):round(42 * s), round(30 * s):round(60 * s)] = 0.9
    assert _split(strong, 0.1, 0.1, stamp_ink=stamp_ink) == ["stamp_pad"]
    assert _split(strong, 0.1, 0.1, stamp_ink=0.05) == []


def test_an_impression_that_looks_printed_in_half_of_it_is_one_forged_impression() -> None:
    # 30 x 18 mm of sparse dull ink (~20 mm^2), print dots by the finder model in the top
    # half and solid in the bottom half: each half alone is a fragment (under min_part_mm2
    # and narrower than a whole print), the impression is not
    strong = _dots(30, 18, 3)
    h = strong.shape[0]
    finder_print = np.where(np.arange(h)[:, None] < h // 2, 0.9, 0.1) * np.ones(strong.shape)
    assert len(_split(strong, finder_print, 0.1)) == 1
    strong[h // 2:] = 0.0
    assert _split(strong, finder_print, 0.1) == []


def _title_findings(stamp_at_mm: tuple[float, float], ink_mm2: float,
                    carbon_dots: float | None = None) -> CheckResult:
    """`stamp_authenticity` of a UTO-V page whose only finding is a non-glowing stamp-pad
    part with its ink in a 30 x 22 mm box at `stamp_at_mm`, over a visa title's ink, with
    `carbon_dots` when given."""
    dpi = 100.0
    s = dpi / 25.4
    h, w = round(88 * s), round(125 * s)
    page = Page(np.ones((h, w, 3), np.float32), np.ones((h, w), np.float32),
                np.zeros((h, w, 3), np.float32), dpi, np.eye(2, 3), 0.0, True)
    model = next(m for m in load_models() if m.id == "UTO-V")
    ink_map = np.zeros((h, w), np.float32)
    tx, ty, tw, th = page.mm_box(*model.regions["title"].bounds)
    ink_map[ty:ty + th, tx:tx + tw] = 1.0  # the bold title
    box = page.mm_box(*stamp_at_mm, 30, 22)
    x, y, bw, bh = box
    ink_map[y:y + bh, x:x + bw] += 0.5  # the stamp's ink, over the title where they meet
    entry: dict[str, object] = {"region": list(box), "status": "failed", "score": 0.0,
                                "kind": "stamp_pad", "ink_mm2": ink_mm2}
    if carbon_dots is not None:
        entry["carbon_dots"] = carbon_dots
    findings = StampFindings([entry], [box], ink_map, dpi)
    ctx = ScanContext(page=page, captured_at=datetime(2026, 1, 1, tzinfo=UTC), model=model,
                      thresholds=Thresholds())
    return stamp_authenticity(ctx, findings=findings)


def test_the_visa_title_is_not_a_stamp_but_a_stamp_over_it_is_judged() -> None:
    # a "part" on the title with little ink beyond it: the title's own print
    assert _title_findings((2, 2), ink_mm2=20).status == "not_performed"
    # a whole stamp pressed over the title keeps most of its ink outside it
    assert _title_findings((2, 2), ink_mm2=200).status == "failed"
    # far from the title, a part is judged as before, even one with as little ink as a
    # pale print's
    assert _title_findings((60, 40), ink_mm2=10).status == "failed"
    # ink with carbon toner dots is no label print: the title's offset ink is clear in IR
    assert _title_findings((2, 2), ink_mm2=20, carbon_dots=0.01).status == "failed"
