"""OCR-B glyph templates for the MRZ alphabet, rendered with Pillow at a fixed canonical pitch."""

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


def render_glyph(char: str, pitch: int, height: int, font_path: Path = OCRB_FONT) -> NDArray[
        np.float32]:
    """One character cell, ink = 1.0 on 0.0, capitals centred vertically; anti-aliased."""
    size = font_size_for_pitch(pitch * _SUPER, font_path)
    font = ImageFont.truetype(str(font_path), round(size))
    cap = -font.getbbox("H", anchor="ls")[1]
    canvas = Image.new("L", (pitch * _SUPER, height * _SUPER), 0)
    baseline = (height * _SUPER + cap) / 2
    ImageDraw.Draw(canvas).text((0, baseline), char, fill=255, font=font, anchor="ls")
    small = canvas.resize((pitch, height), Image.Resampling.BOX)
    return np.asarray(small, dtype=np.float32) / 255.0


@lru_cache(maxsize=4)
def templates(blur: float = 0.7) -> NDArray[np.float32]:
    """All glyphs of ALPHABET at the canonical pitch, slightly blurred, as an array (n, h, w)."""
    cells = []
    for char in ALPHABET:
        glyph = render_glyph(char, PITCH, CELL_HEIGHT)
        image = Image.fromarray((glyph * 255).astype(np.uint8))
        image = image.filter(ImageFilter.GaussianBlur(blur))
        cells.append(np.asarray(image, dtype=np.float32) / 255.0)
    return np.stack(cells)


@lru_cache(maxsize=4)
def template_matrix(blur: float = 0.7) -> NDArray[np.float32]:
    """Templates flattened, zero-mean and unit-norm, for normalised correlation: (h*w, n)."""
    flat = templates(blur).reshape(len(ALPHABET), -1)
    flat = flat - flat.mean(axis=1, keepdims=True)
    flat /= np.linalg.norm(flat, axis=1, keepdims=True)
    return np.ascontiguousarray(flat.T)
