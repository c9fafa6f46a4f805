"""ICAO 9303 MRZ layouts: where each field and check digit sits in TD1, TD2, TD3, MRV-A, MRV-B."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

Span = tuple[int, int, int]  # line, start, end (end exclusive)


@dataclass(frozen=True)
class FieldSpec:
    """One field: its name, kind (how it is validated) and where it is printed."""

    name: str
    kind: str  # "code", "country", "name", "alnum", "date", "sex"
    spans: tuple[Span, ...]


@dataclass(frozen=True)
class CheckSpec:
    """One check digit: the field it protects, the data it covers and where it is printed."""

    field: str
    spans: tuple[Span, ...]
    line: int
    pos: int
    filler_if_empty: bool = False  # '<' is accepted when the covered data is all fillers


@dataclass(frozen=True)
class Overflow:
    """Where a long document number may continue in the optional data (TD1, TD2)."""

    line: int
    number: tuple[int, int]
    check: int
    optional: tuple[int, int]


@dataclass(frozen=True)
class Layout:
    """A complete MRZ layout."""

    name: str
    line_length: int
    line_count: int
    fields: tuple[FieldSpec, ...]
    checks: tuple[CheckSpec, ...]
    overflow: Overflow | None = None


def _line2(opt_end: int, composite: bool, personal_check: bool) -> tuple[
        tuple[FieldSpec, ...], tuple[CheckSpec, ...]]:
    """The second line shared by TD2, TD3, MRV-A and MRV-B."""
    opt_stop = opt_end - 1 if personal_check else opt_end
    fields = (
        FieldSpec("document_number", "alnum", ((1, 0, 9),)),
        FieldSpec("nationality", "country", ((1, 10, 13),)),
        FieldSpec("birth_date", "date", ((1, 13, 19),)),
        FieldSpec("sex", "sex", ((1, 20, 21),)),
        FieldSpec("expiry_date", "date", ((1, 21, 27),)),
        FieldSpec("optional_data", "alnum", ((1, 28, opt_stop),)),
    )
    checks = [
        CheckSpec("document_number", ((1, 0, 9),), 1, 9),
        CheckSpec("birth_date", ((1, 13, 19),), 1, 19),
        CheckSpec("expiry_date", ((1, 21, 27),), 1, 27),
    ]
    if personal_check:
        checks.append(CheckSpec("optional_data", ((1, 28, opt_stop),), 1, opt_stop, True))
    if composite:
        checks.append(CheckSpec("composite", ((1, 0, 10), (1, 13, 20), (1, 21, opt_end)),
                                1, opt_end))
    return fields, tuple(checks)


def _two_line(name: str, length: int, composite: bool, personal_check: bool) -> Layout:
    """TD2/TD3/MRV layouts: type, issuer and name on line 1, data on line 2."""
    opt_end = length - 1 if composite else length
    head = (
        FieldSpec("document_type", "code", ((0, 0, 2),)),
        FieldSpec("issuing_state", "country", ((0, 2, 5),)),
        FieldSpec("name", "name", ((0, 5, length),)),
    )
    fields, checks = _line2(opt_end, composite, personal_check)
    overflow = Overflow(1, (0, 9), 9, (28, opt_end)) if name == "TD2" else None
    return Layout(name, length, 2, head + fields, checks, overflow)


TD1 = Layout(
    "TD1", 30, 3,
    (
        FieldSpec("document_type", "code", ((0, 0, 2),)),
        FieldSpec("issuing_state", "country", ((0, 2, 5),)),
        FieldSpec("document_number", "alnum", ((0, 5, 14),)),
        FieldSpec("optional_data", "alnum", ((0, 15, 30),)),
        FieldSpec("birth_date", "date", ((1, 0, 6),)),
        FieldSpec("sex", "sex", ((1, 7, 8),)),
        FieldSpec("expiry_date", "date", ((1, 8, 14),)),
        FieldSpec("nationality", "country", ((1, 15, 18),)),
        FieldSpec("optional_data_2", "alnum", ((1, 18, 29),)),
        FieldSpec("name", "name", ((2, 0, 30),)),
    ),
    (
        CheckSpec("document_number", ((0, 5, 14),), 0, 14),
        CheckSpec("birth_date", ((1, 0, 6),), 1, 6),
        CheckSpec("expiry_date", ((1, 8, 14),), 1, 14),
        CheckSpec("composite", ((0, 5, 30), (1, 0, 7), (1, 8, 15), (1, 18, 29)), 1, 29),
    ),
    Overflow(0, (5, 14), 14, (15, 30)),
)
TD2 = _two_line("TD2", 36, composite=True, personal_check=False)
TD3 = _two_line("TD3", 44, composite=True, personal_check=True)
MRV_A = _two_line("MRV-A", 44, composite=False, personal_check=False)
MRV_B = _two_line("MRV-B", 36, composite=False, personal_check=False)


def layout_for(lines: Sequence[str]) -> Layout | None:
    """The layout whose line count and length fit `lines` (visas start with 'V'), else None."""
    lengths = {len(line) for line in lines}
    if len(lengths) != 1:
        return None
    length = lengths.pop()
    visa = bool(lines) and lines[0][:1] == "V"
    table = {(3, 30): TD1, (2, 36): MRV_B if visa else TD2, (2, 44): MRV_A if visa else TD3}
    return table.get((len(lines), length))


def with_overflow(layout: Layout, lines: Sequence[str]) -> Layout:
    """The layout adjusted for a long document number continued in the optional data."""
    ov = layout.overflow
    if ov is None or lines[ov.line][ov.check] != "<":
        return layout
    start, end = ov.optional
    extra = lines[ov.line][start:end].split("<", 1)[0]
    if not extra:
        return layout
    check_pos = start + len(extra) - 1
    number = FieldSpec("document_number", "alnum",
                       ((ov.line, *ov.number), (ov.line, start, check_pos)))
    optional = FieldSpec("optional_data", "alnum", ((ov.line, check_pos + 1, end),))
    fields = tuple(
        number if f.name == "document_number" else optional if f.name == "optional_data" else f
        for f in layout.fields)
    checks = tuple(
        CheckSpec(c.field, number.spans, ov.line, check_pos) if c.field == "document_number"
        else c for c in layout.checks)
    return Layout(layout.name, layout.line_length, layout.line_count, fields, checks, None)


LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
DIGITS = "0123456789"
_KIND_CHARS = {"code": LETTERS + "<", "country": LETTERS + "<", "name": LETTERS + "<",
               "alnum": LETTERS + DIGITS + "<", "date": DIGITS, "sex": "MFX<"}


def layout_for_shape(line_count: int, line_length: int, first_char: str) -> Layout | None:
    """The layout of an MRZ with this many lines of this length starting with `first_char`."""
    lines = [first_char.ljust(line_length, "<")] + ["<" * line_length] * (line_count - 1)
    return layout_for(lines)


def position_classes(layout: Layout) -> tuple[tuple[str, ...], ...]:
    """The characters ICAO 9303 allows at each position of each line of `layout`."""
    table = [[_KIND_CHARS["alnum"]] * layout.line_length for _ in range(layout.line_count)]
    for spec in layout.fields:
        for line, start, end in spec.spans:
            for pos in range(start, end):
                table[line][pos] = _KIND_CHARS[spec.kind]
        if spec.kind == "code":  # the document type starts with a letter (A, C, I, P, V)
            line, start, _ = spec.spans[0]
            table[line][start] = LETTERS
    ov = layout.overflow
    for check in layout.checks:
        filler = check.filler_if_empty or (ov is not None and (check.line, check.pos)
                                           == (ov.line, ov.check))
        table[check.line][check.pos] = DIGITS + ("<" if filler else "")
    return tuple(tuple(line) for line in table)
