"""A page being printed: linear white (RGB), IR and UV (RGB) images, one layer after another."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from drivers.specimen.materials import Ink, Paper

F32 = NDArray[np.float32]


@dataclass
class PageImage:
    """The page under the three lights, as float32 relative values (0..1)."""

    white: F32
    ir: F32
    uv: F32

    @classmethod
    def blank(cls, width: int, height: int, paper: Paper, texture: F32 | None = None) -> PageImage:
        """A page of `paper`; `texture` (H, W) multiplies the reflectance (paper formation)."""
        tex = np.ones((height, width), np.float32) if texture is None else texture
        white = tex[..., None] * np.asarray(paper.white, np.float32)
        uv = tex[..., None] * np.asarray(paper.uv, np.float32)
        return cls(white=white.astype(np.float32), ir=(tex * np.float32(paper.ir)),
                   uv=uv.astype(np.float32))

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) in pixels."""
        return self.ir.shape[1], self.ir.shape[0]

    def _window(self, x0: int, y0: int, h: int, w: int) -> tuple[slice, slice, slice, slice]:
        width, height = self.size
        xa, ya, xb, yb = max(x0, 0), max(y0, 0), min(x0 + w, width), min(y0 + h, height)
        if xa >= xb or ya >= yb:
            return slice(0, 0), slice(0, 0), slice(0, 0), slice(0, 0)
        return (slice(ya, yb), slice(xa, xb), slice(ya - y0, yb - y0), slice(xa - x0, xb - x0))

    def ink(self, cover: F32, ink: Ink, x0: int = 0, y0: int = 0, *,
            white: F32 | None = None, ir: F32 | None = None) -> None:
        """Print `ink` with coverage `cover` (0..1) whose top-left lies at page pixel (x0, y0).

        `white` (h, w, 3) or (1, w, 3), or `ir` (h, w) override the ink's transmission per
        pixel (a photo).
        """
        h, w = cover.shape
        ps_y, ps_x, cs_y, cs_x = self._window(x0, y0, h, w)
        a = cover[cs_y, cs_x]
        if a.size == 0:
            return
        a3 = a[..., None]
        if white is not None or any(t < 1.0 for t in ink.white):
            k_white: Any = (1.0 - np.asarray(ink.white, np.float32) if white is None
                            else 1.0 - _crop(white, cs_y, cs_x))
            f = a3 * k_white
            np.subtract(1.0, f, out=f)
            self.white[ps_y, ps_x] *= f
        if ir is not None or ink.ir < 1.0:
            t_ir: Any = np.float32(ink.ir) if ir is None else ir[cs_y, cs_x]
            self.ir[ps_y, ps_x] *= 1.0 - a * (1.0 - t_ir)
        uv = self.uv[ps_y, ps_x]
        if ink.uv_trans < 1.0:
            g = a3 * np.float32(1.0 - ink.uv_trans)
            np.subtract(1.0, g, out=g)
            uv *= g
        if any(ink.uv_emit):
            uv += a3 * np.asarray(ink.uv_emit, np.float32)

    def cover_with(self, paper: Paper, mask: F32, x0: int = 0, y0: int = 0) -> None:
        """Paste `paper` over the page where `mask` is 1 (a strip or a photo print)."""
        h, w = mask.shape
        ps_y, ps_x, cs_y, cs_x = self._window(x0, y0, h, w)
        a = mask[cs_y, cs_x]
        if a.size == 0:
            return
        a3 = a[..., None]
        for arr, value in ((self.white, paper.white), (self.uv, paper.uv)):
            sub = arr[ps_y, ps_x]
            sub *= 1.0 - a3
            sub += a3 * np.asarray(value, np.float32)
        ir = self.ir[ps_y, ps_x]
        ir *= 1.0 - a
        ir += a * np.float32(paper.ir)

    def scale(self, factor: F32, x0: int = 0, y0: int = 0,
              lights: tuple[float, float, float] = (1.0, 1.0, 1.0)) -> None:
        """Multiply all lights by `factor`**strength (dirt, creases); strength per light."""
        h, w = factor.shape
        ps_y, ps_x, cs_y, cs_x = self._window(x0, y0, h, w)
        f = factor[cs_y, cs_x]
        if f.size == 0:
            return
        self.white[ps_y, ps_x] *= (1.0 - (1.0 - f) * np.float32(lights[0]))[..., None]
        self.ir[ps_y, ps_x] *= 1.0 - (1.0 - f) * np.float32(lights[1])
        self.uv[ps_y, ps_x] *= (1.0 - (1.0 - f) * np.float32(lights[2]))[..., None]


def _crop(arr: F32, ys: slice, xs: slice) -> F32:
    """A window of `arr`, which may be broadcast along rows (shape (1, w, 3))."""
    out: F32 = arr[:, xs] if arr.shape[0] == 1 else arr[ys, xs]
    return out


def smooth_noise(rng: np.random.Generator, width: int, height: int, cells: tuple[int, int],
                 ) -> F32:
    """Low-frequency noise in about -1..1 over (height, width), `cells` (cx, cy) coarse cells."""
    coarse = rng.uniform(-1.0, 1.0, (cells[1], cells[0])).astype(np.float32)
    return np.asarray(cv2.resize(coarse, (width, height), interpolation=cv2.INTER_CUBIC),
                      np.float32)
