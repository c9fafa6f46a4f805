"""The PDF report of a case file: verdict, reasons, checks and the three lights with boxes."""

from __future__ import annotations

import io
from typing import Any

import numpy as np
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from scanner.casefile.payload import CaseFile

_COLOURS = {"passed": (0.1, 0.6, 0.2), "failed": (0.85, 0.1, 0.1),
            "undetermined": (0.9, 0.7, 0.0), "not_performed": (0.5, 0.5, 0.5),
            "aborted": (0.0, 0.0, 0.0)}
_MARGIN = 18 * mm


def _text_page(pdf: Canvas, meta: dict[str, Any]) -> None:
    _, height = A4
    y = height - _MARGIN
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(_MARGIN, y, f"authscan report: {str(meta['verdict']).upper()}")
    pdf.setFont("Helvetica", 9)
    for label in ("scan_id", "case_ref", "model", "device", "captured_at", "created_at"):
        y -= 13
        pdf.drawString(_MARGIN, y, f"{label}: {meta.get(label) or '-'}")
    y -= 20
    pdf.setFont("Helvetica-Bold", 11)
    pdf.drawString(_MARGIN, y, "Reasons")
    pdf.setFont("Helvetica", 9)
    for reason in meta.get("reasons", []):
        y -= 13
        pdf.drawString(_MARGIN, y, f"{reason.get('id')}: {str(reason.get('reason', ''))[:110]}")
    y -= 20
    pdf.setFont("Helvetica-Bold", 11)
    pdf.drawString(_MARGIN, y, "Checks")
    pdf.setFont("Helvetica", 9)
    for check in meta.get("checks", []):
        y -= 13
        if y < _MARGIN:
            pdf.showPage()
            y = height - _MARGIN
            pdf.setFont("Helvetica", 9)
        pdf.setFillColorRGB(*_COLOURS.get(str(check.get("status")), (0, 0, 0)))
        pdf.circle(_MARGIN + 3, y + 3, 3, fill=1, stroke=0)
        pdf.setFillColorRGB(0, 0, 0)
        pdf.drawString(_MARGIN + 10, y, f"{check.get('id')} [{check.get('status')}, "
                       f"{check.get('light') or '-'}]: {str(check.get('reason', ''))[:90]}")
    decision = meta.get("review_decision")
    if decision:
        y -= 20
        pdf.drawString(_MARGIN, y, f"Review decision: {decision['decision']}: "
                       f"{decision['reason'][:100]}")
    pdf.showPage()


def _image_page(pdf: Canvas, light: str, png: bytes, checks: list[dict[str, Any]]) -> None:
    width, height = A4
    with Image.open(io.BytesIO(png)) as img:
        if img.mode.startswith("I"):  # 16-bit IR: keep the high byte instead of clipping
            img.load()
            picture = Image.fromarray((np.asarray(img) >> 8).astype(np.uint8)).convert("RGB")
        else:
            picture = img.convert("RGB")
    box_w, box_h = width - 2 * _MARGIN, height - 3 * _MARGIN
    scale = min(box_w / picture.width, box_h / picture.height)
    draw_w, draw_h = picture.width * scale, picture.height * scale
    left, bottom = _MARGIN, height - 2 * _MARGIN - draw_h
    pdf.setFont("Helvetica-Bold", 12)
    pdf.drawString(_MARGIN, height - _MARGIN, f"{light} light")
    picture.thumbnail((1600, 1600))
    jpeg = io.BytesIO()  # embedded as DCT: a fifth of the size of flate-coded RGB
    picture.save(jpeg, format="JPEG", quality=85)
    jpeg.seek(0)
    pdf.drawImage(ImageReader(jpeg), left, bottom, draw_w, draw_h)
    pdf.setLineWidth(1.5)
    for check in checks:
        region = check.get("region")
        if check.get("light") != light or not region:
            continue
        x, y, w, h = (float(v) for v in region)
        pdf.setStrokeColorRGB(*_COLOURS.get(str(check.get("status")), (0, 0, 1)))
        pdf.rect(left + x * scale, bottom + draw_h - (y + h) * scale, w * scale, h * scale)
        pdf.setFont("Helvetica", 7)
        pdf.drawString(left + x * scale, bottom + draw_h - y * scale + 2, str(check.get("id")))
    pdf.showPage()


def render_report(case: CaseFile) -> bytes:
    """The PDF bytes of one case file."""
    out = io.BytesIO()
    pdf = Canvas(out, pagesize=A4, invariant=True)
    pdf.setTitle(f"authscan scan {case.scan_id}")
    _text_page(pdf, case.metadata)
    checks = list(case.metadata.get("checks", []))
    for light in ("white", "ir", "uv"):
        if light in case.images:
            _image_page(pdf, light, case.images[light], checks)
    pdf.save()
    return out.getvalue()
