"""`authscan mrz IMAGE... [--json]`: locate, read and validate the MRZ in page images."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, UnidentifiedImageError

from scanner.mrz.parse import parse_mrz

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `mrz` subcommand."""
    parser = sub.add_parser("mrz", help="read and validate the MRZ in page images",
                            description="Locate, read and validate the MRZ in each image.")
    parser.add_argument("images", nargs="+", metavar="IMAGE", type=Path,
                        help="page image (PNG, TIFF, JPEG; RGB or grey, 8 or 16 bit)")
    parser.add_argument("--json", action="store_true", help="one JSON object per image and line")
    parser.add_argument("--as-of", type=date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                        help="judge dates as of this day (default: today)")
    parser.add_argument("--dpi", type=float, default=None, help="image resolution, if known")
    parser.set_defaults(func=run)


def _load(path: Path) -> Any:
    """The image as a numpy array (grey, 16-bit grey or RGB)."""
    try:
        with Image.open(path) as image:
            if image.mode in ("I;16", "I;16B", "I;16L", "I"):
                return np.asarray(image, dtype=np.uint32).clip(0, 65535).astype(np.uint16)
            return np.asarray(image.convert("L" if image.mode in ("1", "L", "LA") else "RGB"))
    except (OSError, UnidentifiedImageError, ValueError) as err:
        raise ValueError(f"{path}: cannot load image: {err}") from err


def _text(path: Path, result: dict[str, Any]) -> str:
    """A readable report of one image."""
    out = [f"{path}:"]
    if result["lines"] is None:
        return f"{path}: no MRZ found"
    out.append(f"  format: {result['format'] or 'unknown'}   valid: {result['valid']}"
               f"   rotation: {result['rotation']}")
    out += [f"  {line}" for line in result["lines"]]
    for check in result["checks"]:
        mark = "ok" if check["ok"] else "WRONG"
        out.append(f"  check {check['field']}: read {check['read']} expected"
                   f" {check['expected']} {mark}")
    for fix in result["corrections"]:
        out.append(f"  corrected line {fix['line'] + 1} position {fix['position'] + 1}:"
                   f" {fix['read']} -> {fix['corrected']}")
    out += [f"  problem: {p}" for p in result["problems"]]
    return "\n".join(out)


def run(args: argparse.Namespace) -> int:
    """Analyse every image; exit 1 if any image could not be loaded."""
    from scanner.mrz.read import read_mrz  # noqa: PLC0415 - cv2 only for this command

    status = 0
    for path in args.images:
        try:
            image = _load(path)
        except ValueError as err:
            print(f"authscan mrz: {err}", file=sys.stderr)
            status = 1
            continue
        reading = read_mrz(image, dpi=args.dpi)
        result: dict[str, Any] = {"path": str(path), "format": None, "lines": None,
                                  "valid": False, "fields": {}, "checks": [],
                                  "corrections": [], "problems": ["no MRZ found"],
                                  "rotation": None}
        if reading is not None:
            parsed = parse_mrz(reading.lines, as_of=args.as_of)
            result.update(parsed.to_json())
            result["rotation"] = reading.rotation
            result["box"] = list(reading.box)
        log.info("image %d: MRZ %s", args.images.index(path) + 1,
                 "found" if reading is not None else "not found")
        print(json.dumps(result) if args.json else _text(path, result), flush=True)
    return status
