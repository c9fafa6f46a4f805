"""Text rendered once with Pillow into coverage masks (0..1 float32)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageDraw, ImageFont

from drivers.specimen import layout
from drivers.specimen.layout import Grid

OCRB = Path("/usr/share/fonts/opentype/ocr-b/OCRB.otf")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
LABEL_FONTS = ("DejaVuSans.ttf", "DejaVuSansCondensed.ttf", "DejaVuSerif.ttf",
               "DejaVuSerifCondensed.ttf", "DejaVuSans-Oblique.ttf")
DATA_FONTS = ("DejaVuSans-Bold.ttf", "DejaVuSansCondensed-Bold.ttf", "DejaVuSansMono-Bold.ttf",
              "DejaVuSans.ttf", "DejaVuSerif-Bold.ttf")

Font = ImageFont.FreeTypeFont


@lru_cache(maxsize=64)
def _font(path: str, size: int) -> Font:
    return ImageFont.truetype(path, size)


@lru_cache(maxsize=64)
def font_for_cap_height(path: str, cap_px: float) -> Font:
    """The font at the size whose capital 'H' is `cap_px` pixels high."""
    ref = _font(path, 200)
    _, top, _, bottom = ref.getbbox("H", anchor="ls")
    size = max(4, round(200 * cap_px / (bottom - top)))
    return _font(path, size)


def dejavu(name: str) -> str:
    """Full path of a DejaVu font file."""
    return str(DEJAVU / name)


class TextMask:
    """A grey canvas to draw text and shapes on; `.cover()` gives the float coverage."""

    def __init__(self, width: int, height: int) -> None:
        self.image = Image.new("L", (width, height), 0)
        self.draw = ImageDraw.Draw(self.image)

    def text(self, xy: tuple[float, float], text: str, font: Font, anchor: str = "ls") -> None:
        """Draw `text` with its anchor point at `xy` (pixels)."""
        self.draw.text(xy, text, fill=255, font=font, anchor=anchor)

    def cover(self) -> NDArray[np.float32]:
        """Coverage 0..1."""
        return np.asarray(self.image, dtype=np.float32) * np.float32(1.0 / 255.0)


def draw_mrz(mask: TextMask, grid: Grid, lines: tuple[str, str] | list[str], *,
             dx_mm: float = 0.0, dy_mm: float = 0.0, y_origin_mm: float = 0.0) -> None:
    """Draw the TD3 MRZ in OCR-B at 10 cpi; one character centred in each 2.54 mm cell.

    `y_origin_mm` is the page y of the mask's top row (the mask may cover only the MRZ zone).
    """
    font = font_for_cap_height(str(OCRB), grid.px(layout.MRZ_CAP_HEIGHT_MM))
    cap = grid.px(layout.MRZ_CAP_HEIGHT_MM)
    pitch = grid.px(layout.MRZ_PITCH_MM)
    for row, line in enumerate(lines):
        baseline = grid.px(layout.mrz_line_centre_mm(row) + dy_mm - y_origin_mm) + cap / 2
        for i, char in enumerate(line):
            left = grid.px(layout.mrz_cell_left_mm(i) + dx_mm)
            mask.text((left + pitch / 2, baseline), char, font, anchor="ms")
