"""Retention: images go a set time after the case file acknowledged them; results lose PII."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from scanner.store import audit
from scanner.store.models import OutboxItem, ReviewDecision, ReviewItem, Scan, ScanImage
from scanner.store.scans import strip_personal

log = logging.getLogger(__name__)


def _ready(session: Session, scan: Scan, cutoff: datetime) -> bool:
    rows = session.execute(select(OutboxItem.state, OutboxItem.delivered_at)
                           .where(OutboxItem.scan_id == scan.id)).all()
    if any(state != "delivered" for state, _ in rows):
        return False
    acknowledged = max((at for _, at in rows if at is not None), default=scan.created_at)
    if acknowledged > cutoff:
        return False
    open_review = session.scalar(
        select(func.count()).select_from(ReviewItem).where(
            ReviewItem.scan_id == scan.id,
            ReviewItem.scan_id.not_in(select(ReviewDecision.scan_id))))
    return not open_review


def sweep(session: Session, now: datetime, image_days: float) -> int:
    """Purge images and personal data of scans past retention; returns how many."""
    cutoff = now - timedelta(days=image_days)
    candidates = session.scalars(select(Scan).where(Scan.images_purged_at.is_(None),
                                                    Scan.created_at <= cutoff))
    purged = 0
    for scan in list(candidates):
        if not _ready(session, scan, cutoff):
            continue
        session.execute(delete(ScanImage).where(ScanImage.scan_id == scan.id))
        scan.result = strip_personal(scan.result)
        scan.images_purged_at = now
        audit.append(session, now, "retention", "scan.purge", scan_id=scan.id)
        purged += 1
    if purged:
        log.info("retention purged the images of %s scans", purged)
    return purged
