"""`uv_dull_substrate`: the paper must stay dark under UV, zone by zone.

Security paper has no optical brighteners; office, copy and photo paper glow blue-white.
ICAO 9303 Part 2 and BSI TR-03135 make this check mandatory for every document. Zones: the
MRZ (a pasted strip), the photo (a pasted print) and the blank paper of the rest of the page
(a copy on office paper). The measure is the blue UV emission of paper pixels: those not
covered by dark print in white light, and not lit by a UV feature. Brighteners glow blue-white
(blue the strongest channel); the issuer's UV inks glow yellow-green, orange or red, so pixels
where another channel outshines blue belong to a feature, not to the paper.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from scanner.checks.base import CheckResult, ScanContext
from scanner.checks.measures import WORK_DPI
from scanner.page import Box

CHECK_ID = "uv_dull_substrate"
_ZONE_NAMES = {"mrz": ("MRZ zone", "MRZ-Bereich"), "photo": ("photo", "Lichtbild"),
               "page": ("blank paper", "unbedrucktes Papier")}
_FEATURE_MARGIN = 0.02  # a channel this much above blue marks a UV feature, not paper


def _paper_level(white: NDArray[np.float32], blue: NDArray[np.float32],
                 mask: NDArray[np.bool_], *, paper_only: bool) -> float | None:
    """The 75th percentile of blue UV emission over the paper pixels under `mask`."""
    mask = mask & ~np.isnan(blue)
    if paper_only:
        lum = white[mask]
        if lum.size == 0:
            return None
        mask = mask & (white > 0.7 * float(np.percentile(lum, 95)))
    values = blue[mask]
    if values.size < 50:
        return None
    return float(np.percentile(values, 75))


def substrate_levels(ctx: ScanContext) -> tuple[dict[str, float], dict[str, Box]]:
    """Blue UV level of the paper per zone ("page", "mrz", "photo") and the zones' boxes.

    Computed once per scan and shared with `photo_integrity`.
    """
    if "substrate_levels" in ctx.cache:
        return ctx.cache["substrate_levels"]  # type: ignore[no-any-return]
    page = ctx.page
    f = WORK_DPI / page.dpi
    white_rgb, _, uv = page.small(WORK_DPI)
    white = white_rgb.mean(axis=2)
    blue = uv[..., 2].copy()
    blue[np.maximum(uv[..., 0], uv[..., 1]) > blue + _FEATURE_MARGIN] = np.nan  # UV features

    zones: dict[str, Box] = {}
    if ctx.mrz_reading is not None:
        zones["mrz"] = ctx.mrz_reading.box
    for name in ("mrz", "photo"):
        region = ctx.model.region(name) if ctx.model is not None else None
        if region is not None and name not in zones:
            zones[name] = page.mm_box(*region.bounds)

    def small(box: Box) -> tuple[slice, slice]:
        x, y, w, h = (round(v * f) for v in box)
        return slice(y, y + max(h, 1)), slice(x, x + max(w, 1))

    rest = np.ones(white.shape, bool)
    border = max(1, round(2 * WORK_DPI / 25.4))  # 2 mm away from the cut edges
    rest[:border], rest[-border:], rest[:, :border], rest[:, -border:] = (False,) * 4
    levels: dict[str, float] = {}
    for name, box in zones.items():
        mask = np.zeros(white.shape, bool)
        mask[small(box)] = True
        rest &= ~mask
        level = _paper_level(white, blue, mask, paper_only=name != "photo")
        if level is not None:
            levels[name] = level
    page_level = _paper_level(white, blue, rest, paper_only=True)
    if page_level is not None:
        levels = {"page": page_level, **levels}
    ctx.cache["substrate_levels"] = (levels, zones)
    return levels, zones


def uv_dull_substrate(ctx: ScanContext) -> CheckResult:
    """Paper emission under UV in the MRZ zone, the photo and the rest of the page."""
    page = ctx.page
    height, width = page.ir.shape
    levels, zones = substrate_levels(ctx)
    if "page" not in levels:
        return CheckResult(CHECK_ID, "undetermined", "too little blank paper to measure",
                           "zu wenig unbedrucktes Papier zum Messen", light="uv")
    page_level = levels["page"]
    limits = ctx.thresholds
    details = {"levels": {k: round(v, 3) for k, v in levels.items()},
               "limit": limits.uv_substrate_max}

    def region(name: str) -> list[int]:
        box = zones.get(name, (0, 0, width, height))
        return page.region_in_capture(box)

    # the blank paper first (a copy on office paper glows all over), then the zones
    for name, level in sorted(levels.items(), key=lambda kv: (kv[0] != "page", -kv[1])):
        en, de = _ZONE_NAMES[name]
        if level > limits.uv_substrate_max:
            return CheckResult(
                CHECK_ID, "failed",
                f"{en} glows under UV ({level:.2f}, security paper stays below "
                f"{limits.uv_substrate_max:.2f}): office, copy or photo paper",
                f"{de} leuchtet unter UV ({level:.2f}, Sicherheitspapier bleibt unter "
                f"{limits.uv_substrate_max:.2f}): Büro-, Kopier- oder Fotopapier",
                level, "uv", region(name), details)
        if name != "page" and level > limits.uv_patch_ratio * page_level \
                and level - page_level > limits.uv_patch_min_step:
            return CheckResult(
                CHECK_ID, "failed",
                f"{en} glows brighter under UV than the rest of the page ({level:.2f} vs "
                f"{page_level:.2f}): a pasted patch",
                f"{de} leuchtet unter UV heller als der Rest der Seite ({level:.2f} statt "
                f"{page_level:.2f}): aufgeklebtes Stück",
                level, "uv", region(name), details)
    worst = max(levels.values())
    return CheckResult(CHECK_ID, "passed",
                       f"paper stays dull under UV in every zone ({worst:.2f} at most)",
                       f"Papier bleibt unter UV in allen Bereichen matt (höchstens {worst:.2f})",
                       worst, "uv", None, details)
