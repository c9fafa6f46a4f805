"""What the desk needs beyond the core API: document models, a scan's delivery and history."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy import select

from scanner.service.auth import AnyUser, ReviewerOrAdmin, ServicesDep
from scanner.store import audit
from scanner.store.models import OutboxItem

router = APIRouter(prefix="/api", tags=["desk"])


@router.get("/models")
def models(user: AnyUser) -> list[dict[str, Any]]:
    """The document models: regions and how each must look under white, IR and UV."""
    from scanner.document_models import load_models  # noqa: PLC0415 - only when asked

    return [m.model_dump(mode="json") for m in load_models()]


@router.get("/scans/{scan_id}/delivery")
def delivery(scan_id: str, user: AnyUser, services: ServicesDep) -> list[dict[str, Any]]:
    """The case-file delivery state of one scan, per target (no personal data)."""
    with services.store.session() as session:
        rows = session.scalars(select(OutboxItem).where(OutboxItem.scan_id == scan_id)
                               .order_by(OutboxItem.target))
        return [{"id": i.id, "target": i.target, "state": i.state, "attempts": i.attempts,
                 "last_error": i.last_error,
                 "delivered_at": i.delivered_at.isoformat() if i.delivered_at else None}
                for i in rows]


@router.get("/scans/{scan_id}/history")
def history(scan_id: str, user: ReviewerOrAdmin, services: ServicesDep,
            ) -> list[dict[str, Any]]:
    """The audit rows of one scan, newest first, for the fraud desk."""
    with services.store.session() as session:
        return [{"seq": e.seq, "at": e.at.isoformat(), "actor": e.actor, "action": e.action,
                 "detail": e.detail} for e in audit.entries(session, scan_id, 500)]
