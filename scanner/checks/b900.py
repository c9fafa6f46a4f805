"""`mrz_ir_b900`: the MRZ is printed in B900 ink, which absorbs near infrared.

ICAO 9303 Part 3 requires MRZ print to stay dark in IR (print contrast >= 0.6); dye inks of
home printers turn transparent there. The contrast is measured per character, on the ink
cores found in white light, against the paper around the MRZ in IR.
"""

from __future__ import annotations

import numpy as np

from scanner.checks.base import CheckResult, ScanContext

CHECK_ID = "mrz_ir_b900"
_MIN_CORE_PIXELS = 12


def mrz_ir_b900(ctx: ScanContext) -> CheckResult:
    """Print contrast of every MRZ character in IR."""
    reading = ctx.mrz_reading
    if reading is None:
        if not ctx.expects_mrz:
            return CheckResult(CHECK_ID, "not_performed", "this document model has no MRZ",
                               "dieses Dokumentmodell hat keine MRZ", light="ir")
        return CheckResult(CHECK_ID, "undetermined", "no MRZ found to measure in infrared: "
                           "rescan", "keine MRZ zum Messen im Infrarot gefunden: erneut "
                           "scannen", light="ir")
    page = ctx.page
    white = page.luminance()
    x, y, w, h = reading.box
    band_white, band_ir = white[y:y + h, x:x + w], page.ir[y:y + h, x:x + w]
    paper_white = float(np.percentile(band_white, 90))
    paper_mask = band_white > 0.8 * paper_white
    if paper_mask.sum() < 100 or paper_white <= 0:
        return CheckResult(CHECK_ID, "undetermined", "no paper visible around the MRZ",
                           "kein Papier um die MRZ sichtbar", light="ir",
                           region=page.region_in_capture(reading.box))
    paper_ir = float(np.median(band_ir[paper_mask]))
    contrasts: list[float] = []
    boxes: list[tuple[int, int, int, int]] = []
    for line in reading.char_boxes:
        for cx, cy, cw, ch in line:
            cell_white = white[cy:cy + ch, cx:cx + cw]
            ink = cell_white < 0.5 * paper_white
            if ink.sum() < _MIN_CORE_PIXELS:
                continue  # a filler or a space: too little ink to measure
            core = cell_white <= np.percentile(cell_white[ink], 40)
            ink_ir = float(np.median(page.ir[cy:cy + ch, cx:cx + cw][core]))
            contrasts.append(1.0 - ink_ir / max(paper_ir, 1e-6))
            boxes.append((cx, cy, cw, ch))
    region = page.region_in_capture(reading.box)
    if len(contrasts) < 5:
        return CheckResult(CHECK_ID, "undetermined", "too little MRZ print to measure",
                           "zu wenig MRZ-Druck zum Messen", light="ir", region=region)
    limit = ctx.thresholds.b900_min_contrast
    worst = int(np.argmin(contrasts))
    weak = [c for c in contrasts if c < limit]
    details = {"median_contrast": round(float(np.median(contrasts)), 3),
               "min_contrast": round(contrasts[worst], 3), "characters": len(contrasts),
               "below_limit": len(weak), "limit": limit}
    if weak:
        if len(weak) < len(contrasts):  # point at the worst character when only some fail
            region = page.region_in_capture(boxes[worst])
        return CheckResult(
            CHECK_ID, "failed",
            f"{len(weak)} of {len(contrasts)} MRZ characters fade in infrared (contrast "
            f"{contrasts[worst]:.2f}, B900 ink gives at least {limit:.2f}): not printed "
            "with the issuer's ink",
            f"{len(weak)} von {len(contrasts)} MRZ-Zeichen verblassen im Infrarot (Kontrast "
            f"{contrasts[worst]:.2f}, B900-Tinte ergibt mindestens {limit:.2f}): nicht mit "
            "der Tinte des Ausstellers gedruckt",
            contrasts[worst], "ir", region, details)
    return CheckResult(CHECK_ID, "passed",
                       f"MRZ print is dark in infrared (contrast {contrasts[worst]:.2f} or more)",
                       f"MRZ-Druck ist im Infrarot dunkel (Kontrast ab {contrasts[worst]:.2f})",
                       contrasts[worst], "ir", region, details)
