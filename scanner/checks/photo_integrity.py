"""`photo_integrity`: the photo is printed into the page, not a print pasted over it.

Three physical signs of a substituted photo (SPECIMENS.md): photo paper glows under UV where
the page's paper stays dull; the UV overprint, printed across the photo and its border, is cut
at the photo edge; and a photo printed with dye ink fades in IR, where the issuer's carbon
print stays as dark as in white light.
"""

from __future__ import annotations

import numpy as np

from scanner.checks.base import CheckResult, ScanContext
from scanner.checks.measures import WORK_DPI, region_mask, yellow_green_glow
from scanner.checks.uv_substrate import substrate_levels

CHECK_ID = "photo_integrity"
_INSET_MM = 1.5  # stay this far inside the photo edge (registration, pasted-print offset)


def photo_integrity(ctx: ScanContext) -> CheckResult:
    """UV brightness, overprint continuity and IR-versus-white of the photo."""
    model = ctx.model
    photo = model.region("photo") if model else None
    if photo is None:
        return CheckResult(CHECK_ID, "not_performed", "this document model has no photo",
                           "dieses Dokumentmodell hat kein Lichtbild")
    page, limits = ctx.page, ctx.thresholds
    white, ir, uv = page.small(WORK_DPI)
    inside = region_mask(ir.shape, photo, grow_mm=-_INSET_MM)
    if inside.sum() < 100:
        return CheckResult(CHECK_ID, "undetermined", "the photo lies outside the image",
                           "das Lichtbild liegt außerhalb des Bildes")
    region = page.region_in_capture(page.mm_box(*photo.bounds))
    findings: list[tuple[str, str, str]] = []  # (light, English, German)
    details: dict[str, float] = {}

    # 1. UV: photo paper glows blue-white (the measure of uv_dull_substrate, per zone).
    levels, _ = substrate_levels(ctx)
    photo_blue, page_blue = levels.get("photo", 0.0), levels.get("page", 0.0)
    details["uv_photo"], details["uv_page"] = round(photo_blue, 3), round(page_blue, 3)
    if "photo" in levels and (photo_blue > limits.uv_substrate_max or (
            photo_blue > limits.uv_patch_ratio * page_blue
            and photo_blue - page_blue > limits.uv_patch_min_step)):
        findings.append(("uv", f"the photo glows under UV ({photo_blue:.2f})",
                         f"das Lichtbild leuchtet unter UV ({photo_blue:.2f})"))

    # 2. UV overprint continuous across the photo edge.
    overprint = model.region("uv_overprint") if model else None
    if overprint is not None:
        glow = yellow_green_glow(uv)
        border = region_mask(ir.shape, overprint, grow_mm=-1.0) & \
            ~region_mask(ir.shape, photo, grow_mm=_INSET_MM)
        lit = glow > limits.uv_glow_min
        cover_in, cover_border = float(lit[inside].mean()), float(lit[border].mean())
        details["overprint_inside"], details["overprint_border"] = \
            round(cover_in, 3), round(cover_border, 3)
        if cover_border >= 0.05 and cover_in < limits.overprint_continuity * cover_border:
            findings.append(("uv", "the UV overprint stops at the photo edge",
                             "der UV-Überdruck endet am Rand des Lichtbilds"))

    # 3. IR against white: the issuer's photo print keeps its darkest tones (carbon) in IR;
    # a dye print fades there. Compare the contrast of the darkest tones in both lights.
    page_white = float(np.percentile(white.mean(axis=2), 95))
    page_ir = float(np.percentile(ir, 95))
    lum_in, ir_in = white.mean(axis=2)[inside], ir[inside]
    white_contrast = 1 - float(np.percentile(lum_in, 2)) / max(page_white, 1e-6)
    ir_contrast = 1 - float(np.percentile(ir_in, 2)) / max(page_ir, 1e-6)
    if white_contrast > 0.2:
        kept = ir_contrast / white_contrast
        details["ir_contrast_kept"] = round(kept, 3)
        if kept < limits.photo_ir_min_kept:
            findings.append(("ir", f"the photo fades in infrared ({kept:.0%} of its contrast "
                                   "stays)", f"das Lichtbild verblasst im Infrarot ({kept:.0%} "
                                   "des Kontrasts bleibt)"))
    if findings:
        return CheckResult(CHECK_ID, "failed", "; ".join(f[1] for f in findings),
                           "; ".join(f[2] for f in findings), 0.0, findings[0][0], region,
                           dict(details))
    return CheckResult(CHECK_ID, "passed", "the photo is printed into the page",
                       "das Lichtbild ist in die Seite gedruckt", 1.0, "uv", None, dict(details))
