"""The light model of SPECIMENS.md: how each material looks under white, IR and UV light.

Inks are filters over what lies beneath (multiplicative transmission per light) plus a UV
emission of their own; papers set the base values. Values are relative to a calibrated white.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

RGB = tuple[float, float, float]


@dataclass(frozen=True)
class Ink:
    """An ink or toner: transmission in white (RGB) and IR, UV transmission, UV emission."""

    white: RGB
    ir: float
    uv_trans: float = 0.9
    uv_emit: RGB = (0.0, 0.0, 0.0)


@dataclass(frozen=True)
class Paper:
    """A paper: reflectance in white (RGB) and IR, emission under UV (RGB)."""

    white: RGB
    ir: float
    uv: RGB


def _u(rng: np.random.Generator, low: float, high: float) -> float:
    return float(rng.uniform(low, high))


def security_paper(rng: np.random.Generator) -> Paper:
    """UTO security paper: near white, IR 0.80-0.92, UV dull (<= 0.10) and slightly violet."""
    base = _u(rng, 0.88, 0.95)
    tint = (_u(rng, -0.015, 0.01), _u(rng, -0.015, 0.01), _u(rng, -0.02, 0.01))
    dull = _u(rng, 0.035, 0.065)
    return Paper(white=(base + tint[0], base + tint[1], base + tint[2]),
                 ir=_u(rng, 0.82, 0.90),
                 uv=(dull * _u(rng, 0.75, 0.95), dull * _u(rng, 0.55, 0.75), dull * 1.3))


def office_paper(rng: np.random.Generator) -> Paper:
    """Office, copy or photo paper with optical brighteners: UV bright blue-white."""
    base = _u(rng, 0.92, 0.97)
    blue = _u(rng, 0.58, 0.85)
    return Paper(white=(base - 0.01, base, min(base + 0.015, 0.99)), ir=_u(rng, 0.86, 0.94),
                 uv=(blue * _u(rng, 0.50, 0.65), blue * _u(rng, 0.65, 0.8), blue))


def b900_black(rng: np.random.Generator) -> Ink:
    """Personal data and MRZ ink: black in white light and in IR (carbon)."""
    t = _u(rng, 0.06, 0.12)
    return Ink(white=(t, t, t * 1.05), ir=_u(rng, 0.08, 0.18), uv_trans=0.25)


def dye_inkjet_black(rng: np.random.Generator) -> Ink:
    """Dye inkjet black (forgery): black in white light, transparent in IR."""
    t = _u(rng, 0.08, 0.14)
    return Ink(white=(t, t * 1.05, t * 1.1), ir=_u(rng, 0.88, 0.97), uv_trans=0.4)


TONER_C = Ink(white=(0.20, 0.78, 0.93), ir=0.98, uv_trans=0.55)
TONER_M = Ink(white=(0.90, 0.26, 0.68), ir=0.98, uv_trans=0.55)
TONER_Y = Ink(white=(0.96, 0.92, 0.16), ir=0.98, uv_trans=0.6)
TONER_K = Ink(white=(0.07, 0.07, 0.08), ir=0.10, uv_trans=0.15)
TONERS = (TONER_C, TONER_M, TONER_Y, TONER_K)


def offset_ink(rng: np.random.Generator, *, light: float, high: float,
               uv_trans: float = 1.0) -> Ink:
    """An offset colour (guilloche, labels): IR-transparent, no UV emission."""
    hue = rng.uniform(0.0, 1.0, 3)
    hue = hue / max(float(hue.max()), 1e-6)
    strength = _u(rng, light, high)
    white = tuple(float(1.0 - strength * (0.35 + 0.65 * h)) for h in hue)
    return Ink(white=(white[0], white[1], white[2]), ir=1.0, uv_trans=uv_trans)


UV_YELLOW_GREEN_HUE: RGB = (0.78, 1.0, 0.22)


def uv_emblem_ink(strength: float, rng: np.random.Generator) -> Ink:
    """UV-only yellow-green ink: invisible in white and IR, peak emission = strength."""
    hue = (_u(rng, 0.70, 0.85), 1.0, _u(rng, 0.15, 0.3))
    return Ink(white=(1.0, 1.0, 1.0), ir=1.0, uv_trans=0.0,
               uv_emit=(strength * hue[0], strength, strength * hue[2]))


STAMP_COLOURS: dict[str, RGB] = {
    "violet": (0.55, 0.36, 0.78), "blue": (0.30, 0.45, 0.85), "red": (0.86, 0.28, 0.32)}


def stamp_ink(rng: np.random.Generator, kind: str, colour: str) -> Ink:
    """Stamp ink: official security dye (weak orange UV) or ordinary stamp-pad ink (no UV)."""
    base = STAMP_COLOURS[colour]
    white = tuple(float(np.clip(c + rng.uniform(-0.05, 0.05), 0.1, 0.95)) for c in base)
    emit: RGB = (0.0, 0.0, 0.0)
    if kind == "official":
        strength = _u(rng, 0.15, 0.4)
        emit = (strength, strength * _u(rng, 0.45, 0.6), strength * _u(rng, 0.05, 0.15))
    return Ink(white=(white[0], white[1], white[2]), ir=_u(rng, 0.95, 1.0),
               uv_trans=_u(rng, 0.5, 0.7), uv_emit=emit)


FIBRE_HUES: tuple[RGB, ...] = ((1.0, 0.18, 0.22), (0.22, 0.38, 1.0), (0.35, 1.0, 0.38))
