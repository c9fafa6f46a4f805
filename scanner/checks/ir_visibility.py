"""`ir_visibility`: in IR the offset labels vanish and the personal data stays.

The issuer prints labels and background in IR-transparent offset inks and the personal data in
B900 black, which absorbs IR. In the model's data region the dark print of the white image is
split in two: what stays dark in IR (personal data) and what vanishes (labels). Data that
fades was written with the wrong ink; labels that stay were not printed by the issuer.
"""

from __future__ import annotations

import numpy as np

from scanner.checks.base import CheckResult, ScanContext
from scanner.checks.measures import region_mask

CHECK_ID = "ir_visibility"
_DPI = 200.0  # text strokes must survive the downscaling


def ir_visibility(ctx: ScanContext) -> CheckResult:
    """Personal data dark in IR; labels and background gone."""
    model = ctx.model
    data = None
    if model is not None:
        data = next((r for r in model.regions.values() if r.ir == "personal_data_only"), None)
    if data is None:
        return CheckResult(CHECK_ID, "not_performed", "no personal-data region in this model",
                           "kein Datenbereich in diesem Dokumentmodell", light="ir")
    page, limits = ctx.page, ctx.thresholds
    white, ir, _ = page.small(_DPI)
    mask = region_mask(ir.shape, data, dpi=_DPI)
    lum = white.mean(axis=2)
    paper_white = float(np.percentile(lum[mask], 95))
    paper_ir = float(np.percentile(ir[mask], 95))
    region = page.region_in_capture(page.mm_box(*data.bounds))
    if paper_white <= 0 or paper_ir <= 0:
        return CheckResult(CHECK_ID, "undetermined", "no paper visible in the data region",
                           "kein Papier im Datenbereich sichtbar", light="ir", region=region)
    black = mask & (lum < 0.35 * paper_white)  # B900 data in white light (<= 0.20 of ~0.9)
    ir_dark = mask & (ir < 0.5 * paper_ir)
    mid = mask & (lum >= 0.35 * paper_white) & (lum < 0.8 * paper_white)  # labels, background
    n_black = int(black.sum())
    if n_black < 200:
        return CheckResult(CHECK_ID, "undetermined", "too little personal data print to measure",
                           "zu wenig Personendaten-Druck zum Messen", light="ir", region=region)
    data_kept = float((black & ir_dark).sum() / n_black)
    label_kept = float((mid & ir_dark).sum() / max(1, int(mid.sum())))
    details = {"data_kept": round(data_kept, 3), "labels_kept": round(label_kept, 3)}
    if data_kept < limits.ir_data_min_kept:
        return CheckResult(CHECK_ID, "failed",
                           f"personal data fades in infrared ({data_kept:.0%} stays): not B900",
                           f"Personendaten verblassen im Infrarot ({data_kept:.0%} bleibt): "
                           "kein B900", data_kept, "ir", region, details)
    if label_kept > limits.ir_labels_max_kept:
        return CheckResult(CHECK_ID, "failed",
                           f"labels and background stay dark in infrared ({label_kept:.0%}): "
                           "not the issuer's offset print",
                           f"Beschriftung und Untergrund bleiben im Infrarot dunkel "
                           f"({label_kept:.0%}): kein Offsetdruck des Ausstellers",
                           1 - label_kept, "ir", region, details)
    return CheckResult(CHECK_ID, "passed", "labels vanish in infrared, personal data stays",
                       "Beschriftung verschwindet im Infrarot, Personendaten bleiben",
                       data_kept, "ir", None, details)
