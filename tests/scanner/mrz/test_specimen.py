"""The reader on pages of the project's UTO specimen renderer, through the page finder.

The renderer sizes OCR-B by cap height (2.4 mm at a 2.54 mm pitch), not by advance width
like our templates: these tests pin the reader to print it did not draw itself.
"""

from __future__ import annotations

import pytest

from drivers.specimen import render_specimen
from scanner.mrz.parse import parse_mrz
from scanner.mrz.read import read_mrz, read_mrz_lights
from scanner.page import find_page

# (seed, dpi, forgery, conditions, light the MRZ must be read in)
CASES = [
    (9101, 400, None, {"upside_down": False, "rotation_deg": 0.0}, "ir"),
    (9102, 300, None, {"upside_down": True, "rotation_deg": -4.5}, "ir"),
    (9103, 400, None, {"upside_down": True, "worn": True, "rotation_deg": 5.0}, "ir"),
    (9104, 300, None, {"upside_down": False, "worn": True, "rotation_deg": 3.0}, "ir"),
    (9105, 400, "mrz_altered", {"mrz_variant": "wrong", "mrz_medium": "dye"}, "white"),
    (9106, 300, "mrz_altered", {"mrz_variant": "recomputed", "mrz_medium": "dye",
                                "upside_down": True}, "white"),
    (9107, 300, "mrz_altered", {"mrz_variant": "recomputed", "mrz_medium": "strip"}, "ir"),
    (9108, 400, "mrz_altered", {"mrz_variant": "wrong", "mrz_medium": "strip+dye",
                                "upside_down": True}, "white"),
]


@pytest.mark.parametrize(("seed", "dpi", "forgery", "conditions", "light"), CASES)
def test_reads_specimen_pages_exactly(seed: int, dpi: int, forgery: str | None,
                                      conditions: dict[str, object], light: str) -> None:
    capture, label = render_specimen(seed, dpi=dpi, forgery=forgery, conditions=conditions)
    page = find_page(capture)
    found = read_mrz_lights(page.ir, page.white, dpi=page.dpi)
    assert found is not None
    reading, used = found
    assert list(reading.lines) == list(label["mrz"])  # type: ignore[call-overload]
    assert used == light
    genuine_digits = forgery is None or conditions.get("mrz_variant") == "recomputed"
    assert parse_mrz(reading.lines, correct=False).valid == genuine_digits


def test_reads_the_raw_capture_with_the_page_tilted() -> None:
    capture, label = render_specimen(9109, dpi=300, conditions={"rotation_deg": -5.0,
                                                                "upside_down": True})
    reading = read_mrz(capture.ir, dpi=capture.dpi)
    assert reading is not None
    assert list(reading.lines) == list(label["mrz"])  # type: ignore[call-overload]
    assert reading.rotation == 180
