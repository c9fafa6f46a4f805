"""Helpers of the API tests: a daemon's services on a temp SQLite store, users and tokens."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from scanner.service.readers import reader_factory
from scanner.service.services import Services
from scanner.store import Store, users
from scanner.store.crypto import ImageCipher

PASSWORD = "s3cret-password"
ROLE_USERS = {"clerk": "carla", "reviewer": "rolf", "admin": "ada"}


def make_services(tmp_path: Path, targets: list[str] | None = None,
                  forgery: str | None = "counterfeit_copy") -> Services:
    """Services on SQLite with the simulated reader at 200 dpi and one user per role."""
    store = Store(f"sqlite:///{tmp_path / 'authscan.db'}")
    store.migrate()
    services = Services(store=store, cipher=ImageCipher(bytes(range(32))),
                        readers=reader_factory(f"sim:?dpi=200&forgery={forgery}" if forgery
                                               else "sim:?dpi=200"),
                        targets=targets or [])
    with store.write() as session:
        for role, name in ROLE_USERS.items():
            users.create_user(session, name, role, PASSWORD, services.clock())
    return services


def token_for(services: Services, role: str) -> str:
    """A fresh token of the user with `role` (without the argon2 cost of a login)."""
    with services.store.write() as session:
        user = next(u for u in users.list_users(session) if u.username == ROLE_USERS[role])
        token, _ = users.issue_token(session, user, services.clock(), timedelta(hours=1))
    return token


def auth(token: str) -> dict[str, str]:
    """The Authorization header."""
    return {"Authorization": f"Bearer {token}"}
