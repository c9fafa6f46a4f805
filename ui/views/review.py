"""The fraud desk: the review queue with filters, the compare view and the decision."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PyQt6.QtCore import QDate, Qt
from PyQt6.QtGui import QImage
from PyQt6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.context import Desk
from ui.i18n import bind, catalogue, tr
from ui.views.review_panels import (
    LIGHTS,
    ComparePanel,
    DecisionPanel,
    checks_table,
    expected_text,
    fill_checks,
    history_list,
)
from ui.widgets.light import symbol_of

SEVERITY_VERDICT = {"high": "fail", "medium": "review"}


class ReviewView(QWidget):
    """Flagged scans, high severity first; white/IR/UV compare; decide with a reason."""

    def __init__(self, desk: Desk, can_decide: bool = True, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.can_decide = can_decide
        self.items: list[dict[str, Any]] = []
        self.shown: list[dict[str, Any]] = []
        self.scan: dict[str, Any] | None = None
        self.models: dict[str, dict[str, Any]] = {}
        self._build()
        catalogue().changed.connect(self._retranslate)

    def _build(self) -> None:
        self.severity = QComboBox()
        self.verdict = QComboBox()
        self.since_box = QCheckBox()
        bind(self.since_box.setText, "review.since")
        self.since = QDateEdit(QDate.currentDate().addDays(-30))
        self.since.setCalendarPopup(True)
        self.since.setEnabled(False)
        self.since_box.toggled.connect(self.since.setEnabled)
        self.decided_box = QCheckBox()
        bind(self.decided_box.setText, "review.include_decided")
        self.refresh_button = QPushButton()
        bind(self.refresh_button.setText, "review.refresh")
        form = QFormLayout()
        self.severity_label, self.verdict_label = QLabel(), QLabel()
        bind(self.severity_label.setText, "review.severity")
        bind(self.verdict_label.setText, "review.verdict")
        form.addRow(self.severity_label, self.severity)
        form.addRow(self.verdict_label, self.verdict)
        since_row = QHBoxLayout()
        since_row.addWidget(self.since_box)
        since_row.addWidget(self.since)
        form.addRow(since_row)
        form.addRow(self.decided_box)
        form.addRow(self.refresh_button)
        self.table = QTableWidget(0, 4)
        self.table.verticalHeader().setVisible(False)  # type: ignore[union-attr]
        self.table.horizontalHeader().setStretchLastSection(True)  # type: ignore[union-attr]
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addLayout(form)
        ll.addWidget(self.table, 1)
        for combo in (self.severity, self.verdict):
            combo.currentIndexChanged.connect(self._apply_filters)
        self.since.dateChanged.connect(self._apply_filters)
        self.since_box.toggled.connect(self._apply_filters)
        self.decided_box.toggled.connect(self.refresh)
        self.refresh_button.clicked.connect(self.refresh)
        self.table.itemSelectionChanged.connect(self._open_selected)

        self.compare = ComparePanel()
        self.info = QTabWidget()
        self.checks = checks_table()
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.legend.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.history = history_list()
        for widget in (self.checks, self.legend, self.history):
            self.info.addTab(widget, "")
        self.decision = DecisionPanel()
        self.decision.setEnabled(False)
        self.decision.submitted.connect(self._decide)
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(self.info)
        bottom.addWidget(self.decision)
        bottom.setSizes([640, 360])
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.compare)
        right.addWidget(bottom)
        right.setSizes([430, 300])
        main = QSplitter(Qt.Orientation.Horizontal)
        main.addWidget(left)
        main.addWidget(right)
        main.setSizes([330, 1030])
        QVBoxLayout(self).addWidget(main)
        self.setTabOrder(self.severity, self.verdict)
        self.setTabOrder(self.verdict, self.table)
        self.setTabOrder(self.table, self.decision.reason)
        self._retranslate()

    def _retranslate(self) -> None:
        for combo, values, prefix in ((self.severity, ("", "high", "medium"), "severity"),
                                      (self.verdict, ("", "fail", "review"), "verdict.short")):
            index = max(combo.currentIndex(), 0)
            combo.blockSignals(True)
            combo.clear()
            for value in values:
                combo.addItem(tr(f"{prefix}.{value}" if value else "review.all"), value)
            combo.setCurrentIndex(index)
            combo.blockSignals(False)
        for i, key in enumerate(("review.tab_checks", "review.tab_expected",
                                 "review.tab_history")):
            self.info.setTabText(i, tr(key))
        self._fill_table()
        self._render_scan()

    # -- queue ----------------------------------------------------------------------------
    def refresh(self) -> None:
        """Load the queue (and the scan summaries for verdict and model)."""
        include = self.decided_box.isChecked()
        api = self.desk.api

        def load() -> list[dict[str, Any]]:
            queue = api.get("/api/review", include_decided=str(include).lower())
            scans = {s["id"]: s for s in api.get("/api/scans", limit=500)}
            return [{**item, **{k: scans.get(item["scan_id"], {}).get(k)
                                for k in ("verdict", "model", "case_ref")}} for item in queue]

        self.desk.call(load, self._loaded)
        if not self.models:
            self.desk.call(lambda: api.get("/api/models"), self._models_loaded)

    def _models_loaded(self, models: list[dict[str, Any]]) -> None:
        self.models = {m["id"]: m for m in models}
        self._render_scan()

    def _loaded(self, items: list[dict[str, Any]]) -> None:
        self.items = items
        self._apply_filters()

    def _apply_filters(self) -> None:
        severity, verdict = self.severity.currentData(), self.verdict.currentData()
        since = self.since.date().toString("yyyy-MM-dd") if self.since_box.isChecked() else ""
        self.shown = [i for i in self.items
                      if (not severity or i["severity"] == severity)
                      and (not verdict or (i.get("verdict") or SEVERITY_VERDICT.get(
                          i["severity"])) == verdict)
                      and i["created_at"][:10] >= since]
        self._fill_table()

    def _fill_table(self) -> None:
        self.table.blockSignals(True)
        self.table.setHorizontalHeaderLabels([tr(f"queue.col.{c}") for c in
                                              ("created", "severity", "verdict", "claimed")])
        self.table.setRowCount(len(self.shown))
        for row, item in enumerate(self.shown):
            created = datetime.fromisoformat(item["created_at"]).astimezone()
            verdict = item.get("verdict") or ""
            cells = [created.strftime("%d.%m. %H:%M"), tr(f"severity.{item['severity']}"),
                     f"{symbol_of(verdict)} {tr(f'verdict.short.{verdict}')}" if verdict else "",
                     item.get("claimed_by") or "–"]
            for col, text in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.table.blockSignals(False)

    # -- one scan -------------------------------------------------------------------------
    def _open_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()  # type: ignore[union-attr]
        if rows:
            self.open_scan(self.shown[rows[0].row()]["scan_id"])

    def open_scan(self, scan_id: str) -> None:
        """Claim (as a reviewer), then load result, images, decisions and history."""
        api = self.desk.api
        self.scan = None
        self.compare.clear()
        self.decision.reset()
        self.decision.setEnabled(False)
        if self.can_decide:
            self.desk.call(lambda: api.post(f"/api/review/{scan_id}/claim"),
                           lambda _a: self._claimed(scan_id))
        self.desk.call(lambda: api.get(f"/api/scans/{scan_id}"), self._scan_loaded)

    def _claimed(self, scan_id: str) -> None:
        if self.scan is not None and self.scan["id"] == scan_id:
            self.decision.setEnabled(True)
        self._claim_ok = scan_id

    def _scan_loaded(self, scan: dict[str, Any]) -> None:
        self.scan = scan
        scan_id = scan["id"]
        if self.can_decide and getattr(self, "_claim_ok", None) == scan_id:
            self.decision.setEnabled(True)
        for light in LIGHTS:
            if light in scan.get("images", []):
                self.desk.call(lambda li=light: (scan_id, li, self.desk.fetch_image(scan_id, li)),
                               self._image_loaded)
        self._load_history(scan_id)
        self._render_scan()

    def _image_loaded(self, triple: tuple[str, str, QImage]) -> None:
        scan_id, light, image = triple
        if self.scan is not None and self.scan["id"] == scan_id:
            self.compare.set_image(light, image, self.scan["result"].get("checks", []))

    def _load_history(self, scan_id: str) -> None:
        api = self.desk.api
        self.desk.call(lambda: (api.get(f"/api/review/{scan_id}/decisions"),
                                api.get(f"/api/scans/{scan_id}/history")),
                       lambda pair: self._history_loaded(scan_id, pair))

    def _history_loaded(self, scan_id: str, pair: tuple[list[Any], list[Any]]) -> None:
        if self.scan is None or self.scan["id"] != scan_id:
            return
        decisions, audit = pair
        self.history.clear()
        for d in decisions:
            when = datetime.fromisoformat(d["decided_at"]).astimezone().strftime("%d.%m.%Y %H:%M")
            self.history.addItem(tr("history.decision", when=when,
                                    decision=tr(f"decision.{d['decision']}"), reason=d["reason"]))
        for entry in audit:
            when = datetime.fromisoformat(entry["at"]).astimezone().strftime("%d.%m.%Y %H:%M:%S")
            self.history.addItem(f"{when}  {entry['actor']}  {entry['action']}  "
                                 f"{entry.get('detail') or ''}".rstrip())

    def _render_scan(self) -> None:
        if self.scan is None:
            self.checks.setRowCount(0)
            self.legend.setText(tr("review.pick"))
            return
        result = self.scan["result"]
        fill_checks(self.checks, result.get("checks", []), catalogue().language)
        self.legend.setText(expected_text(self.models.get(self.scan.get("model") or "")))

    def _decide(self, decision: str, reason: str) -> None:
        if self.scan is None:
            return
        scan_id = self.scan["id"]
        self.decision.submit_button.setEnabled(False)
        self.desk.call(lambda: self.desk.api.post(f"/api/review/{scan_id}/decision",
                                                  {"decision": decision, "reason": reason}),
                       lambda _a: self._decided(scan_id, decision))

    def _decided(self, scan_id: str, decision: str) -> None:
        self.decision.state_label.setText(tr("decision.saved", decision=tr(f"decision.{decision}")))
        self.desk.notify.show_message(tr("decision.saved", decision=tr(f"decision.{decision}")),
                                      "ok")
        self._load_history(scan_id)
        self.refresh()
