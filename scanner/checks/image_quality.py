"""`image_quality`: is the capture good enough to judge? Focus, glare, page complete, room
light in UV.

A poor capture must give "undetermined, please rescan", never a false "forged" (DOMAIN.md:
moved documents, glare from laminate, a page half off the glass).
"""

from __future__ import annotations

import math

import numpy as np

from scanner.checks.base import CheckResult, ScanContext
from scanner.page import FloatImage, Page

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
    low, high = np.percentile(lum.ravel()[::step], [2, 95])  # one partition for both
    contrast = float(high - low)
    if slope <= 0 or contrast < 0.2:
        return None
    sigma_px = contrast / (slope * math.sqrt(2 * math.pi))
    return sigma_px * 25.4 / page.dpi


def room_light(page: Page) -> float | None:
    """How much of the white image leaks into the UV image (room light through an open lid).

    A leak adds k x white to the UV image, so the fine structure of the white image (print
    edges) shows in UV with the white image's colours. Ink that only absorbs UV dims the
    paper's own dull emission instead, which has the paper's UV colour: the part of both
    fine structures across that colour cannot come from absorption, and its slope is k.
    Pixels with an emission of their own (emblem, fibres, official stamp ink) are outliers
    of that line and are dropped by a few rounds of trimmed least squares.
    """
    import cv2  # noqa: PLC0415

    white, _, uv = page.small(100.0)

    def fine(image: FloatImage) -> FloatImage:
        out: FloatImage = image - cv2.GaussianBlur(image, (0, 0), 1.5)
        return out

    # every other pixel of the 100 dpi detail is sample enough (and four times cheaper)
    fine_white, fine_uv = fine(white)[::2, ::2], fine(uv)[::2, ::2]
    uv = uv[::2, ::2]
    glow = fine_uv.max(axis=2) > 0.02
    colour = np.median(uv.reshape(-1, 3), axis=0)
    if float(np.linalg.norm(colour)) < 1e-4:
        return None
    colour = colour / np.linalg.norm(colour)
    across = np.eye(3, dtype=np.float32) - np.outer(colour, colour).astype(np.float32)
    w = fine_white[~glow] @ across
    u = fine_uv[~glow] @ across
    edges = (w * w).sum(axis=1) > 1e-4
    w, u = w[edges], u[edges]
    if len(w) < 500:
        return None
    k = 0.0
    for _ in range(4):
        residual = np.linalg.norm(u - k * w, axis=1)
        keep = residual <= 3 * np.median(residual)
        k = float((u[keep] * w[keep]).sum() / max(float((w[keep] ** 2).sum()), 1e-9))
    return k


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
    # at full scale (a bright LED, white office paper) is exposure, not a reflection. A
    # reflection is the lamp's own white, so it saturates every colour channel; a lamp
    # brighter within its drift limits saturates only the brightest channel of tinted
    # paper and print, whose colour it keeps.
    import cv2  # noqa: PLC0415

    white, _, _ = page.small(100.0)
    bright = white.max(axis=2)
    window = round(25 * 100.0 / 25.4) | 1  # 25 mm
    around = cv2.blur(bright, (window, window))
    saturated = float(((white.min(axis=2) >= 0.99) & (around < 0.95)).mean())
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
    leak = room_light(page)
    details["room_light"] = None if leak is None else round(leak, 4)
    lid_open = leak is not None and leak > limits.max_room_light
    if lid_open:
        problems.append(("room light in the UV image (lid open or room too bright): close the "
                         "lid", "Raumlicht im UV-Bild (Deckel offen oder Raum zu hell): Deckel "
                         "schließen"))
    # Blur and a cut page spoil every measure: no verdict can rest on such a capture. Glare
    # spoils only the white light where it lies (and a pasted office-paper strip can look
    # like it), so it asks for review without overruling failed checks.
    # Room light beyond what the UV checks compensate makes UV-dull paper look bright.
    details["unjudgeable"] = bool(cut or lid_open
                                  or (blur is not None and blur > limits.max_blur_mm))
    if problems:
        return CheckResult(CHECK_ID, "undetermined",
                           "; ".join(p[0] for p in problems) + ": please rescan",
                           "; ".join(p[1] for p in problems) + ": bitte erneut scannen",
                           0.0, "white", None, details)
    return CheckResult(CHECK_ID, "passed", "sharp, no glare, page complete, no room light in UV",
                       "scharf, ohne Spiegelung, Seite vollständig, kein Raumlicht im UV-Bild",
                       1.0, "white", None, details)
