"""The reader: capture conditions, placing the page in the window, lights, optics and sensor.

Order of effects: page image -> placed in the window (rotation, flip, offset) -> lights
(vignetting, LED drift, room light into UV) -> optics blur -> sensor noise -> quantisation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from statistics import NormalDist

import cv2
import numpy as np
from numpy.typing import NDArray

from drivers.specimen import layout
from drivers.specimen.canvas import F32, PageImage, smooth_noise
from drivers.specimen.layout import Grid

U8 = NDArray[np.uint8]


@dataclass
class Conditions:
    """Random capture conditions of one specimen (all recorded in the label)."""

    rotation_deg: float
    upside_down: bool
    offset_mm: tuple[float, float]     # page centre minus window centre
    worn: bool
    uv_strength: float                 # UV emblem/overprint strength before capture effects
    drift: dict[str, float]            # relative LED intensity change per light
    vignetting: float                  # fall-off at the window corners (0..0.25)
    room_light: float                  # fraction of the white image leaking into UV
    blur_px: float                     # Gaussian sigma of the optics, in capture pixels
    noise: float                       # sensor noise sigma (relative) at mid grey
    extra: dict[str, object] = field(default_factory=dict)

    def label(self, dpi: int) -> dict[str, object]:
        """The `conditions` object of label.json."""
        return {"rotation_deg": round(self.rotation_deg, 3), "upside_down": self.upside_down,
                "offset_mm": [round(v, 2) for v in self.offset_mm], "dpi": dpi,
                "worn": self.worn, "uv_strength": round(self.uv_strength, 3),
                "drift": {k: round(v, 3) for k, v in self.drift.items()},
                "vignetting": round(self.vignetting, 3), "room_light": round(self.room_light, 4),
                "blur_px": round(self.blur_px, 3), "noise": round(self.noise, 4)}


def max_offset_mm(rotation_deg: float) -> tuple[float, float]:
    """How far the page centre may move from the window centre with the page fully inside."""
    t = math.radians(abs(rotation_deg))
    half_w = (layout.PAGE_W_MM * math.cos(t) + layout.PAGE_H_MM * math.sin(t)) / 2
    half_h = (layout.PAGE_W_MM * math.sin(t) + layout.PAGE_H_MM * math.cos(t)) / 2
    return (max(layout.WINDOW_W_MM / 2 - half_w, 0.0), max(layout.WINDOW_H_MM / 2 - half_h, 0.0))


def random_conditions(rng: np.random.Generator, dpi: int, genuine: bool,
                      overrides: dict[str, object]) -> Conditions:
    """Draw every condition (always in the same order, so overrides change nothing else)."""
    rotation = float(rng.uniform(-layout.MAX_ROTATION_DEG, layout.MAX_ROTATION_DEG))
    upside_down = bool(rng.random() < 0.35)
    fx, fy = rng.uniform(-1, 1, 2)
    worn = bool(genuine and rng.random() < 0.3)
    strength_worn, strength_new = rng.uniform(0.4, 0.6), rng.uniform(0.5, 1.0)
    drift = {"white": float(rng.uniform(-0.1, 0.1)), "ir": float(rng.uniform(-0.12, 0.12)),
             "uv": float(-0.15 + 0.3 * rng.beta(1.6, 2.6))}
    vignetting = float(rng.uniform(0.0, 0.25))
    room = float(rng.uniform(0.005, 0.04)) if rng.random() < 0.3 else 0.0
    blur = float(rng.uniform(0.35, 1.0)) * dpi / 400
    noise = float(rng.uniform(0.003, 0.012))
    known = {f.name for f in fields(Conditions)} - {"extra"}
    extra_keys = {"mrz_variant", "mrz_medium", "stamp_count", "device_seed", "dark_offset"}
    unknown = set(overrides) - known - extra_keys
    if unknown:
        raise ValueError(f"unknown condition(s) {sorted(unknown)}; known: "
                         f"{sorted(known | extra_keys)}")
    rotation = float(overrides.get("rotation_deg", rotation))  # type: ignore[arg-type]
    if abs(rotation) > layout.MAX_ROTATION_DEG:
        raise ValueError(f"rotation_deg must be within +-{layout.MAX_ROTATION_DEG}, got {rotation}")
    worn = bool(overrides.get("worn", worn))
    limit = max_offset_mm(rotation)
    offset = (float(fx) * limit[0], float(fy) * limit[1])
    if "offset_mm" in overrides:
        ox, oy = (float(v) for v in overrides["offset_mm"])  # type: ignore[attr-defined]
        offset = (float(np.clip(ox, -limit[0], limit[0])), float(np.clip(oy, -limit[1], limit[1])))
    drift_override = overrides.get("drift")
    if isinstance(drift_override, dict):
        drift.update({str(k): float(v) for k, v in drift_override.items()})
    return Conditions(
        rotation_deg=rotation, upside_down=bool(overrides.get("upside_down", upside_down)),
        offset_mm=offset, worn=worn,
        uv_strength=float(overrides.get("uv_strength",  # type: ignore[arg-type]
                                        strength_worn if worn else strength_new)),
        drift=drift,
        vignetting=float(overrides.get("vignetting", vignetting)),  # type: ignore[arg-type]
        room_light=float(overrides.get("room_light", room)),  # type: ignore[arg-type]
        blur_px=float(overrides.get("blur_px", blur)),  # type: ignore[arg-type]
        noise=float(overrides.get("noise", noise)),  # type: ignore[arg-type]
        extra={k: overrides[k] for k in extra_keys if k in overrides})


def page_transform(grid: Grid, cond: Conditions) -> NDArray[np.float64]:
    """2x3 affine from continuous page coordinates to continuous capture coordinates."""
    pw, ph = grid.page_size
    ww, wh = grid.window_size
    angle = math.radians(cond.rotation_deg + (180.0 if cond.upside_down else 0.0))
    c, s = math.cos(angle), math.sin(angle)
    rot = np.array([[c, s], [-s, c]])  # positive angle: counter-clockwise on screen (y down)
    centre = np.array([ww / 2 + grid.px(cond.offset_mm[0]), wh / 2 + grid.px(cond.offset_mm[1])])
    shift = centre - rot @ np.array([pw / 2, ph / 2])
    return np.hstack([rot, shift[:, None]])


def to_capture(matrix: NDArray[np.float64], points: list[tuple[float, float]],
               ) -> list[list[float]]:
    """Page points (continuous px) to capture points."""
    pts = np.asarray(points, np.float64)
    out = pts @ matrix[:, :2].T + matrix[:, 2]
    return [[round(float(x), 2), round(float(y), 2)] for x, y in out]


def _place(page: PageImage, matrix: NDArray[np.float64], size: tuple[int, int]) -> F32:
    """Warp the page's 7 channels plus coverage into the window (premultiplied)."""
    stack = np.concatenate([page.white, page.ir[..., None], page.uv,
                            np.ones_like(page.ir)[..., None]], axis=2)
    # cv2 samples at pixel centres (integers); our coordinates put centres at +0.5
    m = matrix.copy()
    m[:, 2] += m[:, :2] @ np.array([0.5, 0.5]) - 0.5
    return np.asarray(cv2.warpAffine(stack, m, size, flags=cv2.INTER_LINEAR,
                                     borderMode=cv2.BORDER_CONSTANT, borderValue=0), np.float32)


