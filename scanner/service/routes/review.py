"""The fraud desk's review queue: list, claim, decide with a written reason."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field

from scanner.service.auth import Reviewer, ReviewerOrAdmin, ServicesDep
from scanner.store import review

router = APIRouter(prefix="/api/review", tags=["review"])


class DecisionRequest(BaseModel):
    """A reviewer's decision; the reason is mandatory."""

    decision: Literal["genuine", "forged", "undetermined"]
    reason: str = Field(min_length=3, max_length=4000)


@router.get("")
def queue(user: ReviewerOrAdmin, services: ServicesDep,
          include_decided: bool = False) -> list[dict[str, Any]]:
    """Open items, high severity first."""
    with services.store.session() as session:
        return [{"scan_id": i.scan_id, "severity": i.severity,
                 "created_at": i.created_at.isoformat(), "claimed_by": i.claimed_by}
                for i in review.queue(session, include_decided)]


@router.post("/{scan_id}/claim")
def claim(scan_id: str, user: Reviewer, services: ServicesDep) -> dict[str, Any]:
    """Take an item; 409 when another reviewer has it."""
    with services.store.write() as session:
        try:
            item = review.claim(session, scan_id, user, services.clock())
        except review.ReviewError as err:
            raise HTTPException(409, str(err)) from err
        return {"scan_id": item.scan_id, "claimed_by": user.username}


@router.post("/{scan_id}/decision", status_code=201)
def decide(scan_id: str, body: DecisionRequest, user: Reviewer,
           services: ServicesDep) -> dict[str, Any]:
    """Record a decision; an earlier one stays and is superseded."""
    with services.store.write() as session:
        try:
            row = review.decide(session, scan_id, user, decision=body.decision,
                                reason=body.reason, now=services.clock())
        except review.ReviewError as err:
            raise HTTPException(409, str(err)) from err
        return {"id": row.id, "scan_id": scan_id, "decision": row.decision}


@router.get("/{scan_id}/decisions")
def history(scan_id: str, user: ReviewerOrAdmin, services: ServicesDep) -> list[dict[str, Any]]:
    """Every decision on a scan, superseded ones included."""
    with services.store.session() as session:
        return [{"id": d.id, "decision": d.decision, "reason": d.reason,
                 "reviewer_id": d.reviewer_id, "decided_at": d.decided_at.isoformat()}
                for d in review.decisions(session, scan_id)]
