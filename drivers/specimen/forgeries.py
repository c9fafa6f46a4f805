"""Forgeries as physical changes to a page: copies, altered MRZ, substituted photo."""

from __future__ import annotations

from datetime import timedelta

import cv2
import numpy as np

from drivers.specimen import layout
from drivers.specimen.canvas import F32, PageImage, smooth_noise
from drivers.specimen.halftone import Screen, print_toner, random_screen
from drivers.specimen.layout import Grid
from drivers.specimen.materials import TONER_K, Ink, Paper, dye_inkjet_black, office_paper
from drivers.specimen.mrz import Holder, random_document_number, td3_lines
from drivers.specimen.page import blank_page, mrz_cover
from drivers.specimen.portrait import luminance, portrait

PAGE_FORGERIES = ("counterfeit_copy", "mrz_altered", "photo_substituted", "uv_feature_missing")
STAMP_FORGERIES = ("stamp_reproduced", "stamp_fake_rubber", "stamp_duplicated")
MRZ_VARIANTS = ("wrong", "recomputed")
MRZ_MEDIA = ("dye", "strip", "strip+dye")
_CHECK_POSITIONS = (9, 19, 27, 42, 43)


def counterfeit_copy(page: PageImage, paper: Paper, rng: np.random.Generator,
                     grid: Grid) -> tuple[PageImage, dict[str, object]]:
    """Scan the page in white light and print it with a colour printer on office paper."""
    flat = np.clip(page.white / np.asarray(paper.white, np.float32), 0.0, 1.0).astype(np.float32)
    scanned = np.asarray(cv2.GaussianBlur(flat, (0, 0), 0.6 * grid.dpi / 400), np.float32)
    screen = random_screen(rng, grid.dpi, k_probability=1.0)
    copy = blank_page(rng, grid, office_paper(rng))
    print_toner(copy, scanned, screen, (0, 0), rng=rng, dpi=grid.dpi)
    return copy, {"paper": "office", **screen.describe()}


def _rect_mask(grid: Grid, box_mm: tuple[float, float, float, float], angle_deg: float,
               ) -> tuple[F32, int, int]:
    """A filled, slightly rotated rectangle; returns the mask and its page-pixel origin."""
    x0, y0, x1, y1 = (grid.px(v) for v in box_mm)
    pad = grid.ipx(2.0)
    ox, oy = int(x0) - pad, int(y0) - pad
    w, h = int(x1 - x0) + 2 * pad + 1, int(y1 - y0) + 2 * pad + 1
    cx, cy = (x0 + x1) / 2 - ox, (y0 + y1) / 2 - oy
    rect = ((cx, cy), (x1 - x0, y1 - y0), angle_deg)
    pts = np.round(cv2.boxPoints(rect) * 16).astype(np.int32)
    mask = np.zeros((h, w), np.uint8)
    cv2.fillPoly(mask, [pts], 255, cv2.LINE_AA, 4)
    return mask.astype(np.float32) / 255.0, ox, oy


def _paste(page: PageImage, paper: Paper, mask: F32, origin: tuple[int, int], grid: Grid,
           ) -> None:
    """Paste a piece of paper: its own surface, plus a thin shadow along its edge."""
    ox, oy = origin
    page.cover_with(paper, mask, ox, oy)
    edge = cv2.morphologyEx(mask, cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8))
    edge = cv2.GaussianBlur(edge, (0, 0), max(0.6, grid.px(0.04)))
    page.scale((1.0 - 0.3 * np.clip(edge, 0, 1)).astype(np.float32), ox, oy)


def substitute_photo(page: PageImage, rng: np.random.Generator, grid: Grid,
                     ) -> dict[str, object]:
    """Paste a dye print of another face, on UV-bright photo paper, over the photo."""
    dx, dy = rng.uniform(-0.6, 0.6, 2)
    x0, y0, x1, y1 = layout.PHOTO_MM
    box = (x0 + dx - 0.3, y0 + dy - 0.3, x1 + dx + 0.3, y1 + dy + 0.3)
    mask, ox, oy = _rect_mask(grid, box, float(rng.uniform(-0.8, 0.8)))
    paper = office_paper(rng)
    _paste(page, paper, mask, (ox, oy), grid)
    h, w = mask.shape
    face = portrait(rng, w - 2 * grid.ipx(2.0), h - 2 * grid.ipx(2.0))
    full = np.ones((h, w, 3), np.float32)
    pad = grid.ipx(2.0)
    full[pad:pad + face.shape[0], pad:pad + face.shape[1]] = face
    ir = (0.9 + 0.08 * luminance(full)).astype(np.float32)
    page.ink(mask, Ink(white=(1, 1, 1), ir=1.0, uv_trans=0.8), ox, oy, white=full, ir=ir)
    return {"paper": "photo", "ink": "dye", "offset_mm": [round(float(dx), 2), round(float(dy), 2)]}


