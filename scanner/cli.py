"""The `authscan` command line: one subcommand per module in `scanner.commands`."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

# Each module has `register(subparsers)`, which adds a parser whose default `func` runs it.
COMMANDS = ("scan", "mrz", "specimens", "demo", "simulate_reader", "serve", "users", "audit",
            "calibrate", "desk")


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="authscan",
        description="Check travel documents under white, infrared and UV light.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"scanner.commands.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `authscan` console script; returns the exit status."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        status: int = args.func(args)
    except KeyboardInterrupt:
        print("authscan: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 141
    return status


if __name__ == "__main__":
    sys.exit(main())
