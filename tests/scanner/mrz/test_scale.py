"""The reader copes with print sizes that differ from the template size (0.92-1.05)."""

from __future__ import annotations

import pytest

from scanner.mrz.parse import check_digit, parse_mrz
from scanner.mrz.read import read_mrz
from tests.scanner.mrz.render import render_page


def _td3(number: str, optional: str) -> list[str]:
    """A TD3 MRZ whose alphanumeric fields mix OCR-B look-alikes (0/O/D/Q, 1/I, 8/B, 5/S)."""
    number, optional = number.ljust(9, "<"), optional.ljust(14, "<")
    part = (number + check_digit(number) + "UTO" + "800101" + check_digit("800101") + "M"
            + "300505" + check_digit("300505") + optional + check_digit(optional))
    composite = check_digit(part[:10] + part[13:20] + part[21:])
    return ["P<UTOODOM<<BOB<IO<<<<<<<<<<<<<<<<<<<<<<<<<<<", part + composite]


def _td1(number: str, optional: str) -> list[str]:
    """A TD1 MRZ with look-alikes in the document number and both optional fields."""
    number, optional = number.ljust(9, "<"), optional.ljust(15, "<")
    line1 = "I<UTO" + number + check_digit(number) + optional
    head = "010203" + check_digit("010203") + "F" + "291231" + check_digit("291231")
    opt2 = "O8B0I1S5<<<"
    line2 = head + "UTO" + opt2
    composite = check_digit(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
    return [line1, line2 + composite, "QUOD<<ODO<BIBI".ljust(30, "<")]


CASES = [
    (_td3("O0D8B1I5S", "0O0OQ8B1I"), 0.92, 400, {}),
    (_td3("DO0Q815SB", "I1I1O0"), 0.95, 300, {"angle": 2.5}),
    (_td1("B80OI1Q0D", "0OD<1I"), 0.97, 300, {"upside_down": True}),
    (_td3("O0D8B1I5S", "0O0OQ8B1I"), 1.02, 300, {"ir": True, "angle": -3.0}),
    (_td1("B80OI1Q0D", "0OD<1I"), 1.05, 400, {"blur": 1.0, "noise": 7.0}),
]


@pytest.mark.parametrize(("lines", "scale", "dpi", "options"), CASES)
def test_reads_print_of_other_sizes(lines: list[str], scale: float, dpi: int,
                                    options: dict[str, object]) -> None:
    assert parse_mrz(lines, correct=False).valid  # the test data itself is a valid MRZ
    image = render_page(lines, dpi=dpi, scale=scale, **options)  # type: ignore[arg-type]
    reading = read_mrz(image, dpi=dpi)
    assert reading is not None
    assert list(reading.lines) == lines
    assert min(min(line) for line in reading.confidence) > 0.5


def test_faint_blurred_print_at_a_known_dpi() -> None:
    """Rows too faint for the shrunken search image are looked for at a larger size."""
    lines = _td3("B80OI1Q0D", "")
    image = render_page(lines, dpi=400, blur=1.3, noise=8.0, ink=80, shade=0.45, angle=-2.0)
    reading = read_mrz(image, dpi=400)
    assert reading is not None
    assert list(reading.lines) == lines
