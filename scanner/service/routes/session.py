"""Login (expiring bearer tokens), logout, who am I."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel

from scanner.service.auth import AnyUser, ServicesDep, bearer_token
from scanner.store import audit, users

router = APIRouter(prefix="/api", tags=["session"])
log = logging.getLogger(__name__)


class LoginRequest(BaseModel):
    """User name and password."""

    username: str
    password: str


@router.post("/login")
def login(body: LoginRequest, services: ServicesDep) -> dict[str, Any]:
    """A bearer token for `Authorization: Bearer ...`, valid for the configured time."""
    now = services.clock()
    with services.store.write() as session:
        user = users.authenticate(session, body.username, body.password)
        if user is not None:
            token, expires = users.issue_token(session, user, now, services.token_ttl)
            audit.append(session, now, user.username, "login")
            return {"token": token, "expires_at": expires.isoformat(), "role": user.role,
                    "username": user.username}
        audit.append(session, now, "-", "login.failed")
    log.info("a login failed")
    raise HTTPException(401, "wrong user name or password")


@router.post("/logout", status_code=204)
def logout(request: Request, user: AnyUser, services: ServicesDep) -> None:
    """Forget the token of this request."""
    token = bearer_token(request.headers.get("authorization"))
    with services.store.write() as session:
        if token:
            users.revoke_token(session, token)
        audit.append(session, services.clock(), user.username, "logout")


@router.get("/me")
def me(user: AnyUser) -> dict[str, Any]:
    """The caller's name and role."""
    return {"username": user.username, "role": user.role}