def _gauss_table() -> F32:
    nd = NormalDist()
    return np.array([nd.inv_cdf((i + 0.5) / 256) for i in range(256)], np.float32)


_GAUSS = _gauss_table()


def _dark_offsets(value: object) -> tuple[float, float, float] | None:
    """The `dark_offset` condition (one number, or {"white", "ir", "uv"}) per light."""
    if value is None:
        return None
    if isinstance(value, dict):
        return (float(value.get("white", 0.0)), float(value.get("ir", 0.0)),
                float(value.get("uv", 0.0)))
    level = float(value)  # type: ignore[arg-type]
    return (level, level, level)


def expose(page: PageImage, grid: Grid, cond: Conditions, rng: np.random.Generator,
           ) -> tuple[U8, U8, U8, NDArray[np.float64]]:
    """Simulate the reader: returns white (RGB), IR (grey), UV (RGB) uint8 and the transform."""
    width, height = grid.window_size
    matrix = page_transform(grid, cond)
    planes = list(cv2.split(_place(page, matrix, (width, height))))
    # the closed lid: dark, slightly uneven, 0.03-0.12 in every light
    lid = (0.065 + 0.02 * rng.random()
           + 0.012 * smooth_noise(rng, width, height, (6, 5))).astype(np.float32)
    lid_light = np.array([1.0, 1.0, 1.0, rng.uniform(0.9, 1.3), 0.75, 0.6, 1.1],
                         np.float32) * rng.uniform(0.9, 1.1, 7).astype(np.float32)
    behind = (1.0 - planes[7]) * lid
    # lights: vignetting of similar shape per light, LED drift, room light into UV
    xs = (np.arange(width, dtype=np.float32) + 0.5) / width * 2 - 1
    ys = (np.arange(height, dtype=np.float32) + 0.5) / height * 2 - 1
    gains = []
    device = cond.extra.get("device_seed")  # one reader's fixed vignetting shape, per light
    for i, light in enumerate(("white", "ir", "uv")):
        vx, vy = rng.uniform(-0.15, 0.15, 2)
        spread = rng.uniform(0.85, 1.15)
        if device is not None:  # drawn after the page's draws, so the stream stays the same
            vx, vy, spread = np.random.default_rng([int(str(device)), 7, i]).uniform(
                (-0.15, -0.15, 0.85), (0.15, 0.15, 1.15))
        v = min(cond.vignetting * spread, 0.25)
        r2 = ((xs[None, :] - vx) ** 2 + (ys[:, None] - vy) ** 2) / ((1 + abs(vx)) ** 2
                                                                    + (1 + abs(vy)) ** 2)
        gains.append(((1.0 - v * r2) * (1.0 + cond.drift[light])).astype(np.float32))
    light_of = (0, 0, 0, 1, 2, 2, 2)
    scene = [cv2.scaleAdd(behind, float(lid_light[c]), planes[c]) for c in range(7)]
    for c in range(7):
        lit = scene[c] * gains[light_of[c]]
        if c >= 4 and cond.room_light > 0:
            lit = cv2.scaleAdd(scene[c - 4], float(cond.room_light), lit)
        scene[c] = lit
    # optics, then the sensor: shot + read noise; the UV image is dimmer, so noisier
    k = 2 * math.ceil(3 * cond.blur_px * 1.15) + 1
    noise_gain = (1.0, 1.0, 1.0, 1.1, 1.5, 1.5, 1.5)
    dark = _dark_offsets(cond.extra.get("dark_offset"))
    out = []
    for c in range(7):
        p = scene[c]
        if cond.blur_px > 0:
            p = cv2.GaussianBlur(p, (k, k), cond.blur_px * (1.1 if c >= 3 else 1.0))
        if dark is not None:  # the sensor's dark offset (black level), before its noise
            p = p + np.float32(dark[light_of[c]])
        sigma = np.sqrt(np.maximum(p, -0.3) + 0.3) * np.float32(cond.noise * noise_gain[c])
        idx = rng.integers(0, 256, p.shape, dtype=np.uint8)
        p = p + _GAUSS[idx] * sigma
        out.append(np.asarray(cv2.convertScaleAbs(np.maximum(p, 0.0), alpha=255.0), np.uint8))
    white = np.asarray(cv2.merge(out[0:3]), np.uint8)
    uv = np.asarray(cv2.merge(out[4:7]), np.uint8)
    return white, out[3], uv, matrix
