"""UTO border-crossing stamps: design, a physically varied impression, and its placement."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import cv2
import numpy as np
from PIL import ImageDraw

from drivers.specimen import layout
from drivers.specimen.canvas import F32, PageImage, smooth_noise
from drivers.specimen.layout import Grid
from drivers.specimen.materials import Ink
from drivers.specimen.text import TextMask, dejavu, font_for_cap_height

CROSSINGS = (("AMAUROTUM AIRPORT", "plane"), ("ANYDER BRIDGE", "car"), ("PORT ABRAXA", "ship"),
             ("MACARIA CENTRAL", "train"), ("UTOPOS PASS", "car"), ("NOVA ATLANTIS", "plane"))
MARGIN_MM = 2.0


@dataclass(frozen=True)
class StampText:
    """What a stamp says."""

    kind: str          # "entry" | "exit"
    crossing: str
    transport: str
    day: date
    number: str


def random_text(rng: np.random.Generator, before: date) -> StampText:
    """A random entry or exit stamp dated up to ~2.5 years before `before`."""
    crossing, transport = CROSSINGS[int(rng.integers(len(CROSSINGS)))]
    day = date.fromordinal(before.toordinal() - int(rng.integers(1, 900)))
    return StampText(kind="entry" if rng.random() < 0.5 else "exit", crossing=crossing,
                     transport=transport, day=day, number=f"{int(rng.integers(0, 10000)):04d}")


def _symbol(draw: ImageDraw.ImageDraw, kind: str, x: float, y: float, s: float) -> None:
    """A transport pictogram of size `s` px with its top-left at (x, y)."""
    if kind == "plane":
        draw.polygon([(x + 0.45 * s, y), (x + 0.55 * s, y), (x + 0.58 * s, y + 0.35 * s),
                      (x + s, y + 0.6 * s), (x + s, y + 0.7 * s), (x + 0.58 * s, y + 0.58 * s),
                      (x + 0.56 * s, y + 0.85 * s), (x + 0.7 * s, y + s), (x + 0.3 * s, y + s),
                      (x + 0.44 * s, y + 0.85 * s), (x + 0.42 * s, y + 0.58 * s),
                      (x, y + 0.7 * s), (x, y + 0.6 * s), (x + 0.42 * s, y + 0.35 * s)], fill=255)
    elif kind == "car":
        draw.rectangle([x, y + 0.4 * s, x + s, y + 0.75 * s], fill=255)
        draw.polygon([(x + 0.2 * s, y + 0.4 * s), (x + 0.3 * s, y + 0.12 * s),
                      (x + 0.7 * s, y + 0.12 * s), (x + 0.8 * s, y + 0.4 * s)], fill=255)
        for cx in (0.25, 0.75):
            draw.ellipse([x + (cx - 0.12) * s, y + 0.68 * s, x + (cx + 0.12) * s, y + 0.92 * s],
                         fill=255)
    elif kind == "ship":
        draw.polygon([(x, y + 0.6 * s), (x + s, y + 0.6 * s), (x + 0.8 * s, y + 0.9 * s),
                      (x + 0.2 * s, y + 0.9 * s)], fill=255)
        draw.rectangle([x + 0.3 * s, y + 0.35 * s, x + 0.65 * s, y + 0.6 * s], fill=255)
        draw.rectangle([x + 0.45 * s, y + 0.1 * s, x + 0.52 * s, y + 0.35 * s], fill=255)
    else:  # train
        draw.rounded_rectangle([x + 0.1 * s, y, x + 0.9 * s, y + 0.8 * s], radius=0.15 * s,
                               fill=255)
        draw.rectangle([x + 0.2 * s, y + 0.12 * s, x + 0.8 * s, y + 0.4 * s], fill=0)
        draw.line([(x + 0.2 * s, y + s), (x + 0.35 * s, y + 0.8 * s)], fill=255,
                  width=max(1, round(0.07 * s)))
        draw.line([(x + 0.8 * s, y + s), (x + 0.65 * s, y + 0.8 * s)], fill=255,
                  width=max(1, round(0.07 * s)))


def design(grid: Grid, text: StampText, font_name: str) -> F32:
    """The crisp stamp die (30 x 22 mm plus a margin): borders, texts and pictogram."""
    px = grid.px
    w, h = grid.ipx(layout.STAMP_W_MM + 2 * MARGIN_MM), grid.ipx(layout.STAMP_H_MM + 2 * MARGIN_MM)
    m = px(MARGIN_MM)
    canvas = TextMask(w, h)
    draw = canvas.draw
    outer = [m, m, m + px(layout.STAMP_W_MM), m + px(layout.STAMP_H_MM)]
    inner = [outer[0] + px(1.2), outer[1] + px(1.2), outer[2] - px(1.2), outer[3] - px(1.2)]
    if text.kind == "entry":
        draw.rounded_rectangle(outer, radius=px(3.0), outline=255, width=max(1, round(px(0.5))))
        draw.rounded_rectangle(inner, radius=px(2.0), outline=255, width=max(1, round(px(0.25))))
    else:
        draw.rectangle(outer, outline=255, width=max(1, round(px(0.5))))
        draw.rectangle(inner, outline=255, width=max(1, round(px(0.25))))
    font = dejavu(font_name)
    centre = m + px(layout.STAMP_W_MM / 2)
    canvas.text((centre, m + px(5.6)), "UTO", font_for_cap_height(font, px(3.0)), anchor="ms")
    cap = px(1.7)
    small = font_for_cap_height(font, cap)
    while small.getlength(text.crossing) > px(25) and cap > 2:
        cap *= 0.9
        small = font_for_cap_height(font, cap)
    canvas.text((centre, m + px(9.6)), text.crossing, small, anchor="ms")
    canvas.text((centre, m + px(14.6)), text.day.strftime("%d.%m.%Y"),
                font_for_cap_height(font, px(3.0)), anchor="ms")
    canvas.text((m + px(26.5), m + px(19.6)), text.number, font_for_cap_height(font, px(2.0)),
                anchor="rs")
    _symbol(draw, text.transport, m + px(3.2), m + px(15.6), px(4.2))
    return canvas.cover()


def impress(die: F32, rng: np.random.Generator, grid: Grid) -> tuple[F32, float]:
    """One physical impression of a die: ink spread, missing and smeared parts, pressure
    gradient, ink density and rotation. Returns the coverage and the angle in degrees."""
    h, w = die.shape
    spread = np.asarray(cv2.GaussianBlur(die, (0, 0), grid.px(rng.uniform(0.04, 0.1))),
                        np.float32)
    cover = np.clip((spread - rng.uniform(0.25, 0.45)) / 0.25, 0.0, 1.0)
    gaps = smooth_noise(rng, w, h, (int(rng.integers(5, 10)), int(rng.integers(4, 8))))
    cover *= np.clip((gaps - rng.uniform(-1.2, -0.35)) / 0.3, 0.0, 1.0)
    grain = smooth_noise(rng, w, h, (max(2, w // 6), max(2, h // 6)))
    cover *= 1.0 - 0.12 * (grain * 0.5 + 0.5)
    ang = rng.uniform(0, 2 * math.pi)
    ramp = ((np.arange(w, dtype=np.float32)[None, :] - w / 2) * math.cos(ang)
            + (np.arange(h, dtype=np.float32)[:, None] - h / 2) * math.sin(ang)) / max(w, h) + 0.5
    low = rng.uniform(0.45, 0.9)
    cover *= low + (1.0 - low) * np.clip(ramp, 0.0, 1.0)
    cover *= rng.uniform(0.7, 1.0)
    if rng.random() < 0.35:
        length = max(3, round(grid.px(rng.uniform(0.4, 1.2))))
        kernel = np.zeros((length, length), np.float32)
        kernel[length // 2, :] = 1.0 / length
        rot = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5),
                                      rng.uniform(0, 180), 1.0)
        kernel = np.asarray(cv2.warpAffine(kernel, rot, (length, length)), np.float32)
        kernel /= max(float(kernel.sum()), 1e-6)
        smeared = np.asarray(cv2.filter2D(cover, -1, kernel), np.float32)
        side = np.clip(ramp * 4 - rng.uniform(0.5, 3.5), 0.0, 1.0)
        cover = cover * (1 - side) + smeared * side
    angle = float(rng.uniform(-25, 25))
    diag = math.ceil(math.hypot(w, h)) + 2
    rot = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    rot[0, 2] += (diag - w) / 2
    rot[1, 2] += (diag - h) / 2
    out: F32 = np.clip(cv2.warpAffine(cover.astype(np.float32), rot, (diag, diag),
                                      flags=cv2.INTER_LINEAR), 0.0, 1.0)
    return out, angle


def random_centre(rng: np.random.Generator, grid: Grid) -> tuple[float, float]:
    """Where a border officer puts a stamp: anywhere, sometimes over the page edge."""
    if rng.random() < 0.8:
        x, y = rng.uniform(17, layout.PAGE_W_MM - 17), rng.uniform(13, layout.PAGE_H_MM - 13)
    else:
        x, y = rng.uniform(3, layout.PAGE_W_MM - 3), rng.uniform(3, layout.PAGE_H_MM - 3)
    return grid.px(x), grid.px(y)


def visible_box(page: PageImage, cover: F32, x0: int, y0: int) -> tuple[int, int, int, int]:
    """Page-pixel box (x0, y0, x1, y1) of the impression's ink that lies on the page."""
    ys, xs = np.nonzero(cover > 0.1)
    width, height = page.size
    if xs.size == 0:
        return x0, y0, x0, y0
    return (max(x0 + int(xs.min()), 0), max(y0 + int(ys.min()), 0),
            min(x0 + int(xs.max()) + 1, width), min(y0 + int(ys.max()) + 1, height))


def stamp_on(page: PageImage, cover: F32, ink: Ink, centre: tuple[float, float],
             ) -> tuple[int, int, int, int]:
    """Press an impression centred at `centre` (page px); returns its visible box."""
    x0 = round(centre[0] - cover.shape[1] / 2)
    y0 = round(centre[1] - cover.shape[0] / 2)
    page.ink(cover, ink, x0, y0)
    return visible_box(page, cover, x0, y0)


def origin(cover: F32, centre: tuple[float, float]) -> tuple[int, int]:
    """Top-left page pixel of an impression centred at `centre`."""
    return round(centre[0] - cover.shape[1] / 2), round(centre[1] - cover.shape[0] / 2)