def alter_holder(holder: Holder, rng: np.random.Generator, variant: str,
                 ) -> tuple[tuple[str, str], str]:
    """New MRZ lines with one field changed; check digits recomputed or left as they were."""
    original = td3_lines(holder)
    fields = ("document_number", "birth", "expiry") if variant == "wrong" else (
        "document_number", "birth", "expiry", "surname")
    name = str(fields[int(rng.integers(len(fields)))])
    for _ in range(50):
        if name == "document_number":
            changed = holder.replace(document_number=random_document_number(rng))
        elif name == "birth":
            changed = holder.replace(birth=holder.birth + timedelta(
                days=int(rng.choice([-1, 1]) * rng.integers(200, 3000))))
        elif name == "expiry":
            changed = holder.replace(expiry=holder.expiry + timedelta(
                days=int(rng.integers(365, 3650))))
        else:
            changed = holder.replace(surname=("MORAN", "OKAFOR", "LIND", "DUVAL")[
                int(rng.integers(4))])
        new = td3_lines(changed)
        if new == original:
            continue
        if variant == "recomputed":
            return new, name
        line2 = list(new[1])
        for pos in _CHECK_POSITIONS:
            line2[pos] = original[1][pos]
        kept = "".join(line2)
        if kept != new[1]:
            return (new[0], kept), name
    raise RuntimeError("could not alter the MRZ")  # pragma: no cover


def wash_mrz_zone(page: PageImage, rng: np.random.Generator, grid: Grid) -> None:
    """The original MRZ chemically removed: a faint stain, slightly bleached and fluorescent."""
    top = grid.ipx(66.0)
    w, h = page.size[0], page.size[1] - top
    blob = np.clip(0.6 + 0.5 * smooth_noise(rng, w, h, (8, 3)), 0.0, 1.0).astype(np.float32)
    x = np.linspace(0, 1, w, dtype=np.float32)[None, :]
    blob *= np.clip(np.minimum(x, 1 - x) * 25, 0, 1)
    stain = Ink(white=(0.985, 0.965, 0.9), ir=0.97, uv_trans=1.0, uv_emit=(0.02, 0.025, 0.05))
    page.ink(blob, stain, 0, top)


def print_altered_mrz(page: PageImage, rng: np.random.Generator, grid: Grid,
                      lines: tuple[str, str], medium: str) -> None:
    """Print the forged MRZ (on a pasted office-paper strip if the medium says so)."""
    if medium.startswith("strip"):
        box = (rng.uniform(1.5, 4.0), rng.uniform(66.0, 68.0),
               rng.uniform(120.0, 123.5), rng.uniform(83.5, 86.0))
        mask, ox, oy = _rect_mask(grid, box, float(rng.uniform(-0.4, 0.4)))
        _paste(page, office_paper(rng), mask, (ox, oy), grid)
    ink = TONER_K if medium == "strip" else dye_inkjet_black(rng)
    cover, top = mrz_cover(grid, lines, float(rng.uniform(-0.4, 0.4)),
                           float(rng.uniform(-0.3, 0.3)))
    page.ink(cover, ink, 0, top)


def reproduce_stamp(page: PageImage, cover: F32, ink: Ink, origin: tuple[int, int], *,
                    rng: np.random.Generator, grid: Grid, screen: Screen) -> None:
    """Print a scanned stamp impression with CMY(K) toner dots: no UV, K dots dark in IR."""
    scanned = cv2.GaussianBlur(cover, (0, 0), 0.7 * grid.dpi / 400)
    refl = 1.0 - scanned[..., None] * (1.0 - np.asarray(ink.white, np.float32))
    print_toner(page, refl.astype(np.float32), screen, origin, rng=rng, dpi=grid.dpi,
                gcr=float(rng.uniform(0.5, 1.0)))

