"""`image_quality`: is the capture good enough to judge? Focus, glare, page complete.

A poor capture must give "undetermined, please rescan", never a false "forged" (DOMAIN.md:
moved documents, glare from laminate, a page half off the glass).
"""

from __future__ import annotations

import math

import numpy as np

from scanner.checks.base import CheckResult, ScanContext

CHECK_ID = "image_quality"


def _blur_mm(ctx: ScanContext) -> float | None:
    """Blur (Gaussian sigma, mm) of the MRZ print or the whole page's dark print.

    A blurred step edge of contrast C has a steepest slope C / (sigma * sqrt(2 pi)).
    """
    page = ctx.page
    lum = page.luminance()
    if ctx.mrz_reading is not None:
        x, y, w, h = ctx.mrz_reading.box
        lum = lum[y:y + h, x:x + w]
    if lum.size < 400:
        return None
    import cv2  # noqa: PLC0415

    lum = np.ascontiguousarray(lum)
    gx = cv2.Sobel(lum, cv2.CV_32F, 1, 0, ksize=1, scale=0.5)  # central differences
    gy = cv2.Sobel(lum, cv2.CV_32F, 0, 1, ksize=1, scale=0.5)
    step = max(1, lum.size // 500_000)  # percentiles of a sample are as good and cheaper
    slope = float(np.percentile(cv2.magnitude(gx, gy).ravel()[::step], 99.5))
    sample = lum.ravel()[::step]
    contrast = float(np.percentile(sample, 95) - np.percentile(sample, 2))
    if slope <= 0 or contrast < 0.2:
        return None
    sigma_px = contrast / (slope * math.sqrt(2 * math.pi))
    return sigma_px * 25.4 / page.dpi


def image_quality(ctx: ScanContext) -> CheckResult:
    """Focus, glare and whether the whole page lies in the reader window."""
    page, limits = ctx.page, ctx.thresholds
    problems: list[tuple[str, str]] = []
    details: dict[str, object] = {}
    blur = _blur_mm(ctx)
    if blur is not None:
        details["blur_mm"] = round(blur, 3)
        if blur > limits.max_blur_mm:
            problems.append(("the image is blurred (document moved or not flat)",
                             "das Bild ist unscharf (Dokument bewegt oder nicht flach)"))
    # Glare from laminate: saturated spots brighter than the paper around them. A broad area
    # at full scale (a bright LED, white office paper) is exposure, not a reflection.
    import cv2  # noqa: PLC0415

    white, _, _ = page.small(100.0)
    bright = white.max(axis=2)
    window = round(25 * 100.0 / 25.4) | 1  # 25 mm
    around = cv2.blur(bright, (window, window))
    saturated = float(((bright >= 0.99) & (around < 0.95)).mean())
    details["glare"] = round(saturated, 4)
    if saturated > limits.max_glare:
        problems.append(("glare on the page (laminate reflection)",
                         "Spiegelung auf der Seite (Laminat)"))
    # A page edge along the window edge may run over it; with a known model, the page's size
    # tells whether any of it is missing.
    cut = page.touches_edge
    if cut and ctx.model is not None:
        width, height = page.size_mm
        cut = abs(width - ctx.model.size_mm[0]) > 2.0 or abs(height - ctx.model.size_mm[1]) > 2.0
    details["page_cut"] = cut
    if cut:
        problems.append(("the page is not completely on the glass",
                         "die Seite liegt nicht vollständig auf dem Glas"))
    # Blur and a cut page spoil every measure: no verdict can rest on such a capture. Glare
    # spoils only the white light where it lies (and a pasted office-paper strip can look
    # like it), so it asks for review without overruling failed checks.
    details["unjudgeable"] = bool(cut or (blur is not None and blur > limits.max_blur_mm))
    if problems:
        return CheckResult(CHECK_ID, "undetermined",
                           "; ".join(p[0] for p in problems) + ": please rescan",
                           "; ".join(p[1] for p in problems) + ": bitte erneut scannen",
                           0.0, "white", None, details)
    return CheckResult(CHECK_ID, "passed", "sharp, no glare, page complete",
                       "scharf, ohne Spiegelung, Seite vollständig", 1.0, "white", None, details)
