"""The fraud desk's panels: white/IR/UV compare, checks and expected look, decision, history."""

from __future__ import annotations

from typing import Any

from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtGui import QColor, QImage, QKeySequence, QShortcut
from PyQt6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.i18n import bind, tr
from ui.widgets.capture import CaptureView, SyncGroup, overlays_for
from ui.widgets.light import colour_of, symbol_of

LIGHTS = ("white", "ir", "uv")
DECISIONS = ("genuine", "forged", "undetermined")


class ComparePanel(QWidget):
    """White, IR and UV side by side; zoom and pan move all three together."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.views = {light: CaptureView() for light in LIGHTS}
        self.titles = {light: QLabel() for light in LIGHTS}
        for col, light in enumerate(LIGHTS):
            bind(self.titles[light].setText, f"light.{light}")
            grid.addWidget(self.titles[light], 0, col)
            grid.addWidget(self.views[light], 1, col)
        self.sync = SyncGroup([self.views[light] for light in LIGHTS])
        bar = QHBoxLayout()
        self.overlay_box = QCheckBox()
        bind(self.overlay_box.setText, "review.overlays")
        self.overlay_box.setChecked(True)
        self.overlay_box.toggled.connect(self.set_overlays_visible)
        buttons = []
        for key, slot, shortcut in (("review.zoom_in", lambda: self.sync.zoom(1.25), "+"),
                                    ("review.zoom_out", lambda: self.sync.zoom(0.8), "-"),
                                    ("review.fit", self.sync.fit, "0")):
            button = QPushButton()
            bind(button.setText, key)
            button.clicked.connect(slot)
            QShortcut(QKeySequence(shortcut), self, activated=slot)
            buttons.append(button)
        bar.addWidget(self.overlay_box)
        bar.addStretch(1)
        for button in buttons:
            bar.addWidget(button)
        grid.addLayout(bar, 2, 0, 1, 3)
        grid.setRowStretch(1, 1)
        self.checks: list[dict[str, Any]] = []

    def clear(self) -> None:
        """Empty all views."""
        for view in self.views.values():
            view.set_image(None, [])

    def set_image(self, light: str, image: QImage, checks: list[dict[str, Any]]) -> None:
        """Show one light with the boxes and scores of every check in it."""
        view = self.views[light]
        view.set_image(image, overlays_for(checks, light, only_irregular=False))
        view.set_overlays_visible(self.overlay_box.isChecked())
        first = self.views["white"]
        if view is not first and first.has_image:
            view.setTransform(first.transform())

    def set_overlays_visible(self, visible: bool) -> None:
        """Toggle the check boxes in all three views."""
        for view in self.views.values():
            view.set_overlays_visible(visible)


def checks_table() -> QTableWidget:
    """An empty read-only table for check rows."""
    table = QTableWidget(0, 5)
    table.verticalHeader().setVisible(False)  # type: ignore[union-attr]
    table.horizontalHeader().setStretchLastSection(True)  # type: ignore[union-attr]
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    return table


def fill_checks(table: QTableWidget, checks: list[dict[str, Any]], language: str) -> None:
    """One row per check: light, status symbol, check id, score, reason."""
    table.setHorizontalHeaderLabels([tr(f"checks.col.{c}") for c in
                                     ("light", "status", "id", "score", "reason")])
    table.setRowCount(len(checks))
    for row, check in enumerate(checks):
        status = str(check.get("status", ""))
        score = check.get("score")
        reason = check.get("reason_de") if language == "de" else None
        cells = [tr(f"light.{check.get('light')}") if check.get("light") else "–",
                 f"{symbol_of(status)} {tr(f'status.{status}')}", str(check.get("id")),
                 f"{score:.2f}" if isinstance(score, float | int) else "–",
                 str(reason or check.get("reason", ""))]
        for col, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if col == 1:
                item.setForeground(QColor(colour_of(status) if status != "undetermined"
                                          else "#8a6d00"))
            table.setItem(row, col, item)
    table.resizeColumnsToContents()


def expected_text(model: dict[str, Any] | None) -> str:
    """The model's expected look per light, in words (HTML)."""
    if model is None:
        return tr("legend.unknown_model")
    parts = [f"<b>{model['id']}</b>: {model.get('title', '')}"]
    for light in LIGHTS:
        items = []
        for name, region in model.get("regions", {}).items():
            look = region.get(light)
            items.append(f"{tr(f'region.{name}')}: {tr(f'appear.{look}')}")
        if light == "uv":
            items.append(tr("legend.paper_uv"))
            fibres = model.get("fibres")
            if fibres:
                items.append(tr("legend.fibres", min=fibres["min"], max=fibres["max"]))
        parts.append(f"<b>{tr(f'light.{light}')}</b>: " + "; ".join(items))
    return "<br>".join(parts)


class DecisionPanel(QGroupBox):
    """Genuine, forged or undetermined, with a mandatory written reason."""

    submitted = pyqtSignal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        bind(self.setTitle, "decision.title")
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.group = QButtonGroup(self)
        self.radios: dict[str, QRadioButton] = {}
        for i, decision in enumerate(DECISIONS):
            radio = QRadioButton()
            bind(radio.setText, f"decision.{decision}")
            self.group.addButton(radio, i)
            self.radios[decision] = radio
            row.addWidget(radio)
        layout.addLayout(row)
        self.reason_label = QLabel()
        bind(self.reason_label.setText, "decision.reason")
        self.reason = QPlainTextEdit()
        bind(self.reason.setPlaceholderText, "decision.reason_hint")
        self.reason.setTabChangesFocus(True)
        self.submit_button = QPushButton()
        bind(self.submit_button.setText, "decision.submit")
        self.submit_button.setEnabled(False)
        self.state_label = QLabel()
        self.state_label.setWordWrap(True)
        layout.addWidget(self.reason_label)
        layout.addWidget(self.reason, 1)
        layout.addWidget(self.submit_button)
        layout.addWidget(self.state_label)
        self.group.buttonToggled.connect(lambda *_: self._update())
        self.reason.textChanged.connect(self._update)
        self.submit_button.clicked.connect(self.submit)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.submit)

    def decision(self) -> str | None:
        """The chosen decision, if any."""
        return next((d for d, r in self.radios.items() if r.isChecked()), None)

    def _update(self) -> None:
        ready = self.decision() is not None and len(self.reason.toPlainText().strip()) >= 3
        self.submit_button.setEnabled(ready and self.isEnabled())

    def submit(self) -> None:
        """Send the decision (only with a reason)."""
        decision = self.decision()
        if decision is None or not self.submit_button.isEnabled():
            return
        self.submitted.emit(decision, self.reason.toPlainText().strip())

    def reset(self) -> None:
        """A fresh form for the next scan."""
        self.group.setExclusive(False)
        for radio in self.radios.values():
            radio.setChecked(False)
        self.group.setExclusive(True)
        self.reason.clear()
        self.state_label.clear()
        self._update()


def history_list() -> QListWidget:
    """The scan's history: decisions and audit rows."""
    widget = QListWidget()
    widget.setWordWrap(True)
    widget.setTextElideMode(Qt.TextElideMode.ElideNone)
    return widget
