"""The review queue: flagged scans by severity, claims and append-only decisions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from scanner.store import audit
from scanner.store.models import DECISIONS, ReviewDecision, ReviewItem, User


class ReviewError(Exception):
    """A claim or decision is not possible as asked."""


def latest_decision(session: Session, scan_id: str) -> ReviewDecision | None:
    """The decision that counts now (the newest)."""
    return session.scalars(select(ReviewDecision).where(ReviewDecision.scan_id == scan_id)
                           .order_by(ReviewDecision.id.desc()).limit(1)).first()


def decisions(session: Session, scan_id: str) -> list[ReviewDecision]:
    """Every decision on a scan, oldest first (superseded ones included)."""
    return list(session.scalars(select(ReviewDecision).where(ReviewDecision.scan_id == scan_id)
                                .order_by(ReviewDecision.id)))


def queue(session: Session, include_decided: bool = False) -> list[ReviewItem]:
    """Open items, high severity first, oldest first within a severity."""
    order = case((ReviewItem.severity == "high", 0), else_=1)
    query = select(ReviewItem).order_by(order, ReviewItem.created_at)
    if not include_decided:
        decided = select(ReviewDecision.scan_id)
        query = query.where(ReviewItem.scan_id.not_in(decided))
    return list(session.scalars(query))


def claim(session: Session, scan_id: str, user: User, now: datetime) -> ReviewItem:
    """The reviewer takes the item; another reviewer's claim is refused."""
    item = session.get(ReviewItem, scan_id)
    if item is None:
        raise ReviewError("this scan is not in the review queue")
    if item.claimed_by not in (None, user.id):
        raise ReviewError("another reviewer has claimed this scan")
    item.claimed_by, item.claimed_at = user.id, now
    audit.append(session, now, user.username, "review.claim", scan_id=scan_id)
    return item


def decide(session: Session, scan_id: str, user: User, *, decision: str, reason: str,
           now: datetime) -> ReviewDecision:
    """Record a decision with its written reason; an earlier decision stays, superseded."""
    if decision not in DECISIONS:
        raise ReviewError(f"decision must be one of {', '.join(DECISIONS)}")
    if len(reason.strip()) < 3:
        raise ReviewError("a decision needs a written reason")
    item = session.get(ReviewItem, scan_id)
    if item is None:
        raise ReviewError("this scan is not in the review queue")
    if item.claimed_by != user.id:
        raise ReviewError("claim the scan before deciding it")
    row = ReviewDecision(scan_id=scan_id, reviewer_id=user.id, decision=decision,
                         reason=reason.strip(), decided_at=now)
    session.add(row)
    session.flush()
    audit.append(session, now, user.username, "review.decide", scan_id=scan_id,
                 detail=f"decision={decision}")
    return row
