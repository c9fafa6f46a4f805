"""Outbox rows: due items, acknowledgements, retries with back-off, dead letters."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from scanner.store import audit
from scanner.store.models import OutboxItem

STATES = ("pending", "delivered", "dead")


class OutboxError(Exception):
    """An outbox row cannot be changed as asked."""


def due(session: Session, now: datetime, limit: int = 10) -> list[OutboxItem]:
    """Pending rows whose next attempt is due, oldest first."""
    return list(session.scalars(
        select(OutboxItem).where(OutboxItem.state == "pending",
                                 OutboxItem.next_attempt_at <= now)
        .order_by(OutboxItem.next_attempt_at, OutboxItem.created_at).limit(limit)))


def mark_delivered(session: Session, item_id: str, now: datetime) -> None:
    """The target acknowledged the case file (2xx or the file is in place)."""
    item = session.get(OutboxItem, item_id)
    if item is None or item.state != "pending":
        return
    item.state, item.delivered_at, item.last_error = "delivered", now, None
    item.attempts += 1
    audit.append(session, now, "outbox", "casefile.delivered", scan_id=item.scan_id,
                 detail=f"target={item.target}")


def mark_failed(session: Session, item_id: str, error: str, now: datetime, *,
                max_attempts: int, base_s: float, max_s: float) -> OutboxItem | None:
    """Count a failed attempt; schedule the next with exponential back-off or go dead."""
    item = session.get(OutboxItem, item_id)
    if item is None or item.state != "pending":
        return item
    item.attempts += 1
    item.last_error = error[:500]
    if item.attempts >= max_attempts:
        item.state = "dead"
        audit.append(session, now, "outbox", "casefile.dead", scan_id=item.scan_id,
                     detail=f"target={item.target} attempts={item.attempts}")
    else:
        delay = min(base_s * 2 ** (item.attempts - 1), max_s)
        item.next_attempt_at = now + timedelta(seconds=delay)
    return item


def listing(session: Session, state: str | None = None, limit: int = 200) -> list[OutboxItem]:
    """Rows in one state (or all), newest first."""
    query = select(OutboxItem).order_by(OutboxItem.created_at.desc()).limit(limit)
    if state is not None:
        query = query.where(OutboxItem.state == state)
    return list(session.scalars(query))


def requeue(session: Session, item_id: str, actor: str, now: datetime) -> OutboxItem:
    """Give a dead row a fresh set of attempts."""
    item = session.get(OutboxItem, item_id)
    if item is None:
        raise OutboxError("no such outbox row")
    if item.state != "dead":
        raise OutboxError(f"only dead rows can be re-queued; this one is {item.state}")
    item.state, item.attempts, item.next_attempt_at = "pending", 0, now
    audit.append(session, now, actor, "casefile.requeue", scan_id=item.scan_id,
                 detail=f"target={item.target}")
    return item
