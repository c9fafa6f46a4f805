"""Parse and validate MRZ text (ICAO 9303): check digits, field syntax, dates, names, OCR fixes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date

from scanner.mrz.countries import is_known_code
from scanner.mrz.layouts import Layout, Span, layout_for, with_overflow

_WEIGHTS = (7, 3, 1)
_ALLOWED = re.compile(r"[A-Z0-9<]*")
# OCR-B look-alikes; a substitution is only tried inside check-digit-protected data.
_CONFUSABLE: dict[str, str] = {
    "O": "0", "Q": "0", "D": "0", "0": "ODQ", "I": "1", "1": "I", "B": "8", "8": "B",
    "S": "5", "5": "S", "Z": "2", "2": "Z", "G": "6", "6": "G", "<": "K", "K": "<",
}
# More wrongly typed positions than this means the text is not this layout at all.
_MAX_LAYOUT_VIOLATIONS = 6


def _value(char: str) -> int:
    """Check-digit value of one character; characters outside A-Z0-9< count as 0."""
    if char.isdigit():
        return int(char)
    if "A" <= char <= "Z":
        return ord(char) - 55
    return 0


def check_digit(data: str) -> str:
    """ICAO 9303 check digit of `data`: weights 7-3-1, modulo 10, '<' = 0, A-Z = 10..35."""
    return str(sum(_value(c) * _WEIGHTS[i % 3] for i, c in enumerate(data)) % 10)


@dataclass(frozen=True)
class DigitCheck:
    """One check digit: the field it protects, the digit printed and the digit computed."""

    field: str
    read: str
    expected: str
    ok: bool


@dataclass(frozen=True)
class Correction:
    """One OCR correction: 0-based line and position, the character read and the fix."""

    line: int
    position: int
    read: str
    corrected: str


@dataclass(frozen=True)
class MrzResult:
    """The parsed MRZ: format, lines, validity, fields, check digits, corrections, problems."""

    format: str | None
    lines: tuple[str, ...]
    valid: bool
    fields: dict[str, str]
    checks: tuple[DigitCheck, ...]
    corrections: tuple[Correction, ...]
    problems: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        """A JSON-ready dict of the result."""
        return {
            "format": self.format,
            "lines": list(self.lines),
            "valid": self.valid,
            "fields": dict(self.fields),
            "checks": [asdict(c) for c in self.checks],
            "corrections": [asdict(c) for c in self.corrections],
            "problems": list(self.problems),
        }


@dataclass(frozen=True)
class _Analysis:
    fields: dict[str, str]
    checks: tuple[DigitCheck, ...]
    problems: tuple[str, ...]
    numeric_ok: bool  # every check digit holds and every date / check digit is well formed


def _text(lines: Sequence[str], spans: Sequence[Span]) -> str:
    return "".join(lines[li][a:b] for li, a, b in spans)


def _dates(raw: str, as_of: date, birth: bool) -> date | None:
    """The calendar date of a YYMMDD field with the century chosen relative to `as_of`."""
    if not re.fullmatch(r"\d{6}", raw):
        return None
    yy, month, day = int(raw[:2]), int(raw[2:4]), int(raw[4:])
    year = as_of.year // 100 * 100 + yy
    if birth:
        if (year, month, day) > (as_of.year, as_of.month, as_of.day):
            year -= 100
    elif year > as_of.year + 49:
        year -= 100
    elif year < as_of.year - 50:
        year += 100
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _names(raw: str) -> tuple[str, str]:
    """Surname and given names from a name field."""
    surname, _, given = raw.rstrip("<").partition("<<")
    return (" ".join(surname.replace("<", " ").split()),
            " ".join(given.replace("<", " ").split()))


def _field_problem(kind: str, name: str, raw: str) -> str | None:
    """Why a field's text breaks its syntax, or None."""
    stripped = raw.strip("<")
    if kind == "code" and not re.fullmatch(r"[A-Z][A-Z<]", raw):
        return f"document type {raw!r} must start with a letter and hold only letters"
    if kind == "country" and not is_known_code(raw.rstrip("<")):
        return f"unknown country code {raw!r} in {name}"
    if kind == "name" and not re.fullmatch(r"[A-Z<]*", raw):
        return "name field holds characters other than letters and '<'"
    if kind == "sex" and raw not in ("M", "F", "X", "<"):
        return f"sex {raw!r} is not M, F, X or '<'"
    if kind == "alnum" and not re.fullmatch(r"[A-Z0-9<]*", stripped):
        return f"{name} holds characters other than A-Z, 0-9 and '<'"
    return None


