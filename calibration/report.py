"""The calibration report: light output over time and the flat-field maps, drawn with Pillow."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from calibration.health import LIGHTS, PAPER_NOMINAL, HealthRow
from calibration.profile import Profile
from calibration.references import LIGHT_CHANNELS

SIZE = (1200, 860)
PLOT = (80, 70, 1160, 440)      # x0, y0, x1, y1 of the trend plot
COLOURS = {"white": (90, 90, 90), "ir": (200, 40, 40), "uv": (90, 40, 200)}
Y_RANGE = (0.5, 1.3)


def _y(value: float) -> float:
    lo, hi = Y_RANGE
    v = min(max(value, lo), hi)
    return PLOT[3] - (v - lo) / (hi - lo) * (PLOT[3] - PLOT[1])


def _trend(draw: ImageDraw.ImageDraw, rows: list[HealthRow], limit: float) -> None:
    x0, y0, x1, y1 = PLOT
    draw.rectangle(PLOT, outline=(0, 0, 0))
    for value in (1.0 - limit, 1.0, 1.0 + limit):
        y = _y(value)
        draw.line([(x0, y), (x1, y)], fill=(170, 170, 170) if value != 1.0 else (60, 60, 60))
        draw.text((x0 - 45, y - 6), f"{value:.2f}", fill=(0, 0, 0))
    draw.text((x0, y0 - 18), "light output relative to nominal (dots: scans, paper level; "
              "rings: calibrations)", fill=(0, 0, 0))
    if not rows:
        draw.text((x0 + 20, (y0 + y1) / 2), "no health data yet", fill=(0, 0, 0))
        return
    start, end = rows[0].at, rows[-1].at
    span = max((end - start).total_seconds(), 1.0)

    def x_of(at: datetime) -> float:
        return x0 + 10 + (at - start).total_seconds() / span * (x1 - x0 - 20)

    draw.text((x0, y1 + 6), start.date().isoformat(), fill=(0, 0, 0))
    draw.text((x1 - 70, y1 + 6), end.date().isoformat(), fill=(0, 0, 0))
    for n, light in enumerate(LIGHTS):
        colour = COLOURS[light]
        draw.text((x1 - 230 + 75 * n, y0 + 6), light.upper(), fill=colour)
        for row in rows:
            if row.source == "calibration":
                value = row.levels[light]
                cx, cy = x_of(row.at), _y(value)
                draw.ellipse([cx - 6, cy - 6, cx + 6, cy + 6], outline=colour, width=2)
            else:
                value = row.levels[light] / PAPER_NOMINAL[light]
                cx, cy = x_of(row.at), _y(value)
                draw.ellipse([cx - 2, cy - 2, cx + 2, cy + 2], fill=colour)


def _map_image(profile: Profile, light: str, size: tuple[int, int]) -> Image.Image:
    """The light's illumination pattern (1 / gain) as a grey picture, brightest = white."""
    gain = profile.gain[..., list(LIGHT_CHANNELS[light])].mean(axis=2)
    field = 1.0 / np.maximum(gain, 1e-6)
    field = field / float(field.max())
    grey = np.clip((field - 0.5) * 2 * 255, 0, 255).astype(np.uint8)  # 0.5..1 -> black..white
    return Image.fromarray(grey).resize(size, Image.Resampling.BILINEAR)


def draw_report(profile: Profile, rows: list[HealthRow], *, warnings: list[str] | None = None,
                limit: float = 0.15) -> Image.Image:
    """The report page as a Pillow image."""
    page = Image.new("RGB", SIZE, (255, 255, 255))
    draw = ImageDraw.Draw(page)
    draw.text((20, 16), f"authscan calibration report - reader {profile.device.model} "
              f"serial {profile.device.serial} - profile {profile.id}", fill=(0, 0, 0))
    draw.text((20, 34), f"calibrated {profile.created_at.isoformat(timespec='minutes')}, "
              f"valid until {profile.expires_at.isoformat(timespec='minutes')}; output at "
              "calibration: " + ", ".join(f"{k} {100 * v:.0f} %" for k, v in
                                          profile.levels.items()), fill=(0, 0, 0))
    _trend(draw, rows, limit)
    for n, text in enumerate(warnings or []):
        draw.text((80, 470 + 16 * n), f"WARNING: {text}", fill=(180, 0, 0))
    size = (340, 252)
    top = 560
    draw.text((20, top - 36), "flat field (illumination pattern per light; white = brightest, "
              "black = half of it)", fill=(0, 0, 0))
    for n, light in enumerate(LIGHTS):
        left = 40 + n * (size[0] + 40)
        page.paste(_map_image(profile, light, size), (left, top))
        gain = profile.gain[..., list(LIGHT_CHANNELS[light])].mean(axis=2)
        fall = 1 - float(gain.min() / gain.max())
        draw.text((left, top - 16), f"{light.upper()}: fall-off {100 * fall:.0f} %",
                  fill=COLOURS[light])
    return page


def write_report(profile: Profile, rows: list[HealthRow], path: Path | str, *,
                 warnings: list[str] | None = None) -> list[Path]:
    """Write the report as PNG and, beside it, as a one-page PDF; returns both paths."""
    png = Path(path).with_suffix(".png")
    png.parent.mkdir(parents=True, exist_ok=True)
    image = draw_report(profile, rows, warnings=warnings)
    image.save(png)
    pdf = png.with_suffix(".pdf")
    image.save(pdf, "PDF", resolution=100.0)
    return [png, pdf]
