"""Reference captures for calibration: white card, UV card, dark frame and ChArUco target.

The cards are what an admin places on the reader (docs/calibration.md). They pass through
the same optics as specimens (`optics.expose`: vignetting, LED drift, room light, dark offset,
blur, noise), so a simulated reader with drifted conditions yields drifted references.
The card specifications here are the contract the calibration measures against.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import cv2
import numpy as np

from drivers.capture import Capture, write_capture
from drivers.specimen.canvas import F32, PageImage
from drivers.specimen.layout import WINDOW_H_MM, WINDOW_W_MM, Grid
from drivers.specimen.materials import Ink, Paper
from drivers.specimen.optics import expose, random_conditions
from drivers.specimen.render import DEVICE, EXPOSURE_MS

REFERENCE_KINDS = ("dark", "white", "uv", "target")
Box = tuple[float, float, float, float]

WHITE_CARD = Paper(white=(0.80, 0.80, 0.80), ir=0.75, uv=(0.030, 0.025, 0.050))
UV_DULL = Paper(white=(0.93, 0.93, 0.93), ir=0.88, uv=(0.020, 0.015, 0.030))
UV_FLUORESCENT = Paper(white=(0.95, 0.95, 0.96), ir=0.90, uv=(0.40, 0.50, 0.60))
# tiles of the UV card, in mm of the reader window (the card fills the window)
UV_DULL_BOX_MM: Box = (37.5, 32.5, 65.5, 67.5)
UV_FLUORESCENT_BOX_MM: Box = (69.5, 32.5, 97.5, 67.5)
_CARD_BASE = Paper(white=(0.80, 0.80, 0.80), ir=0.75, uv=(0.02, 0.02, 0.03))
_TARGET_INK = Ink(white=(0.08, 0.08, 0.09), ir=0.10, uv_trans=0.3)
# room light reaching the sensor through an open lid, relative to the LEDs
_AMBIENT = 0.08


@dataclass(frozen=True)
class CharucoSpec:
    """The printed ChArUco geometry target: squares, their size, the ArUco dictionary."""

    squares: tuple[int, int] = (14, 10)
    square_mm: float = 8.0
    marker_mm: float = 6.0
    dictionary: int = cv2.aruco.DICT_4X4_100

    def board(self) -> cv2.aruco.CharucoBoard:
        """The OpenCV board object (units: mm)."""
        aruco = cv2.aruco.getPredefinedDictionary(self.dictionary)
        return cv2.aruco.CharucoBoard(self.squares, self.square_mm, self.marker_mm, aruco)


TARGET = CharucoSpec()


class _CardGrid(Grid):
    """A grid whose 'page' is the whole window: a card made to the window's size."""

    @property
    def page_size(self) -> tuple[int, int]:
        """The card fills the window."""
        return self.window_size


def _card(grid: Grid, paper: Paper) -> PageImage:
    width, height = grid.page_size
    return PageImage.blank(width, height, paper)


def _paste(card: PageImage, grid: Grid, paper: Paper, box_mm: Box) -> None:
    x0, y0, x1, y1 = grid.box(box_mm)
    mask = np.ones((y1 - y0, x1 - x0), np.float32)
    card.cover_with(paper, mask, x0, y0)


def _target(grid: Grid, spec: CharucoSpec) -> PageImage:
    """The ChArUco board printed in carbon ink, centred on a page-sized white card."""
    card = _card(grid, WHITE_CARD)
    per_mm = 16
    cols, rows = spec.squares
    size = (cols * round(spec.square_mm * per_mm), rows * round(spec.square_mm * per_mm))
    image = spec.board().generateImage(size, marginSize=0, borderBits=1)
    cover = 1.0 - np.asarray(image, np.float32) / 255.0
    width, height = grid.page_size
    scale = grid.px(1.0) / per_mm
    shift_x = (width - size[0] * scale) / 2
    shift_y = (height - size[1] * scale) / 2
    m = np.array([[scale, 0.0, shift_x + 0.5 * scale - 0.5],
                  [0.0, scale, shift_y + 0.5 * scale - 0.5]])
    placed: F32 = np.asarray(cv2.warpAffine(cover, m, (width, height), flags=cv2.INTER_AREA),
                             np.float32)
    card.ink(placed, _TARGET_INK)
    return card


def render_reference(kind: str, *, dpi: int = 200, conditions: dict[str, object] | None = None,
                     seed: int = 0, at: datetime | None = None, lid_open: bool = False,
                     ) -> Capture:
    """One reference capture (`dark`, `white`, `uv` or `target`) through the reader's optics."""
    if kind not in REFERENCE_KINDS:
        raise ValueError(f"unknown reference {kind!r}; choose one of {', '.join(REFERENCE_KINDS)}")
    overrides = dict(conditions or {})
    rng = np.random.default_rng([seed, 20, REFERENCE_KINDS.index(kind)])
    if kind != "target":  # cards are cut to the window and lie square in it
        overrides.update(rotation_deg=0.0, offset_mm=(0.0, 0.0), upside_down=False)
    overrides.setdefault("room_light", 0.0)  # calibration happens with the lid closed
    for key in ("worn", "uv_strength", "mrz_variant", "mrz_medium", "stamp_count"):
        overrides.pop(key, None)
    cond = random_conditions(np.random.default_rng([seed, 21]), dpi, True, overrides)
    if lid_open:
        cond.room_light = max(cond.room_light, 0.04)
    grid: Grid = Grid(dpi) if kind == "target" else _CardGrid(dpi)
    if kind == "target":
        card = _target(grid, TARGET)
    elif kind == "uv":
        card = _card(grid, _CARD_BASE)
        _paste(card, grid, UV_DULL, UV_DULL_BOX_MM)
        _paste(card, grid, UV_FLUORESCENT, UV_FLUORESCENT_BOX_MM)
    else:
        card = _card(grid, WHITE_CARD)
    if kind == "dark":  # lights off: only the sensor's dark offset, or room light if open
        level = -1.0 + (_AMBIENT if lid_open else 0.0)
        cond.drift = dict.fromkeys(("white", "ir", "uv"), level)
    white, ir, uv, _ = expose(card, grid, cond, rng)
    when = at or datetime.fromisoformat("2026-03-02T09:00:00+01:00")
    return Capture(white=white, ir=ir, uv=uv, dpi=dpi, captured_at=when, device=DEVICE,
                   exposure_ms=dict(EXPOSURE_MS))


def render_reference_set(*, dpi: int = 200, conditions: dict[str, object] | None = None,
                         seed: int = 0, at: datetime | None = None) -> dict[str, Capture]:
    """The four references of one calibration, captured by a reader with `conditions`."""
    return {kind: render_reference(kind, dpi=dpi, conditions=conditions, seed=seed, at=at)
            for kind in REFERENCE_KINDS}


def write_reference_set(root: Path | str, captures: dict[str, Capture]) -> Path:
    """Write references as capture folders `root/dark`, `root/white`, `root/uv`, `root/target`."""
    root = Path(root)
    for kind, capture in captures.items():
        write_capture(capture, root / kind, extra={"label.json": {"reference": kind}})
    return root


def window_box_px(box_mm: Box, shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    """A box in window mm as pixel bounds (x0, y0, x1, y1) of an image of `shape` (h, w, ...)."""
    sx, sy = shape[1] / WINDOW_W_MM, shape[0] / WINDOW_H_MM
    return (round(box_mm[0] * sx), round(box_mm[1] * sy), round(box_mm[2] * sx),
            round(box_mm[3] * sy))
