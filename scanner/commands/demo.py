"""`authscan demo`: render a mixed set of specimens, scan them, show how the verdicts fare."""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import datetime
from pathlib import Path

from scanner.commands.scan import default_language, reason_of

# (model, forgery) in the order the demo cycles through them: every kind of SPECIMENS.md
DEMO_KINDS: tuple[tuple[str, str | None], ...] = (
    ("UTO-P", None), ("UTO-P", "counterfeit_copy"), ("UTO-V", None), ("UTO-P", "mrz_altered"),
    ("UTO-V", "stamp_reproduced"), ("UTO-P", None), ("UTO-P", "photo_substituted"),
    ("UTO-V", "stamp_fake_rubber"), ("UTO-P", "uv_feature_missing"), ("UTO-V", None),
    ("UTO-V", "stamp_duplicated"), ("UTO-P", "mrz_altered"),
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `demo` command."""
    parser = sub.add_parser("demo", help="render specimens, scan them, count right and wrong")
    parser.add_argument("--count", type=int, default=12, help="captures to render (default 12)")
    parser.add_argument("--seed", type=int, default=None,
                        help="first seed (default: from the clock, so each run is new)")
    parser.add_argument("--out", type=Path, default=Path("demo-out"),
                        help="folder for the captures and results (default ./demo-out)")
    parser.add_argument("--dpi", type=int, default=400)
    parser.add_argument("--lang", choices=("de", "en"), default=default_language())
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Render, scan, print the table and the count."""
    from drivers.capture import write_capture  # noqa: PLC0415
    from drivers.specimen import render_specimen  # noqa: PLC0415
    from scanner.overview import save_overview, tile  # noqa: PLC0415
    from scanner.pipeline import scan_capture  # noqa: PLC0415

    seed = args.seed if args.seed is not None else int(time.time()) % 1_000_000
    folder = args.out / f"run-{datetime.now():%Y%m%d-%H%M%S}-seed{seed}"
    folder.mkdir(parents=True, exist_ok=False)
    de = args.lang == "de"
    print(f"authscan demo: {args.count} specimens from seed {seed} into {folder}",
          file=sys.stderr)
    header = ("Aufnahme", "Wahrheit", "Urteil", "Hauptgrund") if de else \
        ("capture", "truth", "verdict", "main reason")
    print(f"{header[0]:<32} {header[1]:<26} {header[2]:<7} {header[3]}")
    right = wrong = 0
    tiles = []
    with (folder / "results.jsonl").open("w", encoding="utf-8") as results:
        for i in range(args.count):
            model, forgery = DEMO_KINDS[i % len(DEMO_KINDS)]
            capture, label = render_specimen(seed + i, model=model, forgery=forgery,
                                             dpi=args.dpi)
            name = f"{i + 1:04d}-{model}-{forgery or 'genuine'}"
            capture.path = write_capture(capture, folder / name, extra={"label.json": label})
            result = scan_capture(capture).to_json()
            result["path"] = str(capture.path)
            results.write(json.dumps(result, ensure_ascii=False) + "\n")
            truth = forgery or ("echt" if de else "genuine")
            conditions = label.get("conditions")
            if isinstance(conditions, dict) and conditions.get("upside_down"):
                truth += " ⟲"
            is_right = (result["verdict"] == "pass") == (forgery is None)
            right, wrong = right + is_right, wrong + (not is_right)
            main = reason_of(result["reasons"][0], args.lang) if result["reasons"] else "–"
            mark = "" if is_right else ("  << FALSCH" if de else "  << WRONG")
            print(f"{name:<32} {truth:<26} {result['verdict']:<7} {main[:70]}{mark}",
                  flush=True)
            tiles.append(tile(capture, result, f"{i + 1}: {truth}", args.lang))
    overview = save_overview(tiles, folder / "overview.png")
    total = right + wrong
    print(f"\n{'richtig' if de else 'right'}: {right}/{total}   "
          f"{'falsch' if de else 'wrong'}: {wrong}/{total}   "
          f"({'Ergebnisse' if de else 'results'}: {folder / 'results.jsonl'}, "
          f"{'Übersicht' if de else 'overview'}: {overview})")
    return 0
