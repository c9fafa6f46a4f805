"""Drawing the layers of a UTO page: substrate, fibres, guilloche, text, photo, UV, wear."""

from __future__ import annotations

import math

import cv2
import numpy as np
from numpy.typing import NDArray

from drivers.specimen import layout
from drivers.specimen.canvas import F32, PageImage, smooth_noise
from drivers.specimen.layout import Grid
from drivers.specimen.materials import FIBRE_HUES, Ink, Paper
from drivers.specimen.mrz import Holder
from drivers.specimen.portrait import luminance, portrait
from drivers.specimen.text import TextMask, dejavu, draw_mrz, font_for_cap_height

MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
MRZ_ZONE_TOP_MM = 64.0


def blank_page(rng: np.random.Generator, grid: Grid, paper: Paper) -> PageImage:
    """A page of `paper` with its formation (cloudy low-frequency texture, about +-1.5 %)."""
    width, height = grid.page_size
    texture = 1.0 + 0.012 * smooth_noise(rng, width, height, (40, 28)) \
        + 0.006 * smooth_noise(rng, width, height, (160, 112))
    return PageImage.blank(width, height, paper, texture.astype(np.float32))


def uv_fibres(page: PageImage, rng: np.random.Generator, grid: Grid) -> int:
    """15-60 short red, blue or green strands in the paper, visible under UV only."""
    width, height = page.size
    count = int(rng.integers(15, 61))
    shift = 4
    for _ in range(count):
        length = grid.px(rng.uniform(2.0, 8.0))
        x, y = rng.uniform(0, width), rng.uniform(0, height)
        angle, bend = rng.uniform(0, 2 * math.pi), rng.uniform(-0.6, 0.6)
        pts = []
        for k in range(6):
            a = angle + bend * k / 5
            pts.append((x, y))
            x, y = x + math.cos(a) * length / 5, y + math.sin(a) * length / 5
        pts.append((x, y))
        x0 = int(min(p[0] for p in pts)) - 3
        y0 = int(min(p[1] for p in pts)) - 3
        bw = int(max(p[0] for p in pts)) - x0 + 4
        bh = int(max(p[1] for p in pts)) - y0 + 4
        mask = np.zeros((bh, bw), np.uint8)
        poly = np.array([[(px - x0) * (1 << shift), (py - y0) * (1 << shift)] for px, py in pts],
                        np.int32)
        cv2.polylines(mask, [poly], False, 255, max(1, round(grid.px(0.1))), cv2.LINE_AA, shift)
        hue = FIBRE_HUES[int(rng.integers(3))]
        s = rng.uniform(0.3, 0.75)
        ink = Ink(white=(0.97, 0.97, 0.97), ir=1.0, uv_trans=0.0,
                  uv_emit=(hue[0] * s, hue[1] * s, hue[2] * s))
        page.ink(mask.astype(np.float32) / 255.0, ink, x0, y0)
    return count


def _line_cover(phase: F32, width_frac: float) -> F32:
    c0 = math.cos(math.pi * width_frac)
    cover: F32 = np.clip((np.cos(np.float32(2 * math.pi) * phase) - c0) * (2.0 / (1.0 - c0)),
                         0.0, 1.0)
    return cover


