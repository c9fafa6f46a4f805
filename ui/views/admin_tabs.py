"""Admin tabs backed by simple tables: users, document models, outbox, audit log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PyQt6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.context import Desk
from ui.i18n import bind, catalogue, tr


def when(value: str | None) -> str:
    """An ISO time as local dd.mm.yyyy hh:mm."""
    if not value:
        return "–"
    return datetime.fromisoformat(value).astimezone().strftime("%d.%m.%Y %H:%M")


class TableTab(QWidget):
    """A refreshable table; subclasses say what to load and how to show a row."""

    columns: tuple[str, ...] = ()

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.rows: list[dict[str, Any]] = []
        self.table = QTableWidget(0, len(self.columns))
        self.table.verticalHeader().setVisible(False)  # type: ignore[union-attr]
        self.table.horizontalHeader().setStretchLastSection(True)  # type: ignore[union-attr]
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.bar = QHBoxLayout()
        self.refresh_button = QPushButton()
        bind(self.refresh_button.setText, "admin.refresh")
        self.refresh_button.clicked.connect(self.refresh)
        self.bar.addStretch(1)
        self.bar.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(self.bar)
        layout.addWidget(self.table, 1)
        catalogue().changed.connect(self._fill)

    def load(self) -> list[dict[str, Any]]:
        """Fetch the rows (in a worker)."""
        raise NotImplementedError

    def cells(self, row: dict[str, Any]) -> list[str]:
        """The texts of one row."""
        raise NotImplementedError

    def refresh(self) -> None:
        """Reload from the daemon."""
        self.desk.call(self.load, self._loaded)

    def _loaded(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        self._fill()

    def _fill(self) -> None:
        self.table.setHorizontalHeaderLabels([tr(f"col.{c}") for c in self.columns])
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            for c, text in enumerate(self.cells(row)):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()


class UsersTab(TableTab):
    """Users with roles; add one with a name, role and initial password."""

    columns = ("username", "role", "disabled")

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(desk, parent)
        self.name_edit, self.password_edit = QLineEdit(), QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        bind(self.name_edit.setPlaceholderText, "users.name")
        bind(self.password_edit.setPlaceholderText, "users.password")
        self.role_combo = QComboBox()
        self.add_button = QPushButton()
        bind(self.add_button.setText, "users.add")
        for widget in (self.name_edit, self.role_combo, self.password_edit, self.add_button):
            self.bar.insertWidget(self.bar.count() - 2, widget)
        self.add_button.clicked.connect(self.add)
        self.password_edit.returnPressed.connect(self.add)

    def _fill(self) -> None:
        index = max(self.role_combo.currentIndex(), 0)
        self.role_combo.clear()
        for role in ("clerk", "reviewer", "admin"):
            self.role_combo.addItem(tr(f"role.{role}"), role)
        self.role_combo.setCurrentIndex(index)
        super()._fill()

    def load(self) -> list[dict[str, Any]]:
        """GET /api/users."""
        rows: list[dict[str, Any]] = self.desk.api.get("/api/users")
        return rows

    def cells(self, row: dict[str, Any]) -> list[str]:
        """Name, role, disabled."""
        return [row["username"], tr(f"role.{row['role']}"), tr("yes") if row["disabled"] else ""]

    def add(self) -> None:
        """POST /api/users with the form's values."""
        body = {"username": self.name_edit.text().strip(), "role": self.role_combo.currentData(),
                "password": self.password_edit.text()}
        if not body["username"] or len(body["password"]) < 8:
            self.desk.notify.show_message(tr("users.invalid"), "info")
            return

        def added(_answer: Any) -> None:
            self.name_edit.clear()
            self.password_edit.clear()
            self.desk.notify.show_message(tr("users.added"), "ok")
            self.refresh()

        self.desk.call(lambda: self.desk.api.post("/api/users", body), added)


