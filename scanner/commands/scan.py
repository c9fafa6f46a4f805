"""`authscan scan PATH... [--json]`: analyse capture folders and print their verdicts."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from drivers.capture import Capture, CaptureError, read_capture, write_capture
from scanner.page import PageNotFound
from scanner.pipeline import ScanResult, scan_capture

_SYMBOLS = {"passed": "✔", "failed": "✘", "undetermined": "?", "not_performed": "–",
            "aborted": "■"}
_VERDICT_WORDS = {"en": {"pass": "PASS", "review": "REVIEW", "fail": "FAIL"},
                  "de": {"pass": "ECHT", "review": "PRÜFEN", "fail": "FALSCH"}}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `scan` command."""
    parser = sub.add_parser("scan", help="analyse capture folders and give verdicts",
                            description="Analyse authscan-capture/1 folders: page, MRZ, "
                            "optical checks, verdict.")
    parser.add_argument("paths", nargs="*", metavar="PATH", help="capture folder")
    parser.add_argument("--device", metavar="URL", action="append", default=[],
                        help="capture from a reader first, e.g. sim:, serial:///dev/pts/5, "
                        "serial://usb/VID:PID/SERIAL, folder:///path (repeatable)")
    parser.add_argument("--save", metavar="DIR", type=Path,
                        help="keep each device capture as a capture folder in DIR")
    parser.add_argument("--json", action="store_true",
                        help="one JSON object per line and capture, in order")
    parser.add_argument("--profiles", type=Path, metavar="DIR",
                        help="calibration profiles (from authscan calibrate): apply the reader's "
                        "profile; checks it no longer covers become undetermined")
    parser.add_argument("--data", type=Path, metavar="DIR",
                        help="data folder: health.csv records each scan's light levels, "
                        "stamps.sqlite the stamp fingerprints to find an impression seen before")
    parser.add_argument("--lang", choices=("de", "en"), default=default_language(),
                        help="language of the reasons (default: from LANG)")
    parser.set_defaults(func=run)


def default_language() -> str:
    """German where the locale is German, else English."""
    return "de" if os.environ.get("LANG", "").lower().startswith("de") else "en"


def reason_of(entry: dict[str, Any], lang: str) -> str:
    """The reason of a check or verdict entry in the chosen language."""
    return str(entry["reason_de"] if lang == "de" else entry["reason"])


def format_human(result: dict[str, Any], lang: str) -> str:
    """What a clerk wants to read: verdict, model, main reasons, then each check."""
    words = _VERDICT_WORDS[lang]
    model = result["document"]["model"] or ("unbekannt" if lang == "de" else "unknown")
    lines = [f"{result['path']}: {words[result['verdict']]}  ({model}, "
             f"{result['timings_ms']['total']:.0f} ms)"]
    lines += [f"    {'Grund' if lang == 'de' else 'reason'}: {reason_of(r, lang)}"
              for r in result["reasons"][:3]]
    for check in result["checks"]:
        lines.append(f"    {_SYMBOLS[check['status']]} {check['id']:<18} {reason_of(check, lang)}")
    return "\n".join(lines)


def _capture_from(url: str, save: Path | None) -> Capture:
    """One capture from the reader a URL names; kept as a folder in `save` if given."""
    from drivers.registry import open_reader  # noqa: PLC0415

    reader = open_reader(url)
    try:
        capture = reader.capture()
    finally:
        reader.close()
    if save is not None:
        name = f"{datetime.now():%Y%m%d-%H%M%S-%f}"
        capture.path = write_capture(capture, save / name)
    return capture


def run(args: argparse.Namespace) -> int:
    """Capture from each device, then scan each path, in order; report bad inputs and go on."""
    from drivers.config import ReaderConfigError  # noqa: PLC0415
    from drivers.reader import ReaderError  # noqa: PLC0415

    if not args.paths and not args.device:
        print("authscan scan: give capture folders or --device URL", file=sys.stderr)
        return 2
    calibration = None
    if args.profiles is not None:
        from scanner.calibrated import CalibrationSetup  # noqa: PLC0415

        calibration = CalibrationSetup(args.profiles, args.data / "health.csv"
                                       if args.data is not None else None)
    history = None
    if args.data is not None:
        from scanner.stamp_history import StampHistory  # noqa: PLC0415

        args.data.mkdir(parents=True, exist_ok=True)
        history = StampHistory(args.data / "stamps.sqlite")
    status = 0
    jobs = [("device", url) for url in args.device] + [("path", path) for path in args.paths]
    for kind, source in jobs:
        try:
            capture = (_capture_from(source, args.save) if kind == "device"
                       else read_capture(source))
            result: ScanResult = scan_capture(
                capture, calibration=calibration, stamp_history=history,
                scan_id=f"{capture.device.serial}:{capture.captured_at.isoformat()}")
        except ReaderConfigError as err:
            print(f"authscan: {source}: {err}", file=sys.stderr)
            return 2
        except (CaptureError, PageNotFound, ReaderError) as err:
            print(f"authscan: {source}: {err}" if not isinstance(err, CaptureError)
                  else f"authscan: {err}", file=sys.stderr)
            status = 1
            continue
        document = result.to_json()
        document["path"] = result.path if kind == "device" and result.path else source
        if args.json:
            print(json.dumps(document, ensure_ascii=False), flush=True)
        else:
            print(format_human(document, args.lang), flush=True)
    return status
