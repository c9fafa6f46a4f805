"""Bearer-token access control: who is calling and whether their role may."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request, WebSocket

from scanner.service.services import Services
from scanner.store import users
from scanner.store.models import ROLES, User

ALL_ROLES = ROLES
CLERK_OR_ADMIN = ("clerk", "admin")
REVIEWERS = ("reviewer", "admin")
ADMIN = ("admin",)


def services_of(request: Request) -> Services:
    """The daemon's services."""
    services: Services = request.app.state.services
    return services


def bearer_token(header: str | None) -> str | None:
    """The token of an `Authorization: Bearer ...` header."""
    if header and header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return None


def user_for_token(services: Services, token: str | None) -> User | None:
    """The user of a valid token."""
    if not token:
        return None
    with services.store.session() as session:
        return users.resolve_token(session, token, services.clock())


def require(*roles: str) -> Callable[[Request], User]:
    """A dependency: 401 without a valid token, 403 when the role may not."""
    allowed = frozenset(roles)

    def dependency(request: Request) -> User:
        user = user_for_token(services_of(request),
                              bearer_token(request.headers.get("authorization")))
        if user is None:
            raise HTTPException(401, "log in first (POST /api/login)",
                                headers={"WWW-Authenticate": "Bearer"})
        if user.role not in allowed:
            raise HTTPException(403, f"the {user.role} role may not do this")
        return user

    dependency.allowed_roles = allowed  # type: ignore[attr-defined]
    return dependency


def websocket_user(websocket: WebSocket) -> User | None:
    """The user of a WebSocket: `?token=` (browsers) or an Authorization header."""
    services: Services = websocket.app.state.services
    token = websocket.query_params.get("token") or bearer_token(
        websocket.headers.get("authorization"))
    return user_for_token(services, token)


AnyUser = Annotated[User, Depends(require(*ALL_ROLES))]
ClerkOrAdmin = Annotated[User, Depends(require(*CLERK_OR_ADMIN))]
Reviewer = Annotated[User, Depends(require("reviewer"))]
ReviewerOrAdmin = Annotated[User, Depends(require(*REVIEWERS))]
Admin = Annotated[User, Depends(require(*ADMIN))]
ServicesDep = Annotated[Services, Depends(services_of)]
