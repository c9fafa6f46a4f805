"""Tests of the MRZ reader on pages drawn here with Pillow and OCR-B."""

from __future__ import annotations

import numpy as np
import pytest

from scanner.mrz.parse import parse_mrz
from scanner.mrz.read import read_mrz, read_mrz_lights
from tests.scanner.mrz.render import render_page

TD3 = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
       "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]
TD1 = ["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6",
       "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"]
TD2 = ["I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6"]
MRVA = ["V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L8988901C4XXX4009078F96121096ZE184226B<<<<<<"]
MRVB = ["V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "L8988901C4XXX4009078F9612109<<<<<<<<"]

CASES = [
    (TD3, {"dpi": 400}, 0),
    (TD1, {"dpi": 300, "angle": 3.0}, 0),
    (TD2, {"dpi": 300, "angle": -4.5, "blur": 1.1, "noise": 8.0}, 0),
    (MRVA, {"dpi": 400, "upside_down": True, "angle": 2.0}, 180),
    (MRVB, {"dpi": 300, "ir": True}, 0),
    (TD3, {"dpi": 300, "sideways": True, "angle": -2.0}, 90),
    (TD1, {"dpi": 400, "upside_down": True, "ir": True, "seed": 3}, 180),
]


@pytest.mark.parametrize(("lines", "options", "rotation"), CASES)
def test_reads_rendered_pages_exactly(lines: list[str], options: dict[str, float],
                                      rotation: int) -> None:
    image = render_page(lines, **options)  # type: ignore[arg-type]
    reading = read_mrz(image)
    assert reading is not None
    assert list(reading.lines) == lines
    assert reading.rotation == rotation
    assert parse_mrz(reading.lines).valid
    assert min(min(c) for c in reading.confidence) > 0.5
    x, y, w, h = reading.box
    assert min(x, y) >= 0 and x + w <= image.shape[1] and y + h <= image.shape[0]
    # the box holds the dark MRZ ink, the characters lie inside it
    grey = image if image.ndim == 2 else image.min(axis=2)
    assert grey[y:y + h, x:x + w].min() < 80
    for line in reading.char_boxes:
        assert len(line) == len(lines[0])
        for cx, cy, cw, ch in line:
            assert x <= cx and y <= cy and cx + cw <= x + w and cy + ch <= y + h


def test_box_is_where_the_mrz_was_drawn() -> None:
    image = render_page(TD3, dpi=300, angle=2.0, noise=0.0)
    empty = render_page([" " * 44] * 2, dpi=300, angle=2.0, noise=0.0)
    ys, xs = np.nonzero(np.abs(image.astype(int) - empty).max(axis=2) > 60)
    reading = read_mrz(image)
    assert reading is not None
    x, y, w, h = reading.box
    inter_w = min(x + w, xs.max()) - max(x, xs.min())
    inter_h = min(y + h, ys.max()) - max(y, ys.min())
    drawn = (xs.max() - xs.min()) * (ys.max() - ys.min())
    assert inter_w * inter_h > 0.85 * max(drawn, w * h)


def test_input_types_grey16_and_float() -> None:
    image = render_page(MRVB, dpi=300, ir=True, seed=1)
    as16 = image.astype(np.uint16) * 257
    as_float = image.astype(np.float32) / 255
    for variant in (as16, as_float, np.stack([image] * 3, axis=2)):
        reading = read_mrz(variant, dpi=300)
        assert reading is not None and list(reading.lines) == MRVB


def test_no_mrz_on_a_blank_or_text_page() -> None:
    assert read_mrz(np.full((800, 1000), 230, np.uint8)) is None
    page = render_page(TD3, dpi=300)
    page[page.shape[0] // 2:] = 230  # cut the lower half away: no MRZ left
    assert read_mrz(page) is None


def test_lights_prefers_ir_and_falls_back_to_white() -> None:
    white = render_page(TD2, dpi=300)
    ir = render_page(TD2, dpi=300, ir=True)
    reading, light = read_mrz_lights(ir, white) or (None, "")
    assert light == "ir" and reading is not None and list(reading.lines) == TD2
    blank_ir = np.full(ir.shape, 220, np.uint8)
    reading, light = read_mrz_lights(blank_ir, white) or (None, "")
    assert light == "white" and reading is not None and list(reading.lines) == TD2
    assert read_mrz_lights(None, None) is None


def test_sideways_search_can_be_left_out() -> None:
    # a found page is landscape, so its MRZ runs along it: the quarter turns are not searched
    sideways = render_page(TD3, dpi=300, sideways=True)
    assert read_mrz(sideways, sideways=False) is None
    upside_down = render_page(MRVA, dpi=300, upside_down=True)
    reading = read_mrz(upside_down, sideways=False)
    assert reading is not None and list(reading.lines) == MRVA and reading.rotation == 180
