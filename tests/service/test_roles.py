"""The role matrix: every route of the app, without a token and with each role."""

from __future__ import annotations

import pytest
from fastapi.routing import APIRoute, APIWebSocketRoute
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from scanner.service.app import create_app
from tests.service.apptools import auth, make_services, token_for

ALL = {"clerk", "reviewer", "admin"}
PUBLIC = {("GET", "/healthz"), ("GET", "/readyz"), ("POST", "/api/login"),
          ("GET", "/openapi.json")}
# Who may call what; a route missing here (or a stale entry) fails the test.
EXPECTED = {
    ("POST", "/api/logout"): ALL,
    ("GET", "/api/me"): ALL,
    ("POST", "/api/scans"): {"clerk", "admin"},
    ("GET", "/api/scans"): ALL,
    ("GET", "/api/scans/{scan_id}"): ALL,
    ("GET", "/api/scans/{scan_id}/images/{light}.png"): ALL,
    ("GET", "/api/review"): {"reviewer", "admin"},
    ("POST", "/api/review/{scan_id}/claim"): {"reviewer"},
    ("POST", "/api/review/{scan_id}/decision"): {"reviewer"},
    ("GET", "/api/review/{scan_id}/decisions"): {"reviewer", "admin"},
    ("GET", "/api/users"): {"admin"},
    ("POST", "/api/users"): {"admin"},
    ("GET", "/api/outbox"): {"admin"},
    ("POST", "/api/outbox/{item_id}/requeue"): {"admin"},
    ("GET", "/api/audit"): {"admin"},
    ("GET", "/api/audit/verify"): {"admin"},
    ("GET", "/api/devices"): ALL,
    ("POST", "/api/hub/ingest"): {"clerk", "admin"},
    ("WS", "/api/ws"): ALL,
    ("GET", "/api/models"): ALL,  # desk.py
    ("GET", "/api/scans/{scan_id}/delivery"): ALL,
    ("GET", "/api/scans/{scan_id}/history"): {"reviewer", "admin"},
    ("GET", "/api/calibration"): {"admin"},
    ("POST", "/api/calibration/capture"): {"admin"},
    ("POST", "/api/calibration/finish"): {"admin"},
    ("POST", "/api/calibration/restart"): {"admin"},
}
_PARAMS = {"{scan_id}": "0" * 32, "{item_id}": "x", "{light}": "white"}


def _route_table(app_routes: list[object]) -> set[tuple[str, str]]:
    table: set[tuple[str, str]] = set()
    for route in app_routes:
        included = getattr(route, "original_router", None)  # FastAPI >= 0.16x includes lazily
        if included is not None:
            table |= _route_table(included.routes)
        elif isinstance(route, APIRoute):
            table |= {(m, route.path) for m in (route.methods or set()) - {"HEAD", "OPTIONS"}}
        elif isinstance(route, APIWebSocketRoute):
            table.add(("WS", route.path))
        elif getattr(route, "methods", None):  # /openapi.json
            table |= {(m, route.path) for m in route.methods - {"HEAD"}}  # type: ignore[attr-defined]
    return table


def _url(path: str) -> str:
    for key, value in _PARAMS.items():
        path = path.replace(key, value)
    return path


def _ws_status(client: TestClient, path: str, headers: dict[str, str]) -> int:
    try:
        with client.websocket_connect(path, headers=headers) as socket:
            socket.receive_json()
    except WebSocketDisconnect as err:
        return 401 if err.code == 4401 else 500
    return 200


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    services = make_services(tmp_path_factory.mktemp("roles"))
    app = create_app(services)
    client = TestClient(app)
    client.services = services  # type: ignore[attr-defined]
    return client


def test_every_route_is_in_the_matrix(client: TestClient) -> None:
    assert _route_table(client.app.routes) == set(EXPECTED) | PUBLIC  # type: ignore[attr-defined]


@pytest.mark.parametrize(("method", "path"), sorted(EXPECTED))
def test_route_needs_a_login_and_the_right_role(client: TestClient, method: str,
                                                path: str) -> None:
    services = client.services  # type: ignore[attr-defined]
    if method == "WS":
        assert _ws_status(client, path, {}) == 401
        for role in ALL:
            assert _ws_status(client, path, auth(token_for(services, role))) == 200, role
        return
    assert client.request(method, _url(path)).status_code == 401
    assert client.request(method, _url(path),
                          headers=auth("not-a-token")).status_code == 401
    for role in sorted(ALL):
        status = client.request(method, _url(path), json={},
                                headers=auth(token_for(services, role))).status_code
        if role in EXPECTED[(method, path)]:
            assert status not in (401, 403), (role, status)
        else:
            assert status == 403, (role, status)


def test_public_routes_answer_without_login(client: TestClient) -> None:
    for path in ("/healthz", "/readyz", "/openapi.json"):
        assert client.get(path).status_code == 200
