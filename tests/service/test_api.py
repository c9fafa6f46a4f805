"""The API in-process: a scan over the WebSocket, audited reads, review, dead letters, hub."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from scanner.casefile.connectors import DeliveryError
from scanner.casefile.payload import CaseFile
from scanner.casefile.worker import OutboxWorker
from scanner.service.app import create_app
from scanner.settings import CaseFileSettings
from scanner.store import audit
from tests.service.apptools import PASSWORD, auth, make_services, token_for
from tests.service.conftest import FakeClock


class FlakyConnector:
    """Refuses every delivery."""

    name = "dms"

    def deliver(self, case: CaseFile) -> None:
        raise DeliveryError("refused")


@pytest.fixture
def client(tmp_path: Path, clock: FakeClock) -> Any:
    services = make_services(tmp_path, targets=["dms"])
    services.clock = clock
    services.outbox = OutboxWorker(services.store, services.cipher, {"dms": FlakyConnector()},
                                   CaseFileSettings(max_attempts=2, backoff_base_s=1), clock)
    with TestClient(create_app(services, run_workers=False)) as test_client:
        test_client.services = services  # type: ignore[attr-defined]
        yield test_client


def _scan_over_websocket(client: Any, token: str) -> tuple[str, list[dict[str, Any]]]:
    events: list[dict[str, Any]] = []
    with client.websocket_connect(f"/api/ws?token={token}") as socket:
        assert socket.receive_json()["type"] == "hello"
        started = client.post("/api/scans", json={"case_ref": "AZ-1"}, headers=auth(token))
        assert started.status_code == 202
        while not events or events[-1]["type"] != "result":
            events.append(socket.receive_json())
            assert events[-1]["state"] != "failed", events[-1]
    return started.json()["scan_id"], events


def test_login_and_logout(client: Any) -> None:
    assert client.post("/api/login", json={"username": "carla",
                                           "password": "wrong"}).status_code == 401
    answer = client.post("/api/login", json={"username": "carla", "password": PASSWORD}).json()
    assert answer["role"] == "clerk"
    assert client.get("/api/me", headers=auth(answer["token"])).json()["username"] == "carla"
    assert client.post("/api/logout", headers=auth(answer["token"])).status_code == 204
    assert client.get("/api/me", headers=auth(answer["token"])).status_code == 401


def test_scan_progress_result_images_and_audit(client: Any) -> None:
    clerk = token_for(client.services, "clerk")
    scan_id, events = _scan_over_websocket(client, clerk)
    steps = [e["step"] for e in events]
    assert steps[:4] == ["queued", "capturing", "analysing", "storing"]
    assert events[-1]["verdict"] in ("review", "fail")
    assert "mrz" not in events[-1]  # personal data only through the audited GET
    body = client.get(f"/api/scans/{scan_id}", headers=auth(clerk)).json()
    assert body["case_ref"] == "AZ-1" and body["images"] == ["ir", "uv", "white"]
    png = client.get(f"/api/scans/{scan_id}/images/uv.png", headers=auth(clerk))
    assert png.content.startswith(b"\x89PNG")
    with client.services.store.session() as session:
        actions = [(e.action, e.actor) for e in audit.entries(session, scan_id)]
        assert ("scan.view", "carla") in actions and ("image.view", "carla") in actions
        assert audit.verify(session)[1] == []
        detail = " ".join(e.detail for e in audit.entries(session))
    mrz = body["result"]["mrz"]
    if mrz and mrz["fields"].get("surname"):
        assert mrz["fields"]["surname"] not in detail


def test_review_through_the_api(client: Any) -> None:
    scan_id, _ = _scan_over_websocket(client, token_for(client.services, "clerk"))
    rolf = token_for(client.services, "reviewer")
    assert [i["scan_id"] for i in client.get("/api/review", headers=auth(rolf)).json()] == [
        scan_id]
    assert client.post(f"/api/review/{scan_id}/claim", headers=auth(rolf)).status_code == 200
    url = f"/api/review/{scan_id}/decision"
    assert client.post(url, json={"decision": "forged"}, headers=auth(rolf)).status_code == 422
    for decision in ("undetermined", "forged"):
        assert client.post(url, json={"decision": decision, "reason": "UV bright paper"},
                           headers=auth(rolf)).status_code == 201
    history = client.get(f"/api/review/{scan_id}/decisions", headers=auth(rolf)).json()
    assert [d["decision"] for d in history] == ["undetermined", "forged"]
    assert client.get("/api/review", headers=auth(rolf)).json() == []


def test_dead_letters_visible_to_admins_and_requeued(client: Any) -> None:
    _scan_over_websocket(client, token_for(client.services, "clerk"))
    worker = client.services.outbox
    worker.run_once()
    worker.run_once()  # not due yet: the back-off holds it
    client.services.clock.advance(seconds=2)
    worker.run_once()
    ada = token_for(client.services, "admin")
    dead = client.get("/api/outbox?state=dead", headers=auth(ada)).json()
    assert len(dead) == 1 and dead[0]["attempts"] == 2 and dead[0]["last_error"] == "refused"
    again = client.post(f"/api/outbox/{dead[0]['id']}/requeue", headers=auth(ada))
    assert again.json()["state"] == "pending"
    assert client.get("/api/outbox?state=dead", headers=auth(ada)).json() == []


def test_hub_ingest_stores_each_scan_once(client: Any) -> None:
    clerk = token_for(client.services, "clerk")
    body = {"scan_id": "ab" * 16, "device": "sim", "captured_at": "2026-03-02T09:00:00+00:00",
            "result": {"verdict": "fail", "reasons": [], "document": {"model": None}},
            "images": {"white": base64.b64encode(b"png").decode()}}
    first = client.post("/api/hub/ingest", json=body, headers=auth(clerk)).json()
    second = client.post("/api/hub/ingest", json=body, headers=auth(clerk)).json()
    assert (first["stored"], second["duplicate"]) == (True, True)
    image = client.get(f"/api/scans/{'ab' * 16}/images/white.png", headers=auth(clerk))
    assert image.content == b"png"
