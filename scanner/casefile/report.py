"""The PDF report of a case file: verdict, reasons, checks and the three lights with boxes."""

from __future__ import annotations

import io
import textwrap
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


_VERDICT_DE = {"pass": "ECHT (keine Auffälligkeiten)", "review": "PRÜFEN (Dokumentenprüfung)",
               "fail": "FALSCH (nicht annehmen)"}
_LABELS_DE = {"scan_id": "Scan", "case_ref": "Aktenzeichen", "model": "Dokumentmodell",
              "device": "Lesegerät", "captured_at": "Aufgenommen", "created_at": "Gespeichert"}
_LIGHTS_DE = {"white": "Weißlicht", "ir": "Infrarot (IR)", "uv": "Ultraviolett (UV)"}


def _reason(entry: dict[str, Any]) -> str:
    """The German reason where the result has one (the office's language), else English."""
    return str(entry.get("reason_de") or entry.get("reason") or "")


class _Writer:
    """Lines down the page, with a new page when the page is full."""

    def __init__(self, pdf: Canvas) -> None:
        self.pdf = pdf
        self.y = A4[1] - _MARGIN

    def line(self, text: str, *, size: int = 9, bold: bool = False, gap: float = 13,
             dot: tuple[float, float, float] | None = None) -> None:
        first, *rest = textwrap.wrap(text, 100) or [""]
        self._one(first, size=size, bold=bold, gap=gap, dot=dot)
        for more in rest:  # continuation lines, indented under the text
            self._one(f"    {more}", size=size, bold=bold, gap=11, dot=None)

    def _one(self, text: str, *, size: int, bold: bool, gap: float,
             dot: tuple[float, float, float] | None) -> None:
        self.y -= gap
        if self.y < _MARGIN:
            self.pdf.showPage()
            self.y = A4[1] - _MARGIN - gap
        self.pdf.setFont("Helvetica-Bold" if bold else "Helvetica", size)
        indent = 0.0
        if dot is not None:
            self.pdf.setFillColorRGB(*dot)
            self.pdf.circle(_MARGIN + 3, self.y + 3, 3, fill=1, stroke=0)
            self.pdf.setFillColorRGB(0, 0, 0)
            indent = 10
        self.pdf.drawString(_MARGIN + indent, self.y, text)

    def section(self, title: str) -> None:
        self.line(title, size=11, bold=True, gap=24)


def _text_page(pdf: Canvas, meta: dict[str, Any]) -> None:
    out = _Writer(pdf)
    verdict = str(meta["verdict"])
    out.line(f"authscan Prüfbericht: {_VERDICT_DE.get(verdict, verdict.upper())}", size=16,
             bold=True, gap=0)
    for key, label in _LABELS_DE.items():
        out.line(f"{label}: {meta.get(key) or '-'}")
    out.section("Gründe")
    for reason in meta.get("reasons", []):
        out.line(f"{reason.get('id')}: {_reason(reason)}")
    out.section("Prüfungen (BSI TR-03135)")
    for check in meta.get("checks", []):
        out.line(f"{check.get('id')} [{check.get('status')}, {check.get('light') or '-'}]: "
                 f"{_reason(check)}",
                 dot=_COLOURS.get(str(check.get("status")), (0, 0, 0)))
    decision = meta.get("review_decision")
    if decision:
        out.section("Entscheidung der Dokumentenprüfung")
        out.line(f"{decision['decision']}: {decision['reason']}")
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
    pdf.drawString(_MARGIN, height - _MARGIN, _LIGHTS_DE.get(light, light))
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
