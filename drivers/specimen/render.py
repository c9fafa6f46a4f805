"""Render one UTO specimen capture (genuine or forged) with its ground-truth label."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np

from drivers.capture import Capture, DeviceInfo
from drivers.specimen import forgeries, page, stamps
from drivers.specimen.canvas import PageImage
from drivers.specimen.forgeries import PAGE_FORGERIES, STAMP_FORGERIES
from drivers.specimen.halftone import random_screen
from drivers.specimen.layout import Grid
from drivers.specimen.materials import (
    Ink,
    b900_black,
    offset_ink,
    security_paper,
    stamp_ink,
    uv_emblem_ink,
)
from drivers.specimen.mrz import Holder, random_holder, td3_lines
from drivers.specimen.optics import Conditions, expose, random_conditions, to_capture

MODELS = ("UTO-P", "UTO-V")
FORGERIES = PAGE_FORGERIES + STAMP_FORGERIES
DEVICE = DeviceInfo(id="uto-specimen-renderer", model="UTO specimen renderer", serial="0001")
EXPOSURE_MS = {"white": 8.0, "ir": 12.0, "uv": 60.0}
_TZ = timezone(timedelta(hours=1))


def model_for(forgery: str) -> str:
    """The document model a forgery applies to."""
    return "UTO-V" if forgery in STAMP_FORGERIES else "UTO-P"


def _check(model: str, forgery: str | None, dpi: int) -> None:
    if model not in MODELS:
        raise ValueError(f"unknown model {model!r}; choose one of {', '.join(MODELS)}")
    if forgery is not None and forgery not in FORGERIES:
        raise ValueError(f"unknown forgery {forgery!r}; choose one of {', '.join(FORGERIES)}")
    if forgery is not None and model_for(forgery) != model:
        raise ValueError(f"forgery {forgery!r} applies to {model_for(forgery)} pages, "
                         f"not to {model}")
    if not 100 <= dpi <= 1200:
        raise ValueError(f"dpi must be between 100 and 1200, got {dpi}")


def captured_at(seed: int) -> datetime:
    """A deterministic moment of inspection per seed, during office hours in 2026-2027."""
    rng = np.random.default_rng([seed, 0])
    start = datetime(2026, 1, 1, 8, 0, tzinfo=_TZ)
    return start + timedelta(days=int(rng.integers(0, 730)),
                             seconds=int(rng.integers(0, 10 * 3600)))


def _stamps(pg: PageImage, rng: np.random.Generator, frng: np.random.Generator, grid: Grid, *,
            forgery: str | None, day: datetime, cond: Conditions,
            ) -> tuple[list[dict[str, object]], dict[str, object] | None]:
    """Press 0-4 stamps (at least one forged one for stamp forgeries)."""
    count = int(rng.integers(0, 5))
    if forgery == "stamp_duplicated":
        count = max(count, 2)
    elif forgery is not None:
        count = max(count, 1)
    count = int(cond.extra.get("stamp_count", count))  # type: ignore[call-overload]
    forged: set[int] = set()
    dup_src, dup_dst = -1, -1
    if forgery in ("stamp_reproduced", "stamp_fake_rubber") and count:
        forged = {int(frng.integers(count))} | {i for i in range(count) if frng.random() < 0.25}
    if forgery == "stamp_duplicated" and count >= 2:
        dup_dst = int(frng.integers(1, count))
        dup_src = int(frng.integers(0, dup_dst))
    screen = random_screen(frng, grid.dpi)
    made: list[tuple[np.ndarray, Ink, str]] = []
    boxes: list[dict[str, object]] = []
    for i in range(count):
        text = stamps.random_text(rng, day.date())
        font = ("DejaVuSans-Bold.ttf", "DejaVuSansCondensed-Bold.ttf",
                "DejaVuSerif-Bold.ttf")[int(rng.integers(3))]
        colour = ("violet", "blue", "red")[int(rng.integers(3))]
        centre = stamps.random_centre(rng, grid)
        if i == dup_dst:
            cover, ink, kind = made[dup_src]
        else:
            cover, _ = stamps.impress(stamps.design(grid, text, font), rng, grid)
            ink_kind = "stamp_pad" if forgery == "stamp_fake_rubber" and i in forged else "official"
            ink, kind = stamp_ink(rng, ink_kind, colour), text.kind
        made.append((cover, ink, kind))
        x0, y0 = stamps.origin(cover, centre)
        if forgery == "stamp_reproduced" and i in forged:
            forgeries.reproduce_stamp(pg, cover, ink, (x0, y0), rng=frng, grid=grid, screen=screen)
            ink_name = "reproduction"
        else:
            pg.ink(cover, ink, x0, y0)
            ink_name = "stamp_pad" if not any(ink.uv_emit) else "official"
        boxes.append({"page_box": stamps.visible_box(pg, cover, x0, y0), "kind": kind,
                      "ink": ink_name, "duplicate_of": dup_src if i == dup_dst else None})
    detail = None
    if forgery == "stamp_reproduced":
        detail = {"stamps": sorted(forged), **screen.describe()}
    elif forgery == "stamp_fake_rubber":
        detail = {"stamps": sorted(forged), "ink": "stamp_pad"}
    elif forgery == "stamp_duplicated":
        detail = {"stamps": [dup_src, dup_dst]}
    return boxes, detail


def _uto_p(pg: PageImage, rng: np.random.Generator, frng: np.random.Generator, grid: Grid, *,
           holder: Holder, forgery: str | None, cond: Conditions, fade: float,
           uv_ink: Ink) -> tuple[tuple[str, str], dict[str, object] | None]:
    """Photo, personal data, MRZ and UV overprint of a data page, with page forgeries."""
    page.printed_photo(pg, rng, grid, fade)
    lines = td3_lines(holder)
    b900 = b900_black(rng)
    detail: dict[str, object] | None = None
    variant = str(cond.extra.get("mrz_variant", forgeries.MRZ_VARIANTS[int(frng.integers(2))]))
    medium = str(cond.extra.get("mrz_medium", forgeries.MRZ_MEDIA[int(frng.integers(3))]))
    if forgery == "mrz_altered":
        if variant not in forgeries.MRZ_VARIANTS or medium not in forgeries.MRZ_MEDIA:
            raise ValueError(f"mrz_variant must be one of {forgeries.MRZ_VARIANTS} and "
                             f"mrz_medium one of {forgeries.MRZ_MEDIA}")
        new_lines, field = forgeries.alter_holder(holder, frng, variant)
        if medium == "dye":
            forgeries.wash_mrz_zone(pg, frng, grid)
        else:
            cover, top = page.mrz_cover(grid, lines)
            pg.ink(cover, b900, 0, top)
        forgeries.print_altered_mrz(pg, frng, grid, new_lines, medium)
        detail = {"variant": variant, "medium": medium, "field": field,
                  "original_mrz": list(lines)}
        lines = new_lines
    else:
        cover, top = page.mrz_cover(grid, lines)
        pg.ink(cover, b900, 0, top)
    if forgery != "uv_feature_missing":
        page.uv_overprint(pg, grid, uv_ink)
    if forgery == "photo_substituted":
        detail = forgeries.substitute_photo(pg, frng, grid)
    return lines, detail


def render_specimen(seed: int, *, model: str = "UTO-P", forgery: str | None = None,
                    dpi: int = 400, conditions: dict[str, object] | None = None,
                    ) -> tuple[Capture, dict[str, object]]:
    """Render one capture of a UTO page and its label (see SPECIMENS.md); same input, same bytes."""
    _check(model, forgery, dpi)
    grid = Grid(dpi)
    when = captured_at(seed)
    rng = np.random.default_rng([seed, 1, MODELS.index(model)])
    frng = np.random.default_rng([seed, 3, FORGERIES.index(forgery) if forgery else 99])
    cond = random_conditions(np.random.default_rng([seed, 2]), dpi, forgery is None,
                             dict(conditions or {}))
    holder = random_holder(rng, when.date()) if model == "UTO-P" else None
    paper = security_paper(rng)
    pg = page.blank_page(rng, grid, paper)
    fade = float(rng.uniform(0.82, 0.93))
    fade = fade if cond.worn else 1.0
    keep_fibres = forgery != "uv_feature_missing" or frng.random() < 0.5
    fibres = page.uv_fibres(pg, rng, grid) if keep_fibres else 0
    inks = [offset_ink(rng, light=0.15, high=0.45) for _ in range(3)]
    page.guilloche(pg, rng, grid, inks, fade)
    labels, data = page.text_layers(rng, grid, model, holder)
    pg.ink(labels * np.float32(fade), offset_ink(rng, light=0.45, high=0.65, uv_trans=0.85))
    uv_ink = uv_emblem_ink(cond.uv_strength, rng)
    if forgery != "uv_feature_missing":
        page.uv_emblem(pg, grid, model, uv_ink)
    detail: dict[str, object] | None = None
    lines: tuple[str, str] | None = None
    stamp_boxes: list[dict[str, object]] = []
    if holder is not None:
        pg.ink(data, b900_black(rng))
        lines, detail = _uto_p(pg, rng, frng, grid, holder=holder, forgery=forgery,
                               cond=cond, fade=fade, uv_ink=uv_ink)
    wear = page.wear(pg, np.random.default_rng([seed, 5]), grid) if cond.worn else None
    if model == "UTO-V":
        stamp_boxes, detail = _stamps(pg, rng, frng, grid, forgery=forgery, day=when,
                                       cond=cond)
    if forgery == "counterfeit_copy":
        pg, detail = forgeries.counterfeit_copy(pg, paper, frng, grid)
    elif forgery == "uv_feature_missing":
        detail = {"paper": "uv_dull", "fibres": fibres > 0}
    white, ir, uv, matrix = expose(pg, grid, cond, np.random.default_rng([seed, 4, dpi]))
    capture = Capture(white=white, ir=ir, uv=uv, dpi=dpi, captured_at=when, device=DEVICE,
                      exposure_ms=dict(EXPOSURE_MS))
    pw, ph = grid.page_size
    stamps_label = []
    for box in stamp_boxes:
        x0, y0, x1, y1 = (int(v) for v in box.pop("page_box"))  # type: ignore[attr-defined]
        pts = to_capture(matrix, [(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        bx, by = max(min(xs), 0.0), max(min(ys), 0.0)
        stamps_label.append({"box": [round(bx), round(by), round(max(xs) - bx),
                                     round(max(ys) - by)], **box})
    label: dict[str, object] = {
        "model": model, "genuine": forgery is None, "forgery": forgery,
        "forgery_detail": detail, "mrz": list(lines) if lines else None,
        "stamps": stamps_label,
        "page_corners": to_capture(matrix, [(0, 0), (pw, 0), (pw, ph), (0, ph)]),
        "conditions": {**cond.label(dpi), **({"wear": wear} if wear else {})},
        "seed": seed,
    }
    return capture, label

