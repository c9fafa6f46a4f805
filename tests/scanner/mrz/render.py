"""Test helper: draw MRZ pages (white or IR) with Pillow and OCR-B, independent of the reader."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageDraw, ImageFilter, ImageFont

OCRB = "/usr/share/fonts/opentype/ocr-b/OCRB.otf"
MM = 1 / 25.4


def render_page(lines: list[str], *, dpi: int = 400, angle: float = 0.0, upside_down: bool = False,
                ir: bool = False, blur: float = 0.6, noise: float = 4.0, seed: int = 0,
                sideways: bool = False, scale: float = 1.0, shade: float = 0.25,
                ink: int = 25) -> NDArray[np.uint8]:
    """A 135 x 100 mm reader window holding one page with an MRZ near its bottom edge.

    `scale` is the glyph size relative to OCR-B whose advance equals the 10 cpi pitch; each
    character stays centred in its 2.54 mm cell whatever its size. `shade` is the strength of
    the uneven illumination, `ink` the grey level of the MRZ print (0 black).
    """
    rng = np.random.default_rng(seed)
    page_w, page_h = round(125 * MM * dpi), round(88 * MM * dpi)
    page = Image.new("RGB", (page_w, page_h), (236, 232, 222) if not ir else (220, 220, 220))
    draw = ImageDraw.Draw(page)
    if not ir:  # pastel guilloche and mid-tone labels: gone in IR
        for k in range(60):
            ys = np.linspace(0, page_h, 400)
            xs = page_w * (k / 60) + 40 * np.sin(ys / (30 + k) + k)
            colour = (150 + k % 5 * 10, 190, 215 - k % 3 * 20)
            draw.line(list(zip(xs.tolist(), ys.tolist(), strict=True)), fill=colour, width=3)
    small = ImageFont.truetype(OCRB, round(dpi * 0.1))
    for row in range(4):  # personal data in black (IR dark too), short lines
        draw.text((42 * MM * dpi, (14 + 8 * row) * MM * dpi), "SPECIMEN DATA " * (row + 1),
                  fill=(30, 30, 30), font=small)
    font = ImageFont.truetype(OCRB, 100)
    size = 100 * scale * (dpi / 10) / font.getlength("A")
    font = ImageFont.truetype(OCRB, round(size))
    pitch = dpi / 10
    bottoms = {2: (16.5, 8.5), 3: (17.0, 12.8, 8.6)}[len(lines)]
    for text, from_bottom in zip(lines, bottoms, strict=True):
        y = page_h - from_bottom * MM * dpi
        for i, char in enumerate(text):
            x = 6 * MM * dpi + (i + 0.5) * pitch
            draw.text((x, y), char, fill=(ink, ink, ink), font=font, anchor="mm")
    if upside_down:
        page = page.rotate(180)
    window = Image.new("RGB", (round(135 * MM * dpi), round(100 * MM * dpi)), (8, 8, 8))
    rotated = page.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True,
                          fillcolor=(8, 8, 8))
    mask = Image.new("L", page.size, 255).rotate(angle, expand=True)
    ox = (window.width - rotated.width) // 2
    oy = (window.height - rotated.height) // 2
    window.paste(rotated, (ox, oy), mask)
    if blur:
        window = window.filter(ImageFilter.GaussianBlur(blur * dpi / 300))
    data = np.asarray(window, dtype=np.float32)
    yy, xx = np.mgrid[0:data.shape[0], 0:data.shape[1]]
    vignette = 1 - shade * (((xx / data.shape[1]) - 0.3) ** 2 + ((yy / data.shape[0]) - 0.4) ** 2)
    data = data * vignette[..., None] + rng.normal(0, noise, data.shape)
    out = np.clip(data, 0, 255).astype(np.uint8)
    if sideways:
        out = np.ascontiguousarray(np.rot90(out, 1))
    return np.ascontiguousarray(out[..., 0]) if ir else out
