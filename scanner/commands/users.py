"""`authscan users add NAME --role ROLE` and `authscan users list`."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from scanner.commands.serve import settings_from_args
from scanner.store import Store, audit, users
from scanner.store.models import ROLES


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `users` command."""
    parser = sub.add_parser("users", help="create and list users of the daemon")
    parser.add_argument("--config", metavar="FILE", help="TOML config file")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="create a user (the first admin too)")
    add.add_argument("name")
    add.add_argument("--role", choices=ROLES, required=True)
    add.add_argument("--password-file", metavar="FILE",
                     help="read the password from FILE (default: prompt twice)")
    actions.add_parser("list", help="list users and roles")
    parser.set_defaults(func=run)


def _password(args: argparse.Namespace) -> str | None:
    if args.password_file:
        return Path(args.password_file).read_text(encoding="utf-8").rstrip("\n")
    first = getpass.getpass(f"password for {args.name}: ")
    if getpass.getpass("again: ") != first:
        print("authscan: the passwords differ", file=sys.stderr)
        return None
    return first


def run(args: argparse.Namespace) -> int:
    """Create or list users in the configured store."""
    settings = settings_from_args(args)
    if settings is None:
        return 2
    store = Store(settings.store_url())
    store.migrate()
    from scanner.service.services import utc_now  # noqa: PLC0415

    if args.action == "list":
        with store.session() as session:
            for user in users.list_users(session):
                print(f"{user.username}\t{user.role}{'  (disabled)' if user.disabled else ''}")
        return 0
    password = _password(args)
    if password is None:
        return 1
    try:
        with store.write() as session:
            created = users.create_user(session, args.name, args.role, password, utc_now())
            audit.append(session, utc_now(), "cli", "user.create",
                         detail=f"user_id={created.id} role={created.role}")
    except users.UserError as err:
        print(f"authscan: {err}", file=sys.stderr)
        return 1
    print(f"created {args.role} {args.name}")
    return 0
