"""`authscan desk`: start the PyQt6 desk (the `ui` package, which sits above `scanner`)."""

from __future__ import annotations

import argparse
import os
import sys


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `desk` command."""
    parser = sub.add_parser("desk", help="open the desk (clerk, fraud desk, admin)",
                            description="Open the desk application; it talks to the daemon "
                            "over its HTTP API only.")
    parser.add_argument("--url", default="http://127.0.0.1:8470", help="the daemon's base URL")
    parser.add_argument("--lang", choices=("de", "en"), default="de", help="language")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Replace this process with `python -m ui` (scanner may not import ui: layering)."""
    argv = [sys.executable, "-m", "ui", "--url", args.url, "--lang", args.lang]
    os.execv(sys.executable, argv)
    return 0  # not reached
