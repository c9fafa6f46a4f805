"""The calibration wizard on the daemon: step by step on its reader, a wrong card refused."""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from drivers.capture import write_capture
from drivers.specimen import render_specimen
from drivers.specimen.references import render_reference_set, write_reference_set
from scanner.calibrated import CalibrationSetup
from scanner.service.app import create_app
from scanner.service.readers import reader_factory
from tests.service.apptools import auth, make_services, token_for

DRIFTED: dict[str, object] = {"vignetting": 0.25, "drift": {"white": 0.0, "ir": 0.15,
                                                          "uv": -0.30},
                              "dark_offset": 0.03, "device_seed": 11}


def _client(tmp_path: Path, glass: Path) -> TestClient:
    """A daemon whose simulated reader sees the capture folders in `glass`, in name order."""
    services = make_services(tmp_path)
    services.readers = reader_factory(f"sim:?source={glass}")
    services.calibration = CalibrationSetup(tmp_path / "profiles", tmp_path / "health.csv")
    return TestClient(create_app(services, run_workers=False))


def test_admin_calibrates_step_by_step(tmp_path: Path) -> None:
    glass = write_reference_set(tmp_path / "glass",
                                render_reference_set(dpi=150, conditions=DRIFTED))
    with _client(tmp_path, glass) as client:
        admin = auth(token_for(client.app.state.services, "admin"))  # type: ignore[attr-defined]
        state = client.get("/api/calibration", headers=admin).json()
        assert state["enabled"] and state["next"] == "dark"
        for kind in ("dark", "target", "uv", "white"):
            answer = client.post("/api/calibration/capture", headers=admin)
            assert answer.status_code == 200, answer.text
            assert kind in answer.json()["done"]
        assert answer.json()["next"] is None
        done = client.post("/api/calibration/finish", headers=admin)
        assert done.status_code == 200, done.text
        profile_id = done.json()["id"]
        assert list((tmp_path / "profiles").rglob(f"*{profile_id}*"))
        assert "calibration" in (tmp_path / "health.csv").read_text()
        devices = client.get("/api/devices", headers=admin).json()
        assert devices[0]["health"]["calibration"]["id"] == profile_id
        assert devices[0]["health"]["trend"]


def test_a_passport_instead_of_the_dark_frame_is_refused(tmp_path: Path) -> None:
    capture, _ = render_specimen(3, dpi=150)
    glass = tmp_path / "glass"
    write_capture(capture, glass / "page")
    with _client(tmp_path, glass) as client:
        admin = auth(token_for(client.app.state.services, "admin"))  # type: ignore[attr-defined]
        refused = client.post("/api/calibration/capture", headers=admin)
        assert refused.status_code == 422
        assert "dark" in refused.json()["detail"]
        assert client.get("/api/calibration", headers=admin).json()["next"] == "dark"
        clerk = auth(token_for(client.app.state.services, "clerk"))  # type: ignore[attr-defined]
        assert client.post("/api/calibration/capture", headers=clerk).status_code == 403
