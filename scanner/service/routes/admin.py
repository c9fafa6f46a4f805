"""Admin: users, the case-file outbox (dead letters, re-queue) and the audit log."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field

from scanner.service.auth import Admin, ServicesDep
from scanner.store import audit, outbox, users

router = APIRouter(prefix="/api", tags=["admin"])


class NewUser(BaseModel):
    """A user to create."""

    username: str = Field(min_length=1, max_length=64)
    role: Literal["clerk", "reviewer", "admin"]
    password: str = Field(min_length=8)


@router.get("/users")
def list_users(user: Admin, services: ServicesDep) -> list[dict[str, Any]]:
    """Every user with role."""
    with services.store.session() as session:
        return [{"id": u.id, "username": u.username, "role": u.role, "disabled": u.disabled}
                for u in users.list_users(session)]


@router.post("/users", status_code=201)
def add_user(body: NewUser, user: Admin, services: ServicesDep) -> dict[str, Any]:
    """Create a user."""
    with services.store.write() as session:
        try:
            created = users.create_user(session, body.username, body.role, body.password,
                                        services.clock())
        except users.UserError as err:
            raise HTTPException(409, str(err)) from err
        audit.append(session, services.clock(), user.username, "user.create",
                     detail=f"user_id={created.id} role={created.role}")
        return {"id": created.id, "username": created.username, "role": created.role}


@router.get("/outbox")
def list_outbox(user: Admin, services: ServicesDep,
                state: Literal["pending", "delivered", "dead"] | None = None,
                ) -> list[dict[str, Any]]:
    """Outbox rows in one state (dead letters: `?state=dead`)."""
    with services.store.session() as session:
        return [{"id": i.id, "scan_id": i.scan_id, "target": i.target, "state": i.state,
                 "attempts": i.attempts, "next_attempt_at": i.next_attempt_at.isoformat(),
                 "last_error": i.last_error,
                 "delivered_at": i.delivered_at.isoformat() if i.delivered_at else None}
                for i in outbox.listing(session, state)]


@router.post("/outbox/{item_id}/requeue")
def requeue(item_id: str, user: Admin, services: ServicesDep) -> dict[str, Any]:
    """Give a dead letter a fresh set of attempts."""
    with services.store.write() as session:
        try:
            item = outbox.requeue(session, item_id, user.username, services.clock())
        except outbox.OutboxError as err:
            raise HTTPException(409, str(err)) from err
        state = item.state
    if services.outbox is not None:
        services.outbox.wake()
    return {"id": item_id, "state": state}


@router.get("/audit")
def audit_entries(user: Admin, services: ServicesDep, scan_id: str | None = None,
                  limit: int = 200) -> list[dict[str, Any]]:
    """The newest audit rows, optionally for one scan."""
    with services.store.session() as session:
        return [{"seq": e.seq, "at": e.at.isoformat(), "actor": e.actor, "action": e.action,
                 "scan_id": e.scan_id, "detail": e.detail, "hash": e.hash}
                for e in audit.entries(session, scan_id, min(limit, 5000))]


@router.get("/audit/verify")
def audit_verify(user: Admin, services: ServicesDep) -> dict[str, Any]:
    """Walk the hash chain; list changed and deleted rows."""
    with services.store.session() as session:
        count, problems = audit.verify(session)
    return {"rows": count, "ok": not problems, "problems": [str(p) for p in problems]}
