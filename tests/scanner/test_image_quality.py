"""`image_quality`: room light leaking into the UV image (lid open), and glare, on fresh
specimens."""

from __future__ import annotations

import numpy as np
import pytest

from drivers.capture import Capture
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


def _glare_reading(capture: Capture) -> tuple[str, float]:
    quality = next(c for c in scan_capture(capture).checks if c.id == "image_quality")
    return quality.status, float(quality.details["glare"])


def test_a_lamp_bright_within_its_drift_limit_is_no_glare() -> None:
    # +10 % white LED drift (the calibration limit) saturates this page's paper in its
    # brightest channel over a few percent of the page; the tint keeps the other channels
    capture, _ = render_specimen(31_115, model="UTO-P", dpi=300,
                                 conditions={"drift": {"white": 0.1}})
    assert float((capture.white.max(axis=2) == 255).mean()) > 0.005
    status, glare = _glare_reading(capture)
    assert status == "passed" and glare < 0.005


def test_a_laminate_reflection_asks_for_a_rescan() -> None:
    # the same capture with a white reflection of the lamp (~16 mm across) on the page
    capture, _ = render_specimen(31_115, model="UTO-P", dpi=300,
                                 conditions={"drift": {"white": 0.1}})
    h, w = capture.white.shape[:2]
    ys, xs = np.indices((h, w))
    sigma = 8 * 300 / 25.4
    spot = 0.3 * 255 * np.exp(-((ys - h / 2) ** 2 + (xs - w / 2) ** 2) / (2 * sigma ** 2))
    capture.white[:] = np.clip(capture.white + spot[..., None], 0, 255).astype(np.uint8)
    status, glare = _glare_reading(capture)
    assert status == "undetermined" and glare > 0.005