def guilloche(page: PageImage, rng: np.random.Generator, grid: Grid, inks: list[Ink],
              fade: float) -> None:
    """Background tint and 2-3 families of fine wavy offset lines whose colour shifts across."""
    width, height = page.size
    sw, sh = max(width // 4, 8), max(height // 4, 8)
    xs = np.linspace(0, layout.PAGE_W_MM, sw, dtype=np.float32)[None, :]
    ys = np.linspace(0, layout.PAGE_H_MM, sh, dtype=np.float32)[:, None]
    ramp = np.linspace(0.0, 1.0, width, dtype=np.float32)[None, :, None]

    def colour(a: Ink, b: Ink) -> NDArray[np.float32]:
        mix = np.asarray(a.white, np.float32) * (1 - ramp) + np.asarray(b.white, np.float32) * ramp
        return mix.astype(np.float32)

    tint = np.full((height, width), np.float32(rng.uniform(0.25, 0.6) * fade))
    page.ink(tint, inks[0], white=colour(inks[0], inks[1]))
    for _ in range(int(rng.integers(2, 4))):
        period = rng.uniform(0.9, 1.8)
        if rng.random() < 0.6:
            ang = rng.uniform(0, math.pi)
            u = xs * math.cos(ang) + ys * math.sin(ang)
            v = -xs * math.sin(ang) + ys * math.cos(ang)
            phase = (u / period + rng.uniform(1, 4) * np.sin(2 * math.pi * v / rng.uniform(15, 45)
                                                           + rng.uniform(0, 6.3))
                     + rng.uniform(0.5, 2) * np.sin(2 * math.pi * u / rng.uniform(20, 60)))
        else:
            cx, cy = rng.uniform(0, layout.PAGE_W_MM), rng.uniform(0, layout.PAGE_H_MM)
            r = np.hypot(xs - cx, ys - cy)
            th = np.arctan2(ys - cy, xs - cx)
            phase = r / period + rng.uniform(1, 3) * np.sin(int(rng.integers(5, 19)) * th)
        full = np.asarray(cv2.resize(phase.astype(np.float32), (width, height),
                                     interpolation=cv2.INTER_LINEAR), np.float32)
        cover = _line_cover(full, rng.uniform(0.12, 0.3)) * np.float32(rng.uniform(0.6, 1.0) * fade)
        a, b = (inks[int(i)] for i in rng.choice(len(inks), 2, replace=False))
        page.ink(cover, a, white=colour(a, b))


def _date(day: object) -> str:
    d = day  # a datetime.date
    return f"{d.day:02d} {MONTHS[d.month - 1]} {d.year}"  # type: ignore[attr-defined]


def text_layers(rng: np.random.Generator, grid: Grid, model: str, holder: Holder | None,
                ) -> tuple[F32, F32]:
    """Label (offset) and personal data (B900) coverage over the page's top 64 mm."""
    width = grid.page_size[0]
    height = grid.ipx(MRZ_ZONE_TOP_MM)
    labels, data = TextMask(width, height), TextMask(width, height)
    label_font = dejavu(("DejaVuSans.ttf", "DejaVuSansCondensed.ttf", "DejaVuSerif.ttf",
                         "DejaVuSerifCondensed.ttf")[int(rng.integers(4))])
    data_font = dejavu(("DejaVuSans-Bold.ttf", "DejaVuSansCondensed-Bold.ttf",
                        "DejaVuSansMono-Bold.ttf", "DejaVuSans.ttf")[int(rng.integers(4))])
    small = font_for_cap_height(label_font, grid.px(rng.uniform(1.1, 1.4)))
    head = font_for_cap_height(dejavu("DejaVuSans-Bold.ttf") if rng.random() < 0.5
                               else label_font, grid.px(rng.uniform(2.6, 3.2)))
    big = font_for_cap_height(data_font, grid.px(rng.uniform(2.0, 2.4)))
    px = grid.px
    if model == "UTO-V":
        labels.text((px(6), px(8)), "UTOPIA", head)
        labels.text((px(6), px(12.5)), "VISAS / VISAS", small)
        labels.text((px(62), px(85)), str(int(rng.integers(5, 33))), small, anchor="ms")
        return labels.cover(), data.cover()
    assert holder is not None
    labels.text((px(42), px(7)), "UTOPIA   PASSPORT / PASSEPORT", head)
    sex = {"F": "F", "M": "M", "<": "X"}[holder.sex]
    rows = [
        (("Type / Type", "P", 42), ("Code / Code", "UTO", 58), ("Passport No. / No du passeport",
                                                                  holder.document_number, 84)),
        (("Surname / Nom", holder.surname, 42),),
        (("Given names / Prénoms", holder.given_names, 42),),
        (("Nationality / Nationalité", "UTOPIAN", 42), ("Sex / Sexe", sex, 96)),
        (("Date of birth / Date de naissance", _date(holder.birth), 42),
         ("Place of birth / Lieu de naissance", holder.place_of_birth, 84)),
        (("Date of issue / Date de délivrance", _date(holder.issue), 42),
         ("Authority / Autorité", holder.authority, 84)),
        (("Date of expiry / Date d'expiration", _date(holder.expiry), 42),),
    ]
    for r, row in enumerate(rows):
        top = 11.0 + r * 6.7
        for label, value, x in row:
            labels.text((px(x), px(top + 1.4)), label, small)
            data.text((px(x), px(top + 4.6)), value, big)
    return labels.cover(), data.cover()


def printed_photo(page: PageImage, rng: np.random.Generator, grid: Grid, fade: float) -> None:
    """The holder's portrait printed into the page: carbon-based, so it shows in IR."""
    x0, y0, x1, y1 = grid.box(layout.PHOTO_MM)
    face = portrait(rng, x1 - x0, y1 - y0)
    face = 1.0 - (1.0 - face) * np.float32(fade)
    ir = (0.1 + 0.9 * luminance(face) ** 1.1).astype(np.float32)
    page.ink(np.ones(ir.shape, np.float32), Ink(white=(1, 1, 1), ir=1.0, uv_trans=0.35),
             x0, y0, white=face, ir=ir)


def uv_overprint(page: PageImage, grid: Grid, ink: Ink) -> None:
    """Issuer's wavy UV-only lines over the photo and its border (x 2-50, y 16-66 mm)."""
    x0, y0, x1, y1 = grid.box(layout.OVERPRINT_MM)
    xs = (np.arange(x0, x1, dtype=np.float32)[None, :] + 0.5) * np.float32(25.4 / grid.dpi)
    ys = (np.arange(y0, y1, dtype=np.float32)[:, None] + 0.5) * np.float32(25.4 / grid.dpi)
    waves = (ys - 0.8 * np.sin(2 * math.pi * xs / 9.0)) / 2.2
    cross = (ys + 1.4 * np.sin(2 * math.pi * xs / 13.0 + 1.0)) / 3.3
    width = max(0.14, 0.18 * 400 / grid.dpi)
    cover = np.maximum(_line_cover(waves.astype(np.float32), width),
                       _line_cover(cross.astype(np.float32), width))
    page.ink(cover.astype(np.float32), ink, x0, y0)


def emblem_cover(grid: Grid, diameter_mm: float) -> F32:
    """The UTO sun: disc, ring and 16 alternating rays, `diameter_mm` across the rays."""
    r = grid.px(diameter_mm / 2)
    size = math.ceil(2 * r) + 4
    c = size / 2
    shift, one = 4, 16
    mask = np.zeros((size, size), np.uint8)

    def pt(rad: float, ang: float) -> list[int]:
        return [round((c + rad * math.cos(ang)) * one), round((c + rad * math.sin(ang)) * one)]

    cv2.circle(mask, pt(0, 0), round(0.30 * r * one), 255, -1, cv2.LINE_AA, shift)
    cv2.circle(mask, pt(0, 0), round(0.40 * r * one), 255, max(1, round(0.05 * r)),
               cv2.LINE_AA, shift)
    for k in range(16):
        a = k * math.pi / 8
        tip = 1.0 if k % 2 == 0 else 0.78
        poly = np.array([pt(0.48 * r, a - 0.09), pt(tip * r, a), pt(0.48 * r, a + 0.09)], np.int32)
        cv2.fillPoly(mask, [poly], 255, cv2.LINE_AA, shift)
    return mask.astype(np.float32) / 255.0


def uv_emblem(page: PageImage, grid: Grid, model: str, ink: Ink) -> None:
    """The UV-only sun emblem at the model's position."""
    (cx, cy), diameter = layout.EMBLEM[model]
    cover = emblem_cover(grid, diameter)
    half = cover.shape[0] / 2
    page.ink(cover, ink, round(grid.px(cx) - half), round(grid.px(cy) - half))


def mrz_cover(grid: Grid, lines: tuple[str, str] | list[str], dx_mm: float = 0.0,
              dy_mm: float = 0.0) -> tuple[F32, int]:
    """Coverage of the printed MRZ over the page band below 64 mm, and that band's top row."""
    top = grid.ipx(MRZ_ZONE_TOP_MM)
    mask = TextMask(grid.page_size[0], grid.page_size[1] - top)
    draw_mrz(mask, grid, lines, dx_mm=dx_mm, dy_mm=dy_mm, y_origin_mm=top * 25.4 / grid.dpi)
    return mask.cover(), top


def wear(page: PageImage, rng: np.random.Generator, grid: Grid) -> dict[str, object]:
    """Dirt spots and a crease line on a worn page."""
    width, height = page.size
    spots = int(rng.integers(1, 7))
    dirt = Ink(white=(0.72, 0.66, 0.55), ir=0.8, uv_trans=0.5)
    for _ in range(spots):
        rad = grid.px(rng.uniform(0.4, 2.5))
        size = int(rad * 3) + 2
        yy, xx = np.mgrid[0:size, 0:size].astype(np.float32) - size / 2
        blob = np.exp(-(xx**2 / rng.uniform(0.5, 1.5) + yy**2) / rad**2) * rng.uniform(0.15, 0.5)
        page.ink(blob.astype(np.float32), dirt, int(rng.uniform(0, width) - size / 2),
                 int(rng.uniform(0, height) - size / 2))
    crease = rng.random() < 0.6
    if crease:
        ang = rng.uniform(0, math.pi)
        nx, ny = math.cos(ang), math.sin(ang)
        off = nx * rng.uniform(0.2, 0.8) * width + ny * rng.uniform(0.2, 0.8) * height
        d = (np.arange(width, dtype=np.float32)[None, :] * np.float32(nx)
             + np.arange(height, dtype=np.float32)[:, None] * np.float32(ny) - np.float32(off))
        sigma = np.float32(grid.px(0.12))
        factor = (1.0 - 0.14 * np.exp(-(d / sigma) ** 2)
                  + 0.05 * np.exp(-((d - 2.5 * sigma) / (1.5 * sigma)) ** 2))
        page.scale(factor.astype(np.float32), lights=(1.0, 0.8, 1.0))
    return {"dirt_spots": spots, "crease": crease}
