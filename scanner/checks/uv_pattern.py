"""`uv_pattern`: the issuer's UV-only features are present, in place and yellow-green.

For every model region expected to glow yellow-green under UV (the emblem, the overprint over
the photo), the glow inside the region is compared with the paper just around it, its centre
of mass with the region's centre, and its colour with yellow-green.
"""

from __future__ import annotations

import numpy as np

from scanner.checks.base import CheckResult, ScanContext
from scanner.checks.measures import WORK_DPI, region_mask, yellow_green_glow

CHECK_ID = "uv_pattern"
_NAMES = {"uv_emblem": ("UV emblem", "UV-Emblem"), "uv_overprint": ("UV overprint",
                                                                    "UV-Überdruck")}
_RING_MM = 4.0
_SEARCH_MM = 8.0


def uv_pattern(ctx: ScanContext) -> CheckResult:
    """Each yellow-green UV feature of the model: present, in place, right colour."""
    model = ctx.model
    features = {name: region for name, region in (model.regions.items() if model else ())
                if region.uv == "yellow_green"}
    if not features:
        return CheckResult(CHECK_ID, "not_performed", "no UV features known for this document",
                           "für dieses Dokument sind keine UV-Merkmale bekannt", light="uv")
    page = ctx.page
    _, _, uv = page.small(WORK_DPI)
    glow = yellow_green_glow(uv)
    any_light = uv.max(axis=2)
    s = WORK_DPI / 25.4
    limits = ctx.thresholds
    measured: dict[str, dict[str, float]] = {}
    problems: list[tuple[str, str, str]] = []  # (region name, English, German)
    for name, region in features.items():
        inside = region_mask(glow.shape, region)
        ring = region_mask(glow.shape, region, grow_mm=_RING_MM) & ~inside
        if inside.sum() < 20 or ring.sum() < 20:
            continue
        level = float(np.percentile(glow[inside], 95) - np.percentile(glow[ring], 95))
        emission = float(np.percentile(any_light[inside], 95)
                         - np.percentile(any_light[ring], 95))
        search = region_mask(glow.shape, region, grow_mm=_SEARCH_MM)
        weights = np.where(search & (glow > limits.uv_glow_min), glow, 0.0)
        yy, xx = np.nonzero(weights)
        x0, y0, w, h = region.bounds  # only an emblem's centre is checked: an overprint may
        # be partly covered by a pasted photo, which photo_integrity reports
        offset = 0.0
        if yy.size:
            cx = float(np.average(xx, weights=weights[yy, xx])) / s
            cy = float(np.average(yy, weights=weights[yy, xx])) / s
            offset = float(np.hypot(cx - (x0 + w / 2), cy - (y0 + h / 2)))
        measured[name] = {"glow": round(level, 3), "emission": round(emission, 3),
                          "offset_mm": round(offset, 1)}
        en, de = _NAMES.get(name, (name, name))
        if level < limits.uv_glow_min:
            if emission >= limits.uv_glow_min:
                problems.append((name, f"{en} glows in the wrong colour",
                                 f"{de} leuchtet in falscher Farbe"))
            else:
                problems.append((name, f"{en} is missing under UV",
                                 f"{de} fehlt unter UV"))
        elif region.circle is not None and offset > limits.uv_feature_max_offset_mm:
            problems.append((name, f"{en} is {offset:.0f} mm out of place",
                             f"{de} sitzt {offset:.0f} mm neben seinem Platz"))
    details = {"features": measured, "limit": limits.uv_glow_min}
    if not measured:
        return CheckResult(CHECK_ID, "undetermined", "UV features lie outside the image",
                           "UV-Merkmale liegen außerhalb des Bildes", light="uv")
    if problems:
        worst = features[problems[0][0]]
        region_px = page.region_in_capture(page.mm_box(*worst.bounds))
        return CheckResult(CHECK_ID, "failed", "; ".join(p[1] for p in problems),
                           "; ".join(p[2] for p in problems),
                           min(m["glow"] for m in measured.values()), "uv", region_px, details)
    return CheckResult(CHECK_ID, "passed", "UV emblem and overprint present and in place",
                       "UV-Emblem und Überdruck vorhanden und am Platz",
                       min(m["glow"] for m in measured.values()), "uv", None, details)
