"""The admin's desk: devices and calibration, users, document models, outbox, audit log."""

from __future__ import annotations

from typing import Any

from PyQt6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.api import ApiError
from ui.context import Desk
from ui.i18n import bind, catalogue, tr
from ui.views.admin_tabs import AuditTab, ModelsTab, OutboxTab, TableTab, UsersTab
from ui.widgets.chart import LineChart

CALIBRATION_STEPS = ("dark", "target", "uv", "white")  # the daemon's order


def trend_of(device: dict[str, Any], calibration: Any) -> dict[str, list[float]]:
    """Light output per LED over time, from the device entry or the calibration answer."""
    for source in (device.get("health"), calibration):
        trend = source.get("trend") if isinstance(source, dict) else None
        if isinstance(trend, list) and trend:
            return {light: [float(p[light]) for p in trend if light in p]
                    for light in ("white", "ir", "uv")}
    return {}


class DevicesTab(TableTab):
    """Readers and their health; the light-output trend; the calibration wizard."""

    columns = ("device", "serial", "firmware", "health", "problems")

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(desk, parent)
        self.table.setMaximumHeight(120)
        self.chart = LineChart()
        chart_box = QGroupBox()
        bind(chart_box.setTitle, "devices.trend")
        QVBoxLayout(chart_box).addWidget(self.chart)
        self.wizard = QGroupBox()
        bind(self.wizard.setTitle, "cal.title")
        self.steps = QListWidget()
        self.cal_state = QLabel()
        self.cal_state.setWordWrap(True)
        self.cal_button = QPushButton()
        bind(self.cal_button.setText, "cal.start")
        self.cal_button.setEnabled(False)
        self.cal_button.clicked.connect(self._calibration_step)
        self.cal_note = ""  # the last refusal or success of the wizard
        wl = QVBoxLayout(self.wizard)
        wl.addWidget(self.cal_state)
        wl.addWidget(self.steps, 1)
        wl.addWidget(self.cal_button)
        row = QHBoxLayout()
        row.addWidget(chart_box, 3)
        row.addWidget(self.wizard, 2)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.addLayout(row, 2)
        self.calibration: Any = None
        self.calibration_available: bool | None = None

    def load(self) -> list[dict[str, Any]]:
        """GET /api/devices and probe GET /api/calibration (absent on older daemons)."""
        devices: list[dict[str, Any]] = self.desk.api.get("/api/devices")
        try:
            self.calibration = self.desk.api.get("/api/calibration")
            self.calibration_available = True
        except ApiError as err:
            if err.kind not in ("not_found", "http") or err.status not in (404, 405):
                raise
            self.calibration, self.calibration_available = None, False
        return devices

    def cells(self, row: dict[str, Any]) -> list[str]:
        """Model, serial, firmware, health, problems."""
        leds = row.get("leds_ok") or {}
        problems = [tr("devices.lid_open")] if row.get("lid_closed") is False else []
        problems += [tr("devices.led_bad", light=tr(f"light.{k}")) for k, ok in leds.items()
                     if not ok]
        problems += list(row.get("errors") or [])
        if row.get("error"):
            problems.append(row["error"])
        health = f"✓ {tr('devices.ok')}" if row.get("ok") else f"✗ {tr('devices.not_ok')}"
        return [row.get("model") or row.get("url", ""), row.get("serial", "–"),
                row.get("firmware", "–"), health, "; ".join(problems)]

    def _fill(self) -> None:
        super()._fill()
        trend = trend_of(self.rows[0], self.calibration) if self.rows else {}
        self.chart.set_series(trend, tr("devices.no_calibration"))
        self.steps.clear()
        wizard = self.calibration if isinstance(self.calibration, dict) else {}
        done = set(wizard.get("done") or ())
        for i, kind in enumerate(CALIBRATION_STEPS, 1):
            self.steps.addItem(f"{'✓' if kind in done else '○'} {i}. {tr(f'cal.kind.{kind}')}")
        following = wizard.get("next")
        if self.calibration_available is None:
            text = ""
        elif not self.calibration_available:
            text = tr("cal.not_available")
        elif not wizard.get("enabled"):
            text = tr("cal.disabled")
        elif following:
            text = tr("cal.next", step=tr(f"cal.kind.{following}"))
        else:
            text = tr("cal.ready")
        self.cal_state.setText("\n".join(t for t in (self.cal_note, text) if t))
        self.cal_button.setText(tr("cal.capture") if following or not wizard
                                else tr("cal.finish"))
        self.cal_button.setEnabled(bool(self.calibration_available and wizard.get("enabled")))

    def _calibration_step(self) -> None:
        """Capture the next step on the daemon's reader, or save the profile after the last."""
        wizard = self.calibration if isinstance(self.calibration, dict) else {}
        finishing = wizard.get("enabled") and not wizard.get("next")
        path = "/api/calibration/finish" if finishing else "/api/calibration/capture"
        self.cal_button.setEnabled(False)

        def done(answer: Any) -> None:
            if finishing:
                self.cal_note = tr("cal.saved", id=answer.get("id", "?"),
                                   until=str(answer.get("expires_at", ""))[:10])
            else:
                self.cal_note = ""
            self.refresh()

        def failed(err: Exception) -> bool:
            if isinstance(err, ApiError) and err.status in (409, 422, 503):
                self.cal_note = tr("cal.refused", reason=err.detail)
                self._fill()
            return False  # the notification area shows it too

        self.desk.call(lambda: self.desk.api.post(path), done, failed)


class AdminView(QTabWidget):
    """Tabs for the admin; each loads when first shown."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.devices = DevicesTab(desk)
        self.users = UsersTab(desk)
        self.models = ModelsTab(desk)
        self.outbox = OutboxTab(desk)
        self.audit = AuditTab(desk)
        self.pages: list[tuple[TableTab, str]] = [
            (self.devices, "admin.tab.devices"), (self.users, "admin.tab.users"),
            (self.models, "admin.tab.models"), (self.outbox, "admin.tab.outbox"),
            (self.audit, "admin.tab.audit")]
        for page, _key in self.pages:
            self.addTab(page, "")
        self._loaded: set[int] = set()
        self.currentChanged.connect(self._load)
        catalogue().changed.connect(self._retranslate)
        self._retranslate()

    def _retranslate(self) -> None:
        for i, (_page, key) in enumerate(self.pages):
            self.setTabText(i, tr(key))

    def _load(self, index: int) -> None:
        if index >= 0 and index not in self._loaded:
            self._loaded.add(index)
            self.pages[index][0].refresh()

    def start(self) -> None:
        """Load the visible tab."""
        self._load(self.currentIndex())
