"""`uv_dull_substrate` on pages built from SPECIMENS.md's light model values."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

from scanner.checks.base import ScanContext
from scanner.checks.uv_substrate import uv_dull_substrate
from scanner.config import Thresholds
from scanner.document_models import load_models
from scanner.page import Page

DPI = 100.0
UTO_P = next(m for m in load_models() if m.id == "UTO-P")


def _page(paper_uv_blue: float, *, room_light: float = 0.0, vignetting: float = 0.0) -> Page:
    s = DPI / 25.4
    height, width = round(88 * s), round(125 * s)
    white = np.full((height, width, 3), 0.9, np.float32)
    white[round(25 * s):round(55 * s):6, round(45 * s):round(115 * s)] = 0.1  # text lines
    uv = np.zeros((height, width, 3), np.float32)
    uv[..., 0], uv[..., 1], uv[..., 2] = paper_uv_blue * 0.7, paper_uv_blue * 0.5, paper_uv_blue
    yy, xx = np.mgrid[0:height, 0:width]
    r = np.hypot((xx - width / 2) / (width / 2), (yy - height / 2) / (height / 2)) / np.sqrt(2)
    uv *= (1 - vignetting * r**2)[..., None]
    uv += room_light * white
    return Page(white=white, ir=white.mean(axis=2), uv=uv.astype(np.float32), dpi=DPI,
                to_capture=np.array([[1, 0, 0], [0, 1, 0]], float), rotation_deg=0,
                cropped=True)


def _check(page: Page) -> tuple[str, str]:
    ctx = ScanContext(page=page, captured_at=datetime(2026, 1, 1, tzinfo=UTC), model=UTO_P,
                      thresholds=Thresholds())
    result = uv_dull_substrate(ctx)
    return result.status, result.reason


def test_security_paper_passes_even_with_room_light() -> None:
    assert _check(_page(0.10, room_light=0.04))[0] == "passed"
    assert _check(_page(0.10 * 1.15))[0] == "passed"


def test_office_paper_fails_even_when_the_uv_led_has_faded() -> None:
    status, reason = _check(_page(0.45 * 0.85, vignetting=0.25))
    assert status == "failed"
    assert "glows under UV" in reason


def test_pasted_photo_print_fails_in_the_photo_zone() -> None:
    page = _page(0.06)
    s = DPI / 25.4
    page.uv[round(20 * s):round(62 * s), round(6 * s):round(38 * s), 2] = 0.5
    status, reason = _check(page)
    assert status == "failed"
    assert reason.startswith("photo")


def test_dim_patch_in_the_mrz_zone_is_caught_relative_to_the_page() -> None:
    page = _page(0.04)
    s = DPI / 25.4
    page.uv[round(68 * s):round(83 * s), round(5 * s):round(118 * s), 2] = 0.17
    status, reason = _check(page)
    assert status == "failed"
    assert "pasted patch" in reason
