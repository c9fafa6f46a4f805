"""The tables of the appliance: users, tokens, scans, images, review, audit, outbox."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

ROLES = ("clerk", "reviewer", "admin")
SEVERITIES = {"fail": "high", "review": "medium"}
DECISIONS = ("genuine", "forged", "undetermined")


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite would hand back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Store UTC; naive values are refused rather than guessed."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Hand back aware UTC."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base of every authscan table."""


class User(Base):
    """A person who logs in: clerk, reviewer or admin."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    disabled: Mapped[bool] = mapped_column(default=False)


class Token(Base):
    """A login token, stored only as its SHA-256 hash."""

    __tablename__ = "tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Scan(Base):
    """One analysed capture: the engine's result and where it came from."""

    __tablename__ = "scans"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    captured_at: Mapped[datetime] = mapped_column(UtcDateTime())
    verdict: Mapped[str] = mapped_column(String(16))
    model: Mapped[str | None] = mapped_column(String(32))
    device: Mapped[str] = mapped_column(String(128))
    case_ref: Mapped[str | None] = mapped_column(String(128))
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    origin: Mapped[str] = mapped_column(String(64), default="local")
    result: Mapped[dict[str, object]] = mapped_column(JSON)
    images_purged_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class ScanImage(Base):
    """One light of a scan as PNG, AES-GCM encrypted (nonce + ciphertext)."""

    __tablename__ = "scan_images"
    scan_id: Mapped[str] = mapped_column(ForeignKey("scans.id"), primary_key=True)
    light: Mapped[str] = mapped_column(String(8), primary_key=True)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)


class ReviewItem(Base):
    """A flagged scan in the fraud desk's queue."""

    __tablename__ = "review_items"
    scan_id: Mapped[str] = mapped_column(ForeignKey("scans.id"), primary_key=True)
    severity: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    claimed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class ReviewDecision(Base):
    """A reviewer's decision; never updated, a later row supersedes it."""

    __tablename__ = "review_decisions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scan_id: Mapped[str] = mapped_column(ForeignKey("scans.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decision: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime())


class AuditEntry(Base):
    """One hash-chained audit row: who did what to which scan; no personal data."""

    __tablename__ = "audit_log"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    scan_id: Mapped[str | None] = mapped_column(String(32), index=True)
    detail: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class OutboxItem(Base):
    """A case file waiting for (or done with) delivery to one target."""

    __tablename__ = "outbox"
    __table_args__ = (UniqueConstraint("scan_id", "target"),
                      Index("ix_outbox_due", "state", "next_attempt_at"))
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    scan_id: Mapped[str] = mapped_column(ForeignKey("scans.id"))
    target: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
