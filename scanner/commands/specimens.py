"""`authscan specimens generate`: write UTO specimen capture folders with ground-truth labels."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

MODELS = ("UTO-P", "UTO-V")
FORGERIES = ("counterfeit_copy", "mrz_altered", "photo_substituted", "uv_feature_missing",
             "stamp_reproduced", "stamp_fake_rubber", "stamp_duplicated")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `specimens generate` to the `authscan` command line."""
    parser = sub.add_parser("specimens", help="UTO specimen documents (synthetic test captures)",
                            description="UTO specimen documents: synthetic captures with labels.")
    actions = parser.add_subparsers(dest="specimens_command", required=True, metavar="ACTION")
    gen = actions.add_parser("generate", help="render specimen capture folders",
                             description="Render UTO specimen captures (white, IR, UV, "
                                         "capture.json, label.json) into DIR.")
    gen.add_argument("--out", required=True, type=Path, metavar="DIR",
                     help="output folder (created; capture folders go inside)")
    gen.add_argument("--count", type=int, default=10, help="number of captures (default 10)")
    gen.add_argument("--seed", type=int, default=0, help="first seed (default 0)")
    gen.add_argument("--model", help=f"document model: {', '.join(MODELS)} (default: mixed)")
    gen.add_argument("--forgery", help=f"forgery type: {', '.join(FORGERIES)} "
                                       "(default: genuine pages)")
    gen.add_argument("--mix", action="store_true",
                     help="about half genuine, half forged pages")
    gen.add_argument("--dpi", type=int, default=400, help="resolution (default 400; 300 works)")
    gen.set_defaults(func=run)


def _fail(message: str) -> int:
    print(f"authscan specimens: error: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    """Generate the captures; exit 0, or 2 with one clear line on a bad option or folder."""
    if args.model is not None and args.model not in MODELS:
        return _fail(f"unknown model {args.model!r}; choose one of {', '.join(MODELS)}")
    if args.forgery is not None and args.forgery not in FORGERIES:
        return _fail(f"unknown forgery {args.forgery!r}; choose one of {', '.join(FORGERIES)}")
    if args.count < 1:
        return _fail(f"--count must be at least 1, got {args.count}")
    if not 100 <= args.dpi <= 1200:
        return _fail(f"--dpi must be between 100 and 1200, got {args.dpi}")
    out: Path = args.out
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".authscan-write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as err:
        return _fail(f"cannot write to output folder {out}: {err.strerror or err}")

    # imported here: the renderer pulls in cv2, which other commands' start-up does not need
    from drivers.capture import CaptureError  # noqa: PLC0415
    from drivers.specimen import generate  # noqa: PLC0415

    def progress(done: int, total: int) -> None:
        prefix = f"{done:04d}-"
        name = next((p.name for p in sorted(out.iterdir()) if p.name.startswith(prefix)), prefix)
        print(f"[{done}/{total}] {name}", file=sys.stderr, flush=True)

    try:
        generate(out, count=args.count, seed=args.seed, model=args.model, forgery=args.forgery,
                 dpi=args.dpi, mix=args.mix, progress=progress)
    except ValueError as err:
        return _fail(str(err))
    except CaptureError as err:
        return _fail(str(err))
    except OSError as err:
        return _fail(f"cannot write to output folder {out}: {err.strerror or err}")
    print(out)
    return 0
