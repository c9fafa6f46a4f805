"""Users with argon2 password hashes and expiring bearer tokens stored as hashes."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from scanner.store.models import ROLES, Token, User

_hasher = PasswordHasher()
# Verified when the user is unknown, so that a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("authscan-no-such-user")


class UserError(Exception):
    """A user cannot be created or changed as asked."""


def create_user(session: Session, username: str, role: str, password: str,
                now: datetime) -> User:
    """Add a user; the name must be new and the role one of clerk, reviewer, admin."""
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}, got {role!r}")
    if not username or len(username) > 64 or not username.isprintable():
        raise UserError("user names are 1-64 printable characters")
    if len(password) < 8:
        raise UserError("passwords need at least 8 characters")
    if session.scalars(select(User).where(User.username == username)).first():
        raise UserError(f"user {username!r} exists already")
    user = User(username=username, role=role, password_hash=_hasher.hash(password),
                created_at=now, disabled=False)
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The user when name and password match and the account is enabled."""
    user = session.scalars(select(User).where(User.username == username)).first()
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    return user if user is not None and not user.disabled else None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, user: User, now: datetime,
                ttl: timedelta) -> tuple[str, datetime]:
    """A new random bearer token (only its hash is stored) and its expiry."""
    token = secrets.token_urlsafe(32)
    expires = now + ttl
    session.add(Token(token_hash=_digest(token), user_id=user.id, expires_at=expires))
    session.execute(delete(Token).where(Token.expires_at < now))
    return token, expires


def resolve_token(session: Session, token: str, now: datetime) -> User | None:
    """The user a valid, unexpired token belongs to."""
    row = session.get(Token, _digest(token))
    if row is None or row.expires_at <= now:
        return None
    user = session.get(User, row.user_id)
    return user if user is not None and not user.disabled else None


def revoke_token(session: Session, token: str) -> None:
    """Forget a token (logout)."""
    session.execute(delete(Token).where(Token.token_hash == _digest(token)))


def list_users(session: Session) -> list[User]:
    """Every user, by name."""
    return list(session.scalars(select(User).order_by(User.username)))
