"""The case-file (e-Akte) delivery state of one scan, followed until it is acknowledged."""

from __future__ import annotations

from typing import Any

from PyQt6.QtCore import QTimer
from PyQt6.QtWidgets import QGroupBox, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.context import Desk
from ui.i18n import bind, catalogue, tr
from ui.widgets.light import colour_of

STATE_STATUS = {"delivered": "passed", "pending": "undetermined", "dead": "failed"}
MAX_POLLS = 120


class DeliveryPanel(QGroupBox):
    """Filed? Shows each target's state; polls while anything is still pending."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        bind(self.setTitle, "delivery.title")
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.refresh_button = QPushButton()
        bind(self.refresh_button.setText, "delivery.refresh")
        self.refresh_button.clicked.connect(self.refresh)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status_label)
        layout.addWidget(self.refresh_button)
        self.scan_id: str | None = None
        self.rows: list[dict[str, Any]] = []
        self._polls = 0
        self.timer = QTimer(self)
        self.timer.setInterval(1500)
        self.timer.timeout.connect(self.refresh)
        catalogue().changed.connect(self._render)
        self._render()

    def follow(self, scan_id: str) -> None:
        """Start following a scan's delivery."""
        self.scan_id, self.rows, self._polls = scan_id, [], 0
        self._render()
        self.refresh()
        self.timer.start()

    def refresh(self) -> None:
        """Ask the daemon now."""
        scan_id = self.scan_id
        if scan_id is None:
            return
        self._polls += 1
        self.desk.call(lambda: self.desk.api.get(f"/api/scans/{scan_id}/delivery"),
                       lambda rows, s=scan_id: self._got(s, rows), self._failed)

    def _failed(self, err: Exception) -> bool:
        self.timer.stop()
        return False

    def _got(self, scan_id: str, rows: list[dict[str, Any]]) -> None:
        if scan_id != self.scan_id:
            return
        self.rows = rows
        if self.settled() or self._polls >= MAX_POLLS:
            self.timer.stop()
        self._render()

    def settled(self) -> bool:
        """Every target acknowledged (or gave up)."""
        return bool(self.rows) and all(r["state"] != "pending" for r in self.rows)

    def _render(self) -> None:
        if self.scan_id is None:
            self.status_label.setText(tr("delivery.none_yet"))
            self.status_label.setStyleSheet("")
            return
        if not self.rows:
            self.status_label.setText(tr("delivery.no_target"))
            return
        lines = []
        for row in self.rows:
            status = STATE_STATUS.get(row["state"], "undetermined")
            symbol = {"passed": "✓", "undetermined": "…", "failed": "✗"}[status]
            text = tr(f"delivery.{row['state']}", target=row["target"],
                      attempts=row.get("attempts", 0))
            colour = colour_of(status) if status != "undetermined" else "#8a6d00"
            lines.append(f"<span style='color:{colour}'><b>{symbol}</b> {text}</span>")
        self.status_label.setText("<br>".join(lines))

    def states(self) -> list[str]:
        """The targets' states (for tests and the status line)."""
        return [r["state"] for r in self.rows]
