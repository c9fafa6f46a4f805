"""Geometry of the UTO pages and the reader window, in millimetres (SPECIMENS.md)."""

from __future__ import annotations

from dataclasses import dataclass

MM_PER_INCH = 25.4
PAGE_W_MM = 125.0
PAGE_H_MM = 88.0
WINDOW_W_MM = 135.0
WINDOW_H_MM = 100.0
MAX_ROTATION_DEG = 5.0

PHOTO_MM = (6.0, 20.0, 38.0, 62.0)            # x0, y0, x1, y1
OVERPRINT_MM = (2.0, 16.0, 50.0, 66.0)
DATA_ZONE_MM = (42.0, 10.0, 120.0, 62.0)
EMBLEM = {"UTO-P": ((80.0, 38.0), 30.0), "UTO-V": ((105.0, 20.0), 20.0)}  # centre, diameter

MRZ_CHARS = 44
MRZ_PITCH_MM = 2.54
MRZ_LEFT_MM = 6.0
MRZ_LINE_CENTRES_FROM_BOTTOM_MM = (16.5, 8.5)
MRZ_CAP_HEIGHT_MM = 2.4

STAMP_W_MM = 30.0
STAMP_H_MM = 22.0


@dataclass(frozen=True)
class Grid:
    """Pixel grid of one resolution; coordinates are continuous with pixel (0, 0) at [0, 1)."""

    dpi: int

    def px(self, mm: float) -> float:
        """Millimetres to pixels."""
        return mm * self.dpi / MM_PER_INCH

    def ipx(self, mm: float) -> int:
        """Millimetres to a whole number of pixels."""
        return round(self.px(mm))

    @property
    def page_size(self) -> tuple[int, int]:
        """Page image (width, height) in pixels."""
        return self.ipx(PAGE_W_MM), self.ipx(PAGE_H_MM)

    @property
    def window_size(self) -> tuple[int, int]:
        """Reader window (width, height) in pixels."""
        return self.ipx(WINDOW_W_MM), self.ipx(WINDOW_H_MM)

    def box(self, box_mm: tuple[float, float, float, float]) -> tuple[int, int, int, int]:
        """A box (x0, y0, x1, y1) in mm as whole pixel bounds."""
        return (self.ipx(box_mm[0]), self.ipx(box_mm[1]), self.ipx(box_mm[2]),
                self.ipx(box_mm[3]))


def mrz_line_centre_mm(line: int) -> float:
    """Vertical centre of MRZ line 0 or 1, in mm from the page top."""
    return PAGE_H_MM - MRZ_LINE_CENTRES_FROM_BOTTOM_MM[line]


def mrz_cell_left_mm(index: int) -> float:
    """Left edge of MRZ character cell `index` (0-based), in mm from the page's left edge."""
    return MRZ_LEFT_MM + index * MRZ_PITCH_MM
