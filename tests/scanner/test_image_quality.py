"""`image_quality`: room light leaking into the UV image (lid open) on fresh specimens."""

from __future__ import annotations

import pytest

from drivers.specimen import render_specimen
from scanner.checks.image_quality import room_light
from scanner.page import find_page
from scanner.pipeline import scan_capture


@pytest.mark.parametrize("model", ["UTO-P", "UTO-V"])
def test_room_light_estimate_follows_the_leak(model: str) -> None:
    estimates = []
    for leak in (0.0, 0.04, 0.12):
        capture, _ = render_specimen(31_101, model=model, dpi=300,
                                     conditions={"room_light": leak})
        estimates.append(room_light(find_page(capture)))
    closed, within, open_lid = (float(e) for e in estimates if e is not None)
    assert abs(closed) < 0.015
    assert closed < within <= 0.05 < open_lid


def test_open_lid_asks_for_a_rescan_instead_of_a_false_forgery() -> None:
    capture, _ = render_specimen(31_102, model="UTO-P", dpi=300, conditions={"room_light": 0.15})
    result = scan_capture(capture)
    quality = next(c for c in result.checks if c.id == "image_quality")
    assert quality.status == "undetermined"
    assert "room light" in quality.reason and "Raumlicht" in quality.reason_de
    assert quality.details["unjudgeable"] is True
    assert result.verdict.status == "review"


def test_spec_room_light_keeps_a_genuine_page_clean() -> None:
    capture, _ = render_specimen(31_103, model="UTO-P", dpi=300, conditions={"room_light": 0.04})
    quality = next(c for c in scan_capture(capture).checks if c.id == "image_quality")
    assert quality.status == "passed"
