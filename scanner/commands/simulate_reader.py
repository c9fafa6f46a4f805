"""`authscan simulate-reader`: a simulated full-page reader on a pseudo-terminal."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from drivers.faults import FAULTS, parse_faults
from drivers.pages import MODELS, FolderPages, PageSource, SpecimenPages


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `simulate-reader` to the `authscan` command line."""
    parser = sub.add_parser(
        "simulate-reader", help="serve a simulated reader on a pty (prints its device path)",
        description="Serve the reader protocol (docs/reader-protocol.md) on a pseudo-terminal "
                    "until Ctrl-C; open it with --device serial:///dev/pts/N.")
    parser.add_argument("--source", default="specimens",
                        help="`specimens` (render UTO pages) or a folder of capture folders")
    parser.add_argument("--model", default="UTO-P", choices=MODELS, help="document model")
    parser.add_argument("--forgery", default=None, help="forgery type (default: genuine)")
    parser.add_argument("--seed", type=int, default=0, help="first specimen seed (default 0)")
    parser.add_argument("--dpi", type=int, default=400, help="resolution (default 400)")
    parser.add_argument("--encoding", choices=("raw", "png"), default="raw",
                        help="image encoding on the wire (default raw)")
    parser.add_argument("--fault", action="append", default=[], metavar="FAULT[:VALUE]",
                        help=f"inject a fault, repeatable: {', '.join(FAULTS)}")
    parser.set_defaults(func=run)


def _fail(message: str) -> int:
    print(f"authscan simulate-reader: error: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted; exit 0, or 2 with one clear line on a bad option."""
    from drivers.capture import CaptureError  # noqa: PLC0415
    from drivers.simulator import ReaderSimulator  # noqa: PLC0415

    try:
        faults = parse_faults(args.fault)
        pages: PageSource
        if args.source == "specimens":
            pages = SpecimenPages(args.seed, args.model, args.forgery, args.dpi,
                                  faults.conditions())
        else:
            pages = FolderPages(Path(args.source))
        sim = ReaderSimulator(pages, faults, encoding=args.encoding,
                              on_port=lambda port: print(port, flush=True))
        sim.start()
    except (ValueError, CaptureError) as err:
        return _fail(str(err))
    done = threading.Event()

    def stop(_signum: int, _frame: FrameType | None) -> None:
        done.set()

    signal.signal(signal.SIGTERM, stop)
    try:
        while not done.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        sim.stop()
    return 0
