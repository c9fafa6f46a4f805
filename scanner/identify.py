"""Which document model a page is, and which way up it lies when it has no MRZ."""

from __future__ import annotations

import numpy as np

from scanner.document_models import DocumentModel, load_models
from scanner.page import Page

_SIZE_TOLERANCE_MM = 4.0


def _fits_size(page: Page, model: DocumentModel) -> bool:
    width, height = page.size_mm
    return abs(width - model.size_mm[0]) <= _SIZE_TOLERANCE_MM and \
        abs(height - model.size_mm[1]) <= _SIZE_TOLERANCE_MM


def identify_by_mrz(page: Page, mrz_format: str | None, issuer: str | None) \
        -> DocumentModel | None:
    """The model whose MRZ format, issuer and page size match."""
    for model in load_models():
        if model.mrz and model.mrz.format == mrz_format and model.mrz.issuer == issuer \
                and _fits_size(page, model):
            return model
    return None


def _emblem_strength(page: Page, model: DocumentModel, *, upside_down: bool) -> float:
    """Yellow-green UV emission inside the model's emblem circle, minus the paper around it."""
    emblem = model.region("uv_emblem")
    assert emblem is not None and emblem.circle is not None
    uv = page.uv
    s = page.dpi / 25.4
    height, width = page.ir.shape
    cx, cy, radius = emblem.circle
    if upside_down:
        cx, cy = width / s - cx, height / s - cy

    def ring(r0: float, r1: float) -> float:
        y0, y1 = max(0, int((cy - r1) * s)), min(height, int((cy + r1) * s))
        x0, x1 = max(0, int((cx - r1) * s)), min(width, int((cx + r1) * s))
        yy, xx = np.mgrid[y0:y1:4, x0:x1:4]
        dist = np.hypot(xx / s - cx, yy / s - cy)
        sample = uv[yy, xx]  # every 4th pixel only: the whole page's glow is never needed
        glow = np.minimum(sample[..., 0], sample[..., 1]) - sample[..., 2]  # yellow-green
        values = glow[(dist >= r0) & (dist < r1)]
        return float(np.percentile(values, 90)) if values.size else 0.0

    return ring(0, radius * 0.8) - ring(radius * 1.2, radius * 1.6)


def identify_without_mrz(page: Page, min_glow: float = 0.08) \
        -> tuple[DocumentModel, bool] | None:
    """A model without MRZ, recognised by its UV emblem, and whether it lies upside down."""
    best: tuple[float, DocumentModel, bool] | None = None
    for model in load_models():
        emblem = model.region("uv_emblem")
        if model.mrz is not None or emblem is None or emblem.circle is None \
                or not _fits_size(page, model):
            continue
        for upside_down in (False, True):
            strength = _emblem_strength(page, model, upside_down=upside_down)
            if strength >= min_glow and (best is None or strength > best[0]):
                best = (strength, model, upside_down)
    return None if best is None else (best[1], best[2])
