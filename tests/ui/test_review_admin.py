"""The fraud desk decides a flagged scan; the admin opens devices, users, outbox and audit."""

from __future__ import annotations

import time
from pathlib import Path

from PyQt6.QtCore import Qt
from pytestqt.qtbot import QtBot

from drivers.specimen.references import render_reference_set, write_reference_set
from tests.ui.helpers import close, idle, open_desk
from ui.api import Api
from ui.testing import PASSWORD, Daemon


def _flagged_scan(daemon: Daemon) -> str:
    """A stored fail scan on the forged daemon (made through the API, as a clerk would)."""
    api = Api(daemon.url)
    api.login("carla", PASSWORD)
    scan_id = api.post("/api/scans", {"case_ref": "AZ-R-1"})["scan_id"]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        answer = api.get(f"/api/scans/{scan_id}")
        if answer.get("id") == scan_id:
            return scan_id
        time.sleep(0.3)
    raise AssertionError("the scan did not finish")


def test_reviewer_decides_the_flagged_scan_with_a_reason(qtbot: QtBot,
                                                         daemons: dict[str, Daemon]) -> None:
    scan_id = _flagged_scan(daemons["forged"])
    window = open_desk(qtbot, daemons["forged"], "rita")
    review = window.review
    assert review is not None and window.clerk is None
    qtbot.waitUntil(lambda: any(i["scan_id"] == scan_id for i in review.shown), timeout=15000)
    review.severity.setCurrentIndex(review.severity.findData("medium"))
    assert all(i["severity"] == "medium" for i in review.shown)
    review.severity.setCurrentIndex(review.severity.findData("high"))
    review.verdict.setCurrentIndex(review.verdict.findData("fail"))
    row = next(r for r, i in enumerate(review.shown) if i["scan_id"] == scan_id)
    assert "auffällig" in review.table.item(row, 2).text()
    review.table.selectRow(row)
    qtbot.waitUntil(lambda: all(v.has_image for v in review.compare.views.values()),
                    timeout=20000)
    qtbot.waitUntil(review.decision.isEnabled, timeout=10000)  # claimed
    idle(qtbot, window)
    # synchronised zoom: one transform for white, IR and UV
    review.compare.sync.zoom(2.0)
    scales = {round(v.transform().m11(), 4) for v in review.compare.views.values()}
    assert len(scales) == 1
    assert review.compare.views["uv"].overlays  # check regions with scores
    assert "leuchtet gelbgrün" in review.legend.text()  # expected look from the model
    assert review.checks.rowCount() > 5
    assert review.history.count() > 0  # audit rows of this scan
    decision = review.decision
    decision.radios["forged"].setChecked(True)
    assert not decision.submit_button.isEnabled()  # the reason is mandatory
    qtbot.keyClicks(decision.reason, "Papier leuchtet unter UV, Emblem falsche Farbe")
    assert decision.submit_button.isEnabled()
    qtbot.mouseClick(decision.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "gespeichert" in decision.state_label.text(), timeout=10000)
    idle(qtbot, window)
    assert not any(i["scan_id"] == scan_id for i in review.items)  # decided: off the queue
    qtbot.waitUntil(lambda: any("gefälscht" in review.history.item(i).text()
                                for i in range(review.history.count())), timeout=10000)
    close(qtbot, window)


def test_admin_opens_devices_users_models_outbox_and_audit(qtbot: QtBot,
                                                           daemons: dict[str, Daemon]) -> None:
    window = open_desk(qtbot, daemons["forged"], "ada", language="en")
    admin = window.admin
    assert admin is not None
    idle(qtbot, window)
    devices = admin.devices
    assert devices.rows and devices.table.item(0, 3).text().startswith("✓")
    assert devices.chart.empty_text == "No calibration data yet"
    assert "does not calibrate" in devices.cal_state.text()  # not enabled in its config
    assert devices.steps.count() == 4 and not devices.cal_button.isEnabled()
    admin.setCurrentWidget(admin.users)
    idle(qtbot, window)
    names = [admin.users.table.item(r, 0).text() for r in range(admin.users.table.rowCount())]
    assert {"carla", "rita", "ada"} <= set(names)
    admin.users.name_edit.setText("bernd")
    admin.users.role_combo.setCurrentIndex(admin.users.role_combo.findData("reviewer"))
    admin.users.password_edit.setText("another-password")
    admin.users.add_button.click()
    qtbot.waitUntil(lambda: any(r["username"] == "bernd" for r in admin.users.rows),
                    timeout=10000)
    admin.setCurrentWidget(admin.models)
    idle(qtbot, window)
    assert {r["id"] for r in admin.models.rows} >= {"UTO-P"}
    admin.setCurrentWidget(admin.outbox)
    idle(qtbot, window)
    assert admin.outbox.state_combo.currentData() == "dead" and admin.outbox.rows == []
    admin.outbox.state_combo.setCurrentIndex(admin.outbox.state_combo.findData("delivered"))
    qtbot.waitUntil(lambda: bool(admin.outbox.rows), timeout=10000)
    assert all(r["state"] == "delivered" for r in admin.outbox.rows)
    admin.setCurrentWidget(admin.audit)
    idle(qtbot, window)
    actions = {r["action"] for r in admin.audit.rows}
    assert {"login", "user.create"} <= actions
    admin.audit.verify()
    qtbot.waitUntil(lambda: "intact" in admin.audit.verify_label.text(), timeout=10000)
    close(qtbot, window)


def test_admin_calibrates_the_reader(qtbot: QtBot, tmp_path: Path) -> None:
    # the simulated reader sees, one after the other, what the admin lays on the glass
    glass = write_reference_set(tmp_path / "glass", render_reference_set(dpi=150))
    daemon = Daemon(tmp_path / "daemon", f"sim:?source={glass}",
                    extra_toml="[calibration]\nenabled = true\n")
    daemon.start()
    try:
        window = open_desk(qtbot, daemon, "ada", language="en")
        admin = window.admin
        assert admin is not None
        idle(qtbot, window)
        devices = admin.devices
        assert devices.cal_button.isEnabled() and "Dark frame" in devices.cal_state.text()
        for step in range(4):
            qtbot.mouseClick(devices.cal_button, Qt.MouseButton.LeftButton)
            idle(qtbot, window, timeout=60000)
            assert devices.steps.item(step).text().startswith("✓"), devices.cal_state.text()
        assert devices.cal_button.text() == "Save the profile"
        qtbot.mouseClick(devices.cal_button, Qt.MouseButton.LeftButton)
        idle(qtbot, window, timeout=60000)
        assert "saved" in devices.cal_state.text()
        assert (daemon.root / "data" / "health.csv").is_file() or \
            list(daemon.root.rglob("health.csv"))
        assert devices.rows[0]["health"]["calibration"]["state"] in ("ok", "drifted")
        close(qtbot, window)
    finally:
        daemon.stop()
