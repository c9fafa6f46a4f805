"""The daemon's HTTP API as plain blocking calls (run them in workers, never on the GUI thread)."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

TIMEOUT_S = 15.0


class ApiError(Exception):
    """A call failed; `kind` is down, auth, forbidden, not_found, conflict, invalid or http."""

    def __init__(self, kind: str, status: int, detail: str) -> None:
        super().__init__(f"{kind} ({status}): {detail}")
        self.kind, self.status, self.detail = kind, status, detail


_KINDS = {401: "auth", 403: "forbidden", 404: "not_found", 409: "conflict", 422: "invalid"}


def _detail(body: bytes) -> str:
    try:
        detail = json.loads(body).get("detail", "")
    except (ValueError, AttributeError):
        return body.decode("utf-8", "replace")[:200]
    if isinstance(detail, list):  # FastAPI validation errors
        return "; ".join(str(d.get("msg", d)) for d in detail if isinstance(d, dict))
    return str(detail)


class Api:
    """A logged-in connection to one daemon (`base_url` like http://127.0.0.1:8470)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.token: str | None = None
        self.username = ""
        self.role = ""

    def request(self, method: str, path: str, body: Any = None,
                params: dict[str, Any] | None = None, raw: bool = False) -> Any:
        """One call; JSON in and out (bytes out when `raw`); raises ApiError."""
        url = self.base_url + path
        if params:
            clean = {k: v for k, v in params.items() if v is not None}
            url += "?" + urllib.parse.urlencode(clean)
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(url, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if self.token:
            req.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(req, timeout=TIMEOUT_S) as resp:
                payload = resp.read()
        except urllib.error.HTTPError as err:
            raise ApiError(_KINDS.get(err.code, "http"), err.code, _detail(err.read())) from err
        except (urllib.error.URLError, OSError) as err:
            reason = getattr(err, "reason", err)
            raise ApiError("down", 0, str(reason)) from err
        if raw:
            return payload
        return json.loads(payload) if payload else None

    def get(self, path: str, **params: Any) -> Any:
        """GET with query parameters."""
        return self.request("GET", path, params=params)

    def post(self, path: str, body: Any = None) -> Any:
        """POST a JSON body."""
        return self.request("POST", path, body=body if body is not None else {})

    def login(self, username: str, password: str) -> dict[str, Any]:
        """Log in and keep the token."""
        answer: dict[str, Any] = self.post("/api/login",
                                           {"username": username, "password": password})
        self.token, self.username, self.role = answer["token"], username, answer["role"]
        return answer

    def logout(self) -> None:
        """Forget the token here and on the daemon."""
        if self.token:
            try:
                self.request("POST", "/api/logout")
            finally:
                self.token = None

    def ws_url(self) -> str:
        """The event WebSocket's URL with the token."""
        scheme = "wss" if self.base_url.startswith("https") else "ws"
        host = self.base_url.split("://", 1)[-1]
        return f"{scheme}://{host}/api/ws?token={urllib.parse.quote(self.token or '')}"
