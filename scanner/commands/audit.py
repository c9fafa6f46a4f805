"""`authscan audit verify`: walk the audit log's hash chain; exit 1 on a break."""

from __future__ import annotations

import argparse
import sys

from scanner.commands.serve import settings_from_args
from scanner.store import Store, audit


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `audit` command."""
    parser = sub.add_parser("audit", help="check the audit log")
    parser.add_argument("--config", metavar="FILE", help="TOML config file")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    verify = actions.add_parser("verify", help="report changed or deleted rows (exit 1)")
    verify.add_argument("--config", metavar="FILE", help="TOML config file",
                        default=argparse.SUPPRESS)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Verify the chain of the configured store."""
    settings = settings_from_args(args)
    if settings is None:
        return 2
    store = Store(settings.store_url())
    with store.session() as session:
        count, problems = audit.verify(session)
    store.dispose()
    if not problems:
        print(f"audit log OK: {count} rows, chain intact")
        return 0
    for problem in problems:
        print(f"authscan: {problem}", file=sys.stderr)
    print(f"audit log BROKEN: {len(problems)} problem(s) in {count} rows")
    return 1
