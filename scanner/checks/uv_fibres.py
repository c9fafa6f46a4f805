"""`uv_fibres`: security paper carries fibres that glow red, blue or green under UV only.

Fibres are thin strands (2-8 mm) of one strong colour under UV, invisible in white light. A
strand is found as a thin, elongated spot where one UV channel stands out from the others
and from its surroundings; a strand that also shows in white light, darker than the page
right around it (a printed imitation), is not counted. A fibre lying under tint, guilloche
or text is in the paper and counts. On paper that itself glows under UV, fibres cannot be
told from it: undetermined.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from scanner.checks.base import CheckResult, ScanContext
from scanner.checks.measures import region_mask
from scanner.checks.uv_substrate import substrate_levels

CHECK_ID = "uv_fibres"
_DPI = 200.0
_MIN_LENGTH_MM, _MAX_LENGTH_MM = 1.5, 10.0
_SHOWS_IN_WHITE = 0.9  # a strand this much darker than around it is printed (a fibre: ~0.97)


def _strands(uv: NDArray[np.float32], exclude: NDArray[np.bool_], min_glow: float) \
        -> list[tuple[NDArray[np.int64], NDArray[np.int64]]]:
    """Pixel coordinates of each thin, elongated, single-colour UV strand."""
    import cv2  # noqa: PLC0415

    s = _DPI / 25.4
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (round(1.2 * s) | 1,) * 2)
    strands = []
    for c in range(3):
        others = np.maximum(uv[..., (c + 1) % 3], uv[..., (c + 2) % 3])
        chroma = np.clip(uv[..., c] - others, 0, None).astype(np.float32)
        tophat = cv2.morphologyEx(chroma, cv2.MORPH_TOPHAT, kernel)
        mask = ((tophat > min_glow) & ~exclude).astype(np.uint8)
        count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        for i in range(1, count):
            w, h, area = stats[i, 2], stats[i, 3], stats[i, 4]
            length = np.hypot(w, h) / s
            if not _MIN_LENGTH_MM <= length <= _MAX_LENGTH_MM or area > 0.6 * length * s * s:
                continue
            x, y = stats[i, 0], stats[i, 1]
            ys, xs = np.nonzero(labels[y:y + h, x:x + w] == i)
            strands.append((ys + y, xs + x))
    return strands


def _shows_in_white(lum: NDArray[np.float32], ys: NDArray[np.int64],
                    xs: NDArray[np.int64]) -> bool:
    """Whether a strand is darker in white light than the page right around it (0.1-0.4 mm):
    printed, where a fibre in the paper is invisible or faint on paper, tint and print alike."""
    import cv2  # noqa: PLC0415

    y0, y1 = max(0, int(ys.min()) - 3), min(lum.shape[0], int(ys.max()) + 4)
    x0, x1 = max(0, int(xs.min()) - 3), min(lum.shape[1], int(xs.max()) + 4)
    strand = np.zeros((y1 - y0, x1 - x0), np.uint8)
    strand[ys - y0, xs - x0] = 1
    ring = cv2.dilate(strand, np.ones((7, 7), np.uint8)) > cv2.dilate(strand, np.ones((3, 3),
                                                                                     np.uint8))
    around = lum[y0:y1, x0:x1][ring]
    return around.size > 0 and \
        float(np.median(lum[ys, xs])) < _SHOWS_IN_WHITE * float(np.median(around))


def uv_fibres(ctx: ScanContext) -> CheckResult:
    """Count the UV fibres and make sure they do not show in white light."""
    model = ctx.model
    if model is None or model.fibres is None:
        return CheckResult(CHECK_ID, "not_performed", "this document model has no UV fibres",
                           "dieses Dokumentmodell hat keine UV-Fasern", light="uv")
    page, limits = ctx.page, ctx.thresholds
    levels, _ = substrate_levels(ctx)
    if levels.get("page", 0.0) > limits.uv_substrate_max:
        return CheckResult(CHECK_ID, "undetermined", "the paper itself glows under UV: fibres "
                           "cannot be told apart", "das Papier selbst leuchtet unter UV: Fasern "
                           "nicht unterscheidbar", light="uv")
    white, _, uv = page.small(_DPI)
    exclude = np.zeros(uv.shape[:2], bool)
    for region in model.regions.values():
        if region.uv == "yellow_green":
            exclude |= region_mask(uv.shape, region, dpi=_DPI, grow_mm=1.0)
    border = round(1.5 * _DPI / 25.4)
    exclude[:border], exclude[-border:], exclude[:, :border], exclude[:, -border:] = (True,) * 4
    strands = _strands(uv, exclude, limits.fibre_min_glow)
    lum = white.mean(axis=2)
    visible = sum(1 for ys, xs in strands if _shows_in_white(lum, ys, xs))
    found = len(strands) - visible
    # fibres hide under dark print and are not searched in the UV-only print and at the
    # edges: half the issuer's minimum for the part of the page searched is enough
    need = max(3, round(model.fibres.min * (1.0 - float(exclude.mean())) / 2))
    details = {"fibres": found, "visible_in_white": visible, "expected_min": model.fibres.min,
               "needed": need}
    if found >= need:
        return CheckResult(CHECK_ID, "passed", f"{found} UV fibres in the paper",
                           f"{found} UV-Fasern im Papier", 1.0, "uv", None, details)
    if found == 0:
        return CheckResult(CHECK_ID, "failed", "no UV fibres: not the issuer's security paper",
                           "keine UV-Fasern: nicht das Sicherheitspapier des Ausstellers",
                           0.0, "uv", None, details)
    return CheckResult(CHECK_ID, "undetermined", f"only {found} UV fibres found, {need} needed",
                       f"nur {found} UV-Fasern gefunden, {need} nötig", found / need, "uv",
                       None, details)
