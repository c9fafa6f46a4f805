"""A contact sheet of scans: one tile per capture, in the light that shows the problem.

Each tile shows the capture in the light of its most important failed check (white light when
nothing failed), the evidence boxes of failed and undetermined checks, and a band in BSI
TR-03135's traffic-light colours with the verdict and the main reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from drivers.capture import Capture

COLOURS = {"pass": (0, 140, 60), "review": (230, 170, 0), "fail": (200, 30, 30)}
BOX_COLOURS = {"failed": (255, 40, 40), "undetermined": (255, 200, 0)}
TILE_WIDTH = 420
_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(_FONT, size)
    except OSError:
        return ImageFont.load_default()


def _light_image(capture: Capture, light: str) -> Image.Image:
    if light == "ir":
        ir = capture.ir if capture.ir.dtype == np.uint8 else (capture.ir // 257).astype(np.uint8)
        return Image.fromarray(ir).convert("RGB")
    data = capture.uv if light == "uv" else capture.white
    if light == "uv":  # UV emission is dim: stretch it so that a person can see it
        data = np.clip(data.astype(np.float32) * 2.5, 0, 255).astype(np.uint8)
    return Image.fromarray(data)


def tile(capture: Capture, result: dict[str, Any], caption: str, lang: str = "en") -> Image.Image:
    """One capture as a picture with its evidence and verdict."""
    reasons = result.get("reasons") or []
    light = next((c["light"] for c in result["checks"] if c["status"] == "failed"
                  and c["light"] in ("white", "ir", "uv")), "white")
    image = _light_image(capture, light)
    scale = TILE_WIDTH / image.width
    image = image.resize((TILE_WIDTH, round(image.height * scale)), Image.Resampling.BILINEAR)
    draw = ImageDraw.Draw(image)
    for check in result["checks"]:
        colour = BOX_COLOURS.get(check["status"])
        if colour and check.get("region"):
            x, y, w, h = (v * scale for v in check["region"])
            draw.rectangle([x, y, x + w, y + h], outline=colour, width=3)
    band = 58
    sheet = Image.new("RGB", (TILE_WIDTH, image.height + band), "white")
    sheet.paste(image, (0, band))
    draw = ImageDraw.Draw(sheet)
    verdict = result["verdict"]
    draw.rectangle([0, 0, TILE_WIDTH, band - 2], fill=COLOURS[verdict])
    words = {"de": {"pass": "ECHT", "review": "PRÜFEN", "fail": "FALSCH"}}.get(
        lang, {"pass": "PASS", "review": "REVIEW", "fail": "FAIL"})
    draw.text((8, 4), f"{words[verdict]}  ·  {caption}", fill="white", font=_font(17))
    if reasons:
        text = reasons[0]["reason_de" if lang == "de" else "reason"]
        draw.text((8, 30), text[:60] + ("…" if len(text) > 60 else ""), fill="white",
                  font=_font(13))
    draw.text((8, band + 4), light.upper(), fill=(255, 255, 255), font=_font(14),
              stroke_width=2, stroke_fill=(0, 0, 0))
    return sheet


def contact_sheet(tiles: Sequence[Image.Image], columns: int = 4) -> Image.Image:
    """Tiles in a grid."""
    columns = max(1, min(columns, len(tiles)))
    rows = -(-len(tiles) // columns)
    height = max(t.height for t in tiles)
    sheet = Image.new("RGB", (columns * (TILE_WIDTH + 8) + 8, rows * (height + 8) + 8),
                      (235, 235, 235))
    for i, picture in enumerate(tiles):
        sheet.paste(picture, (8 + (i % columns) * (TILE_WIDTH + 8),
                              8 + (i // columns) * (height + 8)))
    return sheet


def save_overview(tiles: Sequence[Image.Image], path: Path) -> Path:
    """Write the contact sheet as PNG."""
    contact_sheet(tiles).save(path)
    return path
