"""Finding the page in the reader window: position, tilt, landscape, cropped captures."""

from __future__ import annotations

from datetime import UTC, datetime

import cv2
import numpy as np
import pytest

from drivers.capture import Capture
from scanner.page import PageNotFound, find_page

DPI = 200


def _window_with_page(angle: float, centre: tuple[float, float], *, portrait: bool = False) \
        -> tuple[Capture, np.ndarray]:
    """A dark window with a bright 125 x 88 mm page; returns the capture and the page corners."""
    s = DPI / 25.4
    width, height = round(135 * s), round(100 * s)
    page_w, page_h = 125 * s, 88 * s
    if portrait:
        page_w, page_h = page_h, page_w
    corners = cv2.boxPoints(((centre[0] * s, centre[1] * s), (page_w, page_h), angle))
    mask = np.zeros((height, width), np.uint8)
    cv2.fillPoly(mask, [np.round(corners).astype(np.int32)], 255)
    rng = np.random.default_rng(3)
    base = np.where(mask > 0, 0.85, 0.06) + rng.normal(0, 0.01, mask.shape)
    grey = np.clip(base * 255, 0, 255).astype(np.uint8)
    rgb = np.dstack([grey] * 3)
    capture = Capture(white=rgb, ir=grey, uv=(rgb // 8), dpi=DPI,
                      captured_at=datetime(2026, 11, 22, tzinfo=UTC))
    return capture, corners


@pytest.mark.parametrize(("angle", "centre"), [(0.0, (67.5, 50.0)), (4.5, (66.0, 51.0)),
                                                (-5.0, (68.0, 49.0)), (2.0, (66.5, 50.5))])
def test_page_is_found_deskewed_at_its_size(angle: float, centre: tuple[float, float]) -> None:
    capture, corners = _window_with_page(angle, centre)
    page = find_page(capture)
    width_mm, height_mm = page.size_mm
    assert abs(width_mm - 125) < 1.5 and abs(height_mm - 88) < 1.5
    assert abs(abs(page.rotation_deg) - abs(angle)) < 0.7
    # the page image holds page only: no dark window at its edges
    assert page.white[:3].mean() > 0.7 and page.white[-3:].mean() > 0.7
    assert page.white[:, :3].mean() > 0.7 and page.white[:, -3:].mean() > 0.7
    # the map back to capture pixels lands the page's corners on the real corners
    box = page.region_in_capture((0, 0, page.ir.shape[1], page.ir.shape[0]))
    x0, y0 = corners.min(axis=0)
    assert abs(box[0] - x0) < 6 and abs(box[1] - y0) < 6


def test_portrait_lying_page_is_turned_landscape() -> None:
    capture, _ = _window_with_page(1.0, (67.5, 50.0), portrait=False)
    page = find_page(capture)
    assert page.ir.shape[1] > page.ir.shape[0]


def test_cropped_capture_is_taken_whole() -> None:
    capture, _ = _window_with_page(0.0, (67.5, 50.0))
    rgb = np.full((700, 980, 3), 220, np.uint8)
    cropped = Capture(white=rgb, ir=rgb[..., 0].copy(), uv=rgb // 8, dpi=DPI,
                      captured_at=capture.captured_at)
    page = find_page(cropped)
    assert page.cropped and page.ir.shape == (700, 980)


def test_empty_window_says_so() -> None:
    rng = np.random.default_rng(0)
    dark = rng.integers(5, 20, (780, 1060, 3), dtype=np.uint8)
    dark[100:140, 100:160] = 200  # a speck of dust, not a page
    capture = Capture(white=dark, ir=dark[..., 0].copy(), uv=dark, dpi=DPI,
                      captured_at=datetime(2026, 1, 1, tzinfo=UTC))
    with pytest.raises(PageNotFound, match="no page found"):
        find_page(capture)


def test_rotating_keeps_the_map_to_capture_pixels() -> None:
    capture, _ = _window_with_page(3.0, (67.5, 50.0))
    page = find_page(capture)
    turned = page.rotated(2)
    h, w = page.ir.shape
    turned_box = turned.region_in_capture((0, 0, 10, 10))
    same_box = page.region_in_capture((w - 10, h - 10, 10, 10))
    assert np.abs(np.subtract(turned_box, same_box)).max() <= 1


@pytest.mark.parametrize("turns", [1, 2, 3])
def test_rotating_turns_every_light_clockwise(turns: int) -> None:
    capture, _ = _window_with_page(3.0, (67.5, 50.0))
    page = find_page(capture)
    turned = page.rotated(turns)
    for before, after in ((page.white, turned.white), (page.ir, turned.ir),
                          (page.uv, turned.uv)):
        assert np.array_equal(after, np.rot90(before, -turns))
    # the page's top-left corner lies at the top-right after one clockwise turn
    if turns == 1:
        assert turned.ir[0, -1] == page.ir[0, 0]