def _analyse(layout: Layout, lines: Sequence[str], as_of: date) -> _Analysis:
    """Fields, check digits and problems of `lines` read in `layout`."""
    layout = with_overflow(layout, lines)
    fields: dict[str, str] = {}
    problems: list[str] = []
    numeric_ok = True
    for i, line in enumerate(lines):
        bad = sorted({c for c in line if not _ALLOWED.fullmatch(c)})
        if bad:
            problems.append(f"line {i + 1} holds characters outside A-Z, 0-9 and '<': {bad}")
    for spec in layout.fields:
        raw = _text(lines, spec.spans)
        if spec.kind == "name":
            fields["surname"], fields["given_names"] = _names(raw)
        elif spec.kind == "date":
            parsed = _dates(raw, as_of, spec.name == "birth_date")
            fields[spec.name] = parsed.isoformat() if parsed else raw
            if parsed is None:
                numeric_ok = False
                problems.append(f"{spec.name} {raw!r} is not a valid date YYMMDD")
        else:
            fields[spec.name] = raw if spec.kind == "sex" else raw.strip("<")
        problem = _field_problem(spec.kind, spec.name, raw)
        if problem:
            problems.append(problem)
    checks = []
    for check in layout.checks:
        data = _text(lines, check.spans)
        read = lines[check.line][check.pos]
        expected = check_digit(data)
        ok = read == expected or (check.filler_if_empty and read == "<" and not data.strip("<"))
        checks.append(DigitCheck(check.field, read, expected, ok))
        if not ok:
            numeric_ok = False
            problems.append(f"{check.field} check digit: read {read!r}, expected {expected!r}")
    return _Analysis(fields, tuple(checks), tuple(problems), numeric_ok)


def _protected(layout: Layout, lines: Sequence[str]) -> list[tuple[int, int, bool]]:
    """Positions covered by a check digit: (line, position, digits only)."""
    layout = with_overflow(layout, lines)
    digit_only = {(c.line, c.pos) for c in layout.checks}
    for spec in layout.fields:
        if spec.kind == "date":
            digit_only |= {(li, p) for li, a, b in spec.spans for p in range(a, b)}
    covered = {(li, p) for c in layout.checks for li, a, b in c.spans for p in range(a, b)}
    return sorted((li, p, (li, p) in digit_only) for li, p in covered | digit_only)


def _single_fix(layout: Layout, lines: tuple[str, ...], as_of: date) -> Correction | None:
    """The one look-alike substitution that makes every check digit and date hold, if unique."""
    found: list[Correction] = []
    for li, pos, digits_only in _protected(layout, lines):
        read = lines[li][pos]
        for alt in _CONFUSABLE.get(read, ""):
            if digits_only and not alt.isdigit():
                continue
            line = lines[li][:pos] + alt + lines[li][pos + 1:]
            trial = (*lines[:li], line, *lines[li + 1:])
            if _analyse(layout, trial, as_of).numeric_ok:
                found.append(Correction(li, pos, read, alt))
    return found[0] if len(found) == 1 else None


def _like_digit(char: str) -> bool:
    return char.isdigit() or any(a.isdigit() for a in _CONFUSABLE.get(char, ""))


def _like_letter(char: str) -> bool:
    return "A" <= char <= "Z" or char == "<" or any(a.isalpha() for a in _CONFUSABLE.get(char, ""))


def _layout_violations(layout: Layout, lines: Sequence[str]) -> int:
    """How many fixed-kind positions hold a character that no OCR look-alike explains."""
    count = 0
    for spec in layout.fields:
        text = _text(lines, spec.spans)
        if spec.kind == "date":
            count += sum(not _like_digit(c) for c in text)
        elif spec.kind == "country":
            count += sum(not _like_letter(c) for c in text)
    count += sum(not (_like_digit(lines[c.line][c.pos]) or lines[c.line][c.pos] == "<")
                 for c in layout.checks)
    return count


def parse_mrz(lines: Sequence[str], *, as_of: date | None = None,
              correct: bool = True) -> MrzResult:
    """Parse and validate MRZ lines; dates are judged relative to `as_of` (default today)."""
    when = as_of if as_of is not None else date.today()
    text = tuple(line.strip() for line in lines)
    layout = layout_for(text)
    if layout is None:
        sizes = " + ".join(str(len(line)) for line in text) or "no lines"
        return MrzResult(None, text, False, {}, (), (), (
            f"not an ICAO 9303 MRZ: expected 3 lines of 30 or 2 lines of 36 or 44 characters,"
            f" got {sizes}",))
    violations = _layout_violations(layout, text)
    if violations > _MAX_LAYOUT_VIOLATIONS:
        return MrzResult(None, text, False, {}, (), (), (
            f"not an ICAO 9303 MRZ: the lines have the size of {layout.name} but"
            f" {violations} positions break its layout (national or non-ICAO format?)",))
    analysis = _analyse(layout, text, when)
    corrections: tuple[Correction, ...] = ()
    if correct and not analysis.numeric_ok:
        fix = _single_fix(layout, text, when)
        if fix is not None:
            line = text[fix.line]
            fixed = line[:fix.position] + fix.corrected + line[fix.position + 1:]
            text = (*text[:fix.line], fixed, *text[fix.line + 1:])
            analysis = _analyse(layout, text, when)
            corrections = (fix,)
    return MrzResult(layout.name, text, not analysis.problems, analysis.fields,
                     analysis.checks, corrections, analysis.problems)
