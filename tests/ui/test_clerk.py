"""The clerk's path: case number, Enter, live progress, verdict, MRZ, captures, filing."""

from __future__ import annotations

import json

from PyQt6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.ui.helpers import close, idle, open_desk
from ui.testing import Daemon
from ui.widgets.light import colour_of


def _scan(qtbot: QtBot, daemon: Daemon, case_ref: str) -> tuple[object, list[str]]:
    window = open_desk(qtbot, daemon, "carla")
    clerk = window.clerk
    assert clerk is not None
    assert window.review is None and window.admin is None  # the clerk sees the clerk view only
    steps: list[str] = []
    clerk.progress.valueChanged.connect(lambda _v: steps.append(clerk.progress.format()))
    qtbot.keyClicks(clerk.case_edit, case_ref)
    qtbot.keyClick(clerk.case_edit, Qt.Key.Key_Return)  # Enter scans
    qtbot.waitUntil(lambda: clerk.result is not None, timeout=30000)
    qtbot.waitUntil(lambda: all(v.has_image for v in clerk.thumbs), timeout=15000)
    qtbot.waitUntil(lambda: clerk.delivery.states() == ["delivered"], timeout=20000)
    idle(qtbot, window)
    return window, steps


def test_clerk_scans_a_genuine_document_and_files_it(qtbot: QtBot,
                                                     daemons: dict[str, Daemon]) -> None:
    daemon = daemons["genuine"]
    window, steps = _scan(qtbot, daemon, "AZ-2024-0001")
    clerk = window.clerk  # type: ignore[attr-defined]
    assert "Fertig" in steps
    assert clerk.verdict_label.text() == "✓ Keine Auffälligkeiten"
    assert clerk.light.colour().name() == colour_of("pass") == "#1b873f"
    rows = {clerk.mrz_table.item(r, 0).text(): r for r in range(clerk.mrz_table.rowCount())}
    row = rows["Dokumentnummer"]
    assert clerk.mrz_table.item(row, 2).text() == clerk.mrz_table.item(row, 3).text()
    assert clerk.mrz_table.item(row, 4).text() == "✓"
    assert "abgelegt" in clerk.delivery.status_label.text()
    filed = [json.loads(p.read_text()) for p in daemon.hotfolder.glob("*.json")]
    assert any("AZ-2024-0001" in json.dumps(f) for f in filed)
    window.toggle_language()  # English on request, the same result
    assert clerk.verdict_label.text() == "✓ No irregularities"
    assert "filed" in clerk.delivery.status_label.text()
    close(qtbot, window)


def test_clerk_scans_a_forged_document_and_files_it(qtbot: QtBot,
                                                    daemons: dict[str, Daemon]) -> None:
    daemon = daemons["forged"]
    window, _steps = _scan(qtbot, daemon, "AZ-2024-0002")
    clerk = window.clerk  # type: ignore[attr-defined]
    assert clerk.verdict_label.text().startswith("✗ Auffällig")
    assert clerk.light.colour().name() == "#c62828"
    reasons = [clerk.reasons.item(i).text() for i in range(clerk.reasons.count())]
    assert any("UV" in r and r.startswith("✗") for r in reasons)  # German plain words
    # ICAO: the failing light first, with boxes on the failed regions
    assert clerk.thumb_titles[0].text().startswith("Ultraviolett")
    assert clerk.thumbs[0].overlays and all(o.status != "passed" for o in clerk.thumbs[0].overlays)
    assert any("AZ-2024-0002" in p.read_text() for p in daemon.hotfolder.glob("*.json"))
    close(qtbot, window)


def test_scan_needs_a_case_number_and_a_down_daemon_says_so(qtbot: QtBot,
                                                            daemons: dict[str, Daemon]) -> None:
    window = open_desk(qtbot, daemons["genuine"], "carla")
    clerk = window.clerk
    assert clerk is not None
    clerk.scan()
    assert window.notify.isVisible() and "Aktenzeichen" in window.notify.label.text()
    window.desk.api.base_url = "http://127.0.0.1:9"  # type: ignore[union-attr]  # nothing there
    clerk.case_edit.setText("AZ-3")
    clerk.scan()
    qtbot.waitUntil(lambda: window.notify.level == "error", timeout=15000)
    assert "nicht erreichbar" in window.notify.label.text()
    assert window.notify.retry_button.isVisible()
    assert clerk.scan_button.isEnabled()  # not frozen
    close(qtbot, window)
