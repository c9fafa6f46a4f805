"""OCR-B glyph templates for the MRZ alphabet, rendered with Pillow at a fixed canonical pitch.

Printed MRZs differ in glyph size for the same 10 cpi pitch (ICAO allows a range of cap
heights), so templates come in several scales: `scale` 1.0 means the font's advance width
equals the pitch, smaller scales shrink the glyph inside the same cell.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageDraw, ImageFilter, ImageFont

ALPHABET = "<0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
OCRB_FONT = Path("/usr/share/fonts/opentype/ocr-b/OCRB.otf")
PITCH = 20  # canonical character pitch in pixels; the reader rescales the MRZ to it
CELL_HEIGHT = 30  # canonical template height; capitals are centred vertically
MIN_SCALE, MAX_SCALE = 0.80, 1.14  # glyph scales the reader considers
SCALE_STEP = 0.02  # templates exist for every multiple of this step in that range
_SUPER = 4  # supersampling factor for anti-aliased rendering


class FontMissingError(RuntimeError):
    """The OCR-B font needed for the MRZ templates is not installed."""


def font_size_for_pitch(pitch: float, font_path: Path = OCRB_FONT) -> float:
    """The OCR-B point size (in pixels per em) whose advance width equals `pitch` pixels."""
    try:
        probe = ImageFont.truetype(str(font_path), 100)
    except OSError as err:
        raise FontMissingError(f"OCR-B font not found at {font_path}") from err
    return 100.0 * pitch / probe.getlength("A")


def quantise(scale: float) -> float:
    """A glyph scale clipped to the supported range and rounded to SCALE_STEP (cache key)."""
    clipped = min(MAX_SCALE, max(MIN_SCALE, scale))
    return round(round(clipped / SCALE_STEP) * SCALE_STEP, 2)


def scales() -> tuple[float, ...]:
    """Every glyph scale the reader may use."""
    count = round((MAX_SCALE - MIN_SCALE) / SCALE_STEP) + 1
    return tuple(quantise(MIN_SCALE + i * SCALE_STEP) for i in range(count))


def render_glyph(char: str, pitch: int, height: int, font_path: Path = OCRB_FONT,
                 scale: float = 1.0) -> NDArray[np.float32]:
    """One character cell, ink = 1.0 on 0.0, centred in the cell; anti-aliased."""
    size = font_size_for_pitch(pitch * _SUPER * scale, font_path)
    font = ImageFont.truetype(str(font_path), round(size))
    cap = -font.getbbox("H", anchor="ls")[1]
    canvas = Image.new("L", (pitch * _SUPER, height * _SUPER), 0)
    baseline = (height * _SUPER + cap) / 2
    ImageDraw.Draw(canvas).text((pitch * _SUPER / 2, baseline), char, fill=255, font=font,
                                anchor="ms")
    small = canvas.resize((pitch, height), Image.Resampling.BOX)
    return np.asarray(small, dtype=np.float32) / 255.0


@lru_cache(maxsize=32)
def _sharp(scale: float) -> NDArray[np.float32]:
    """Unblurred glyphs of ALPHABET at one scale: (n, h, w)."""
    return np.stack([render_glyph(c, PITCH, CELL_HEIGHT, scale=scale) for c in ALPHABET])


@lru_cache(maxsize=32)
def templates(blur: float = 0.7, scale: float = 1.0) -> NDArray[np.float32]:
    """All glyphs of ALPHABET at the canonical pitch, slightly blurred, as an array (n, h, w)."""
    cells = []
    for glyph in _sharp(quantise(scale)):
        image = Image.fromarray((glyph * 255).astype(np.uint8))
        image = image.filter(ImageFilter.GaussianBlur(blur))
        cells.append(np.asarray(image, dtype=np.float32) / 255.0)
    return np.stack(cells)


@lru_cache(maxsize=64)
def template_matrix(blur: float = 0.7, scale: float = 1.0, turned: bool = False) -> NDArray[
        np.float32]:
    """Templates flattened, zero-mean and unit-norm, for normalised correlation: (h*w, n).

    `turned` gives the templates rotated by 180 degrees: correlating them with an upright
    crop equals correlating the upright templates with the crop turned upside down.
    """
    cells = templates(blur, quantise(scale))
    if turned:
        cells = cells[:, ::-1, ::-1]
    flat = cells.reshape(len(ALPHABET), -1)
    flat = flat - flat.mean(axis=1, keepdims=True)
    flat /= np.linalg.norm(flat, axis=1, keepdims=True)
    return np.ascontiguousarray(flat.T)
