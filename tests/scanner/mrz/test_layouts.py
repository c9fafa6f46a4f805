"""The characters ICAO 9303 allows at each MRZ position, as the reader's decoder uses them."""

from __future__ import annotations

import pytest

from scanner.mrz.layouts import (
    DIGITS,
    LETTERS,
    MRV_A,
    MRV_B,
    TD1,
    TD2,
    TD3,
    Layout,
    layout_for_shape,
    position_classes,
)


@pytest.mark.parametrize("layout", [TD1, TD2, TD3, MRV_A, MRV_B])
def test_dates_and_check_digits_are_digits_names_are_letters(layout: Layout) -> None:
    table = position_classes(layout)
    assert [len(line) for line in table] == [layout.line_length] * layout.line_count
    for spec in layout.fields:
        for line, start, end in spec.spans:
            for pos in range(start, end):
                allowed = set(table[line][pos])
                if spec.kind == "date":
                    assert allowed == set(DIGITS)
                elif spec.kind in ("name", "country"):
                    assert allowed == set(LETTERS + "<")
                elif spec.kind == "sex":
                    assert allowed == set("MFX<")
                elif spec.kind == "alnum":
                    assert allowed == set(LETTERS + DIGITS + "<")
    assert set(table[0][0]) == set(LETTERS)  # the document type starts with a letter
    for check in layout.checks:
        assert set(DIGITS) <= set(table[check.line][check.pos])


def test_fillers_allowed_where_icao_allows_them_in_check_digits() -> None:
    assert "<" in position_classes(TD3)[1][42]  # optional-data check digit of empty data
    assert "<" not in position_classes(TD3)[1][43]  # the composite is always a digit
    assert "<" in position_classes(TD1)[0][14]  # long document number continued
    assert "<" in position_classes(TD2)[1][9]
    assert "<" not in position_classes(TD3)[1][9]


def test_shape_and_first_letter_choose_the_layout() -> None:
    assert layout_for_shape(2, 44, "P") is TD3
    assert layout_for_shape(2, 44, "V") is MRV_A
    assert layout_for_shape(2, 36, "I") is TD2
    assert layout_for_shape(2, 36, "V") is MRV_B
    assert layout_for_shape(3, 30, "I") is TD1
    assert layout_for_shape(2, 30, "I") is None
