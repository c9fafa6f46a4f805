"""`uv_fibres` on pages built from SPECIMENS.md's light model values: strands of one UV colour,
invisible or faint in white light, on paper, on tint and under print."""

from __future__ import annotations

from datetime import UTC, datetime

import cv2
import numpy as np

from scanner.checks.base import CheckResult, ScanContext
from scanner.checks.uv_fibres import uv_fibres
from scanner.config import Thresholds
from scanner.document_models import load_models
from scanner.page import Page

DPI = 200.0
S = DPI / 25.4
UTO_P = next(m for m in load_models() if m.id == "UTO-P")
TINT = (55.0, 0.0, 125.0, 88.0)  # x0, y0, x1, y1 mm: a mid-tone tint, lum 0.6 (paper 0.9)


def _open_places() -> list[tuple[float, float]]:
    """Fibre centres (mm) on a 10 mm grid, away from the UV-only print and the edges,
    where the check searches."""
    places = []
    for x in np.arange(8.0, 120.0, 10.0):
        for y in np.arange(6.0, 84.0, 10.0):
            in_overprint = -1 <= x <= 55 and 11 <= y <= 71
            in_emblem = np.hypot(x - 80, y - 38) <= 21
            if not in_overprint and not in_emblem:
                places.append((float(x), float(y)))
    return places


def _page(count: int, *, printed: bool = False) -> Page:
    """A UTO-P page with `count` fibres 4 mm long, one in three on the tint; `printed`
    draws each strand in white light too, as a printed imitation would show."""
    height, width = round(88 * S), round(125 * S)
    white = np.full((height, width, 3), 0.9, np.float32)
    x0, y0, x1, y1 = (round(v * S) for v in TINT)
    white[y0:y1, x0:x1] = 0.6
    uv = np.empty((height, width, 3), np.float32)
    uv[...] = (0.05, 0.04, 0.07)  # dull security paper
    places = _open_places()
    on_tint = [p for p in places if p[0] >= TINT[0]]
    on_paper = [p for p in places if p[0] < TINT[0]]
    chosen = (on_tint[:count // 3] + on_paper)[:count]
    assert len(chosen) == count, "the page has room for fewer fibres"
    for k, (x, y) in enumerate(chosen):
        angle = 0.7 * k
        a = (round((x - 2 * np.cos(angle)) * S), round((y - 2 * np.sin(angle)) * S))
        b = (round((x + 2 * np.cos(angle)) * S), round((y + 2 * np.sin(angle)) * S))
        glow = np.zeros(3, np.float32)
        glow[k % 3] = 0.45
        strand = np.zeros((height, width), np.uint8)
        cv2.line(strand, a, b, 1, 1, cv2.LINE_8)
        uv[strand > 0] = glow
        if printed:
            white[strand > 0] *= 0.6
        else:
            white[strand > 0] *= 0.97  # faint, as SPECIMENS.md allows
    return Page(white=white, ir=white.mean(axis=2), uv=uv, dpi=DPI,
                to_capture=np.array([[1, 0, 0], [0, 1, 0]], float), rotation_deg=0,
                cropped=True)


def _check(page: Page) -> CheckResult:
    ctx = ScanContext(page=page, captured_at=datetime(2026, 1, 1, tzinfo=UTC), model=UTO_P,
                      thresholds=Thresholds())
    return uv_fibres(ctx)


def test_the_issuers_minimum_passes_with_fibres_under_tint() -> None:
    # 15 fibres, 5 of them under a mid-tone tint: a fibre lies in the paper, under the print
    result = _check(_page(UTO_P.fibres.min))  # type: ignore[union-attr]
    assert result.status == "passed", result.details
    assert result.details["fibres"] == UTO_P.fibres.min  # type: ignore[union-attr]
    assert result.details["visible_in_white"] == 0


def test_printed_imitations_do_not_count() -> None:
    result = _check(_page(UTO_P.fibres.min, printed=True))  # type: ignore[union-attr]
    assert result.status == "failed"
    assert result.details["visible_in_white"] == UTO_P.fibres.min  # type: ignore[union-attr]


def test_too_few_fibres_is_undetermined_and_says_how_many_are_needed() -> None:
    result = _check(_page(2))
    assert result.status == "undetermined"
    assert f"{result.details['needed']} needed" in result.reason
