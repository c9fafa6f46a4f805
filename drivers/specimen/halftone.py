"""Colour printer reproduction: CMYK separation, clustered-dot halftone or dither dots, toner."""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from drivers.specimen.canvas import F32, PageImage
from drivers.specimen.materials import TONERS

SCREEN_ANGLES = (15.0, 75.0, 0.0, 45.0)  # C, M, Y, K


@dataclass(frozen=True)
class Screen:
    """How a printer turns coverage into dots: laser halftone (lpi) or inkjet dither (dot px)."""

    kind: str            # "halftone" | "dither"
    lpi: float = 0.0
    dot_px: float = 0.0
    use_k: bool = True
    phase: float = 0.0

    def describe(self) -> dict[str, object]:
        """The screen as label data."""
        if self.kind == "halftone":
            return {"screen": "halftone", "lpi": round(self.lpi, 1), "k": self.use_k}
        return {"screen": "dither", "dot_px": round(self.dot_px, 2), "k": self.use_k}


def random_screen(rng: np.random.Generator, dpi: int, *, k_probability: float = 0.7) -> Screen:
    """A colour laser halftone (60-150 lpi) or inkjet dither (1.5-3 px at 400 dpi)."""
    use_k = bool(rng.random() < k_probability)
    if rng.random() < 0.6:
        return Screen("halftone", lpi=float(rng.uniform(60, 150)), use_k=use_k,
                      phase=float(rng.uniform(0, 1)))
    return Screen("dither", dot_px=float(rng.uniform(1.5, 3.0)) * dpi / 400, use_k=use_k)


def separate(reflectance: F32, use_k: bool, gcr: float | None = None) -> list[F32]:
    """C, M, Y, K coverages for a relative reflectance image (h, w, 3), with K replacing grey.

    Without `gcr` only dark greys get K (black text prints as pure K); with `gcr` that
    fraction of every grey component goes to K.
    """
    cmy = np.clip(1.0 - reflectance, 0.0, 1.0)
    if not use_k:
        return [cmy[..., i].copy() for i in range(3)] + [np.zeros(cmy.shape[:2], np.float32)]
    grey = cmy.min(axis=2)
    if gcr is None:
        k = np.clip((grey - 0.25) / 0.6, 0.0, 1.0).astype(np.float32)
    else:
        k = (grey * np.float32(gcr)).astype(np.float32)
    return [np.clip(cmy[..., i] - k, 0.0, 1.0) for i in range(3)] + [k]


def _halftone_threshold(shape: tuple[int, int], origin: tuple[int, int], period: float, *,
                        angle: float, phase: float) -> F32:
    (h, w), (x0, y0) = shape, origin
    f = np.float32(2 * math.pi / period)
    ca, sa = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    xs = np.arange(x0, x0 + w, dtype=np.float32)[None, :] + phase * period
    ys = np.arange(y0, y0 + h, dtype=np.float32)[:, None]
    # cos(u) + cos(v) with u, v the rotated coordinates, split into separable factors
    cu = np.cos(f * ca * xs) * np.cos(f * sa * ys) - np.sin(f * ca * xs) * np.sin(f * sa * ys)
    cv = np.cos(f * sa * xs) * np.cos(f * ca * ys) + np.sin(f * sa * xs) * np.sin(f * ca * ys)
    out: F32 = (0.5 - 0.25 * (cu + cv)).astype(np.float32)
    return out


def dots(cover: F32, screen: Screen, channel: int, origin: tuple[int, int], *,
         rng: np.random.Generator, dpi: int) -> F32:
    """Binary-ish dot coverage of one separation (soft only at the dot edges)."""
    h, w = cover.shape
    if screen.kind == "halftone":
        thr = _halftone_threshold((h, w), origin, dpi / screen.lpi,
                                  angle=SCREEN_ANGLES[channel], phase=screen.phase)
        out: F32 = np.clip((cover - thr) * 8.0, 0.0, 1.0)
        return out
    cells = (max(1, round(w / screen.dot_px)), max(1, round(h / screen.dot_px)))
    noise = rng.random((cells[1], cells[0]), dtype=np.float32)
    thr = np.asarray(cv2.resize(noise, (w, h), interpolation=cv2.INTER_NEAREST), np.float32)
    hard = (cover > thr).astype(np.float32)
    return np.asarray(cv2.GaussianBlur(hard, (0, 0), 0.35 * max(screen.dot_px / 2, 0.5)),
                      np.float32)


def print_toner(page: PageImage, reflectance: F32, screen: Screen, origin: tuple[int, int], *,
                rng: np.random.Generator, dpi: int, gcr: float | None = None) -> None:
    """Print an image (relative reflectance) at page pixel `origin` with C, M, Y (K) dots."""
    seps = separate(reflectance, screen.use_k, gcr)
    for channel, (cover, toner) in enumerate(zip(seps, TONERS, strict=True)):
        if not cover.any():
            continue
        dot = dots(cover, screen, channel, origin, rng=rng, dpi=dpi)
        page.ink(dot, toner, origin[0], origin[1])
