"""The MRZ's own consistency: `mrz_check_digits` and `document_expiry`."""

from __future__ import annotations

from datetime import date

from scanner.checks.base import CheckResult, ScanContext

_FIELD_DE = {
    "document_number": "Dokumentennummer", "birth_date": "Geburtsdatum",
    "expiry_date": "Ablaufdatum", "optional_data": "optionale Daten",
    "composite": "Gesamtprüfziffer", "personal_number": "persönliche Nummer",
}


def _mrz_region(ctx: ScanContext) -> list[int] | None:
    return ctx.page.region_in_capture(ctx.mrz_reading.box) if ctx.mrz_reading else None


def _missing(check_id: str, ctx: ScanContext) -> CheckResult:
    if not ctx.expects_mrz:
        return CheckResult(check_id, "not_performed", "this document model has no MRZ",
                           "dieses Dokumentmodell hat keine MRZ")
    return CheckResult(check_id, "undetermined",
                       "no MRZ could be read: place the document flat and rescan",
                       "keine MRZ lesbar: Dokument flach auflegen und erneut scannen")


def mrz_check_digits(ctx: ScanContext) -> CheckResult:
    """Every check digit of the MRZ, the composite included, and the field syntax."""
    check_id = "mrz_check_digits"
    mrz, reading = ctx.mrz, ctx.mrz_reading
    if mrz is None or reading is None:
        return _missing(check_id, ctx)
    region, light = _mrz_region(ctx), ctx.mrz_light
    details: dict[str, object] = {
        "checks": [{"field": c.field, "read": c.read, "expected": c.expected, "ok": c.ok}
                   for c in mrz.checks],
        "corrections": len(mrz.corrections)}
    if mrz.format is None:
        return CheckResult(check_id, "undetermined",
                           "the MRZ lines fit no ICAO format: rescan", "die MRZ-Zeilen passen "
                           "zu keinem ICAO-Format: erneut scannen", 0.0, light, region, details)
    if mrz.valid:
        note = f" after correcting {len(mrz.corrections)} OCR confusion(s)" \
            if mrz.corrections else ""
        note_de = f" nach Korrektur von {len(mrz.corrections)} Lesefehler(n)" \
            if mrz.corrections else ""
        return CheckResult(check_id, "passed", f"all check digits are correct{note}",
                           f"alle Prüfziffern stimmen{note_de}", 1.0, light, region, details)
    bad = [c for c in mrz.checks if not c.ok]
    reason = "; ".join(f"check digit of {c.field.replace('_', ' ')}: read {c.read}, "
                       f"expected {c.expected}" for c in bad) or "; ".join(mrz.problems)
    reason_de = "; ".join(f"Prüfziffer {_FIELD_DE.get(c.field, c.field)}: gelesen {c.read}, "
                          f"erwartet {c.expected}" for c in bad) or \
        "Feldsyntax der MRZ verletzt: " + "; ".join(mrz.problems)
    lowest = min((min(line) for line in reading.confidence if line), default=1.0)
    if lowest < ctx.thresholds.mrz_min_confidence:
        return CheckResult(check_id, "undetermined", f"{reason} (poorly legible: rescan)",
                           f"{reason_de} (schlecht lesbar: erneut scannen)", 0.0, light,
                           region, details)
    return CheckResult(check_id, "failed", reason, reason_de, 0.0, light, region, details)


def document_expiry(ctx: ScanContext) -> CheckResult:
    """The document is valid on the day it was captured (not the day it is analysed)."""
    check_id = "document_expiry"
    if ctx.mrz is None:
        return _missing(check_id, ctx)
    region = _mrz_region(ctx)
    raw = ctx.mrz.fields.get("expiry_date", "")
    try:
        expiry = date.fromisoformat(raw)
    except ValueError:
        return CheckResult(check_id, "undetermined", "the expiry date could not be read",
                           "das Ablaufdatum ist nicht lesbar", None, ctx.mrz_light, region)
    day = ctx.captured_at.date()
    details = {"expiry_date": raw, "as_of": day.isoformat()}
    if expiry < day:
        return CheckResult(check_id, "failed", f"the document expired on {raw}",
                           f"das Dokument ist seit {expiry:%d.%m.%Y} abgelaufen", 0.0,
                           ctx.mrz_light, region, details)
    return CheckResult(check_id, "passed", f"valid until {raw}",
                       f"gültig bis {expiry:%d.%m.%Y}", 1.0, ctx.mrz_light, region, details)