class ModelsTab(TableTab):
    """The document models the daemon knows."""

    columns = ("model", "title", "mrz", "regions")

    def load(self) -> list[dict[str, Any]]:
        """GET /api/models."""
        rows: list[dict[str, Any]] = self.desk.api.get("/api/models")
        return rows

    def cells(self, row: dict[str, Any]) -> list[str]:
        """Id, title, MRZ format, regions."""
        mrz = row.get("mrz") or {}
        mrz_text = f"{mrz.get('format', '–')} {mrz.get('issuer', '')}"
        return [row["id"], row.get("title", ""), mrz_text,
                ", ".join(tr(f"region.{r}") for r in row.get("regions", {}))]


class OutboxTab(TableTab):
    """Case-file deliveries by state; dead letters can be re-queued."""

    columns = ("scan", "target", "state", "attempts", "next", "error")

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(desk, parent)
        self.state_combo = QComboBox()
        self.state_combo.setMinimumContentsLength(16)
        self.requeue_button = QPushButton()
        bind(self.requeue_button.setText, "outbox.requeue")
        self.state_label = QLabel()
        bind(self.state_label.setText, "outbox.state")
        for widget in (self.state_label, self.state_combo, self.requeue_button):
            self.bar.insertWidget(self.bar.count() - 2, widget)
        self.state_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.requeue_button.clicked.connect(self.requeue)

    def _fill(self) -> None:
        index = self.state_combo.currentIndex()
        self.state_combo.blockSignals(True)
        self.state_combo.clear()
        for state in ("dead", "pending", "delivered"):
            self.state_combo.addItem(tr(f"outbox.{state}"), state)
        self.state_combo.setCurrentIndex(max(index, 0))
        self.state_combo.blockSignals(False)
        super()._fill()

    def load(self) -> list[dict[str, Any]]:
        """GET /api/outbox?state=..."""
        rows: list[dict[str, Any]] = self.desk.api.get(
            "/api/outbox", state=self.state_combo.currentData() or "dead")
        return rows

    def cells(self, row: dict[str, Any]) -> list[str]:
        """Scan, target, state, attempts, next attempt, last error."""
        return [row["scan_id"][:12], row["target"], tr(f"outbox.{row['state']}"),
                str(row["attempts"]), when(row.get("next_attempt_at")),
                row.get("last_error") or ""]

    def requeue(self) -> None:
        """Re-queue the selected dead letters."""
        picked = [self.rows[i.row()] for i in
                  self.table.selectionModel().selectedRows()]  # type: ignore[union-attr]
        if not picked:
            self.desk.notify.show_message(tr("outbox.pick"), "info")
            return
        for row in picked:
            self.desk.call(lambda r=row: self.desk.api.post(f"/api/outbox/{r['id']}/requeue"),
                           lambda _a: self.refresh())


class AuditTab(TableTab):
    """The newest audit rows and a check of the hash chain."""

    columns = ("seq", "at", "actor", "action", "scan", "detail")

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(desk, parent)
        self.verify_button = QPushButton()
        bind(self.verify_button.setText, "audit.verify")
        self.verify_label = QLabel()
        self.bar.insertWidget(0, self.verify_label)
        self.bar.insertWidget(1, self.verify_button)
        self.verify_button.clicked.connect(self.verify)

    def load(self) -> list[dict[str, Any]]:
        """GET /api/audit."""
        rows: list[dict[str, Any]] = self.desk.api.get("/api/audit", limit=500)
        return rows

    def cells(self, row: dict[str, Any]) -> list[str]:
        """Seq, time, actor, action, scan, detail."""
        return [str(row["seq"]), when(row["at"]), row["actor"], row["action"],
                (row.get("scan_id") or "")[:12], row.get("detail") or ""]

    def verify(self) -> None:
        """GET /api/audit/verify and say the result."""
        def show(answer: dict[str, Any]) -> None:
            key = "audit.ok" if answer["ok"] else "audit.broken"
            self.verify_label.setText(tr(key, rows=answer["rows"],
                                         problems="; ".join(answer["problems"])[:200]))

        self.desk.call(lambda: self.desk.api.get("/api/audit/verify"), show)


TabFactory = Callable[[Desk], TableTab]
