"""The clerk's counter view: case number, one Scan action, live progress, verdict, filing."""

from __future__ import annotations

from typing import Any

from PyQt6.QtCore import Qt, QTimer
from PyQt6.QtGui import QColor, QFont, QImage, QKeySequence, QShortcut
from PyQt6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.context import Desk, result_lights
from ui.i18n import bind, catalogue, tr
from ui.widgets.capture import CaptureView, overlays_for
from ui.widgets.delivery import DeliveryPanel
from ui.widgets.light import TrafficLight, colour_of, symbol_of

STEPS = ("queued", "capturing", "analysing", "storing", "done")
MRZ_ORDER = ("document_type", "issuing_state", "surname", "given_names", "document_number",
             "nationality", "birth_date", "sex", "expiry_date", "optional_data", "composite")


class ClerkView(QWidget):
    """Place the document, press Enter: the verdict in seconds, in plain words."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.scan_id: str | None = None
        self.result: dict[str, Any] | None = None
        self._loading = False
        self.poll = QTimer(self)
        self.poll.setInterval(1000)
        self.poll.timeout.connect(self._poll)
        self._build()
        catalogue().changed.connect(self._render)

    def _build(self) -> None:
        top = QHBoxLayout()
        self.case_label = QLabel()
        bind(self.case_label.setText, "clerk.case")
        self.case_edit = QLineEdit()
        self.case_edit.setMaxLength(128)
        bind(self.case_edit.setPlaceholderText, "clerk.case_hint")
        self.case_label.setBuddy(self.case_edit)
        self.scan_button = QPushButton()
        bind(self.scan_button.setText, "clerk.scan")
        self.scan_button.setDefault(True)
        self.scan_button.setMinimumHeight(40)
        font = QFont()
        font.setPointSize(13)
        font.setBold(True)
        self.scan_button.setFont(font)
        self.progress = QProgressBar()
        self.progress.setRange(0, len(STEPS) - 1)
        self.progress.setTextVisible(True)
        self.progress.setFormat("")
        top.addWidget(self.case_label)
        top.addWidget(self.case_edit, 2)
        top.addWidget(self.scan_button, 1)
        top.addWidget(self.progress, 2)
        self.case_edit.returnPressed.connect(self.scan)
        self.scan_button.clicked.connect(self.scan)
        QShortcut(QKeySequence("F5"), self, activated=self.scan)
        QShortcut(QKeySequence("Ctrl+L"), self, activated=self.case_edit.setFocus)

        self.light = TrafficLight(88)
        self.verdict_label = QLabel()
        self.verdict_label.setWordWrap(True)
        big = QFont()
        big.setPointSize(15)
        big.setBold(True)
        self.verdict_label.setFont(big)
        self.model_label = QLabel()
        self.reasons = QListWidget()
        self.reasons.setWordWrap(True)
        verdict_box = QGroupBox()
        bind(verdict_box.setTitle, "clerk.verdict")
        vl = QGridLayout(verdict_box)
        vl.addWidget(self.light, 0, 0, 2, 1)
        vl.addWidget(self.verdict_label, 0, 1)
        vl.addWidget(self.model_label, 1, 1)
        vl.addWidget(self.reasons, 2, 0, 1, 2)
        vl.setColumnStretch(1, 1)
        self.delivery = DeliveryPanel(self.desk)

        images_box = QGroupBox()
        bind(images_box.setTitle, "clerk.images")
        il = QGridLayout(images_box)
        self.thumbs: list[CaptureView] = []
        self.thumb_titles: list[QLabel] = []
        for col in range(3):
            title, view = QLabel(), CaptureView()
            view.setMinimumHeight(150)
            view.clicked.connect(lambda c=col: self._detail(c))
            il.addWidget(title, 0, col)
            il.addWidget(view, 1, col)
            self.thumbs.append(view)
            self.thumb_titles.append(title)
        self.mrz_table = QTableWidget(0, 5)
        self.mrz_table.verticalHeader().setVisible(False)  # type: ignore[union-attr]
        self.mrz_table.horizontalHeader().setStretchLastSection(True)  # type: ignore[union-attr]
        mrz_box = QGroupBox()
        bind(mrz_box.setTitle, "clerk.mrz")
        QVBoxLayout(mrz_box).addWidget(self.mrz_table)

        left = QVBoxLayout()
        left.addWidget(verdict_box, 3)
        left.addWidget(self.delivery, 1)
        right = QVBoxLayout()
        right.addWidget(images_box, 3)
        right.addWidget(mrz_box, 2)
        body = QHBoxLayout()
        body.addLayout(left, 2)
        body.addLayout(right, 3)
        outer = QVBoxLayout(self)
        outer.addLayout(top)
        outer.addLayout(body, 1)
        self.setTabOrder(self.case_edit, self.scan_button)
        self.setTabOrder(self.scan_button, self.reasons)
        self.setTabOrder(self.reasons, self.mrz_table)
        self._render()

    # -- scanning -------------------------------------------------------------------------
    def scan(self) -> None:
        """Start a scan with the entered case number (Enter, F5 or the button)."""
        if not self.scan_button.isEnabled():
            return
        case_ref = self.case_edit.text().strip()
        if not case_ref:
            self.desk.notify.show_message(tr("clerk.need_case"), "info")
            self.case_edit.setFocus()
            return
        self.desk.notify.clear()
        self.scan_button.setEnabled(False)
        self.result, self.scan_id, self._loading = None, None, False
        self._set_step("queued")
        self._render()
        self.desk.call(lambda: self.desk.api.post("/api/scans", {"case_ref": case_ref}),
                       self._started, self._scan_failed)

    def _scan_failed(self, err: Exception) -> bool:
        self.scan_button.setEnabled(True)
        self.progress.setValue(0)
        self.progress.setFormat("")
        return False  # still shown in the notification area

    def _started(self, job: dict[str, Any]) -> None:
        self.scan_id = job["scan_id"]
        self._set_step(job.get("step", "queued"))
        self.poll.start()

    def on_event(self, event: dict[str, Any]) -> None:
        """A WebSocket event: progress steps of our scan, then its result."""
        if self.scan_id is None or event.get("scan_id") != self.scan_id:
            return
        if event.get("state") == "failed":
            self._job_failed(event.get("error") or "")
        elif event.get("type") == "result" or event.get("state") == "done":
            self._load_result()
        else:
            self._set_step(str(event.get("step", "")))

    def _poll(self) -> None:
        scan_id = self.scan_id
        if scan_id is None or self._loading:
            return
        self.desk.call(lambda: self.desk.api.get(f"/api/scans/{scan_id}"), self._polled)

    def _polled(self, answer: dict[str, Any]) -> None:
        if answer.get("id") == self.scan_id:
            self._show(answer)
            return
        job = answer.get("job") or {}
        if job.get("scan_id") != self.scan_id:
            return
        if job.get("state") == "failed":
            self._job_failed(job.get("error") or "")
        else:
            self._set_step(str(job.get("step", "")))

    def _job_failed(self, error: str) -> None:
        self.poll.stop()
        self.scan_button.setEnabled(True)
        self.progress.setFormat(tr("step.failed"))
        self.desk.notify.show_message(tr("clerk.scan_failed", error=error), "error", self.scan)

    def _set_step(self, step: str) -> None:
        if step in STEPS:
            self.progress.setFormat(tr(f"step.{step}"))
            self.progress.setValue(STEPS.index(step))

    def _load_result(self) -> None:
        if self._loading or self.scan_id is None:
            return
        self._loading = True
        scan_id = self.scan_id
        self.desk.call(lambda: self.desk.api.get(f"/api/scans/{scan_id}"), self._polled)

    def _show(self, scan: dict[str, Any]) -> None:
        self.poll.stop()
        self._set_step("done")
        self.result = scan
        self.scan_button.setEnabled(True)
        self.case_edit.selectAll()
        self.case_edit.setFocus()
        self._render()
        scan_id = scan["id"]
        for light in scan.get("images", []):
            self.desk.call(lambda li=light: (li, self.desk.fetch_image(scan_id, li)),
                           self._image_loaded)
        self.delivery.follow(scan_id)

    def _image_loaded(self, pair: tuple[str, QImage]) -> None:
        light, image = pair
        if self.result is None:
            return
        result = self.result["result"]
        lights = result_lights(result)
        col = lights.index(light)
        self.thumbs[col].set_image(image, overlays_for(result.get("checks", []), light, True))

    def _detail(self, col: int) -> None:
        from ui.views.detail import DetailDialog  # noqa: PLC0415 - opened rarely

        if self.result is None or not self.thumbs[col].has_image:
            return
        light = result_lights(self.result["result"])[col]
        DetailDialog(self.desk, self.result, light, self).open()

    # -- rendering ------------------------------------------------------------------------
    def _render(self) -> None:
        scan = self.result
        self.reasons.clear()
        self.mrz_table.setRowCount(0)
        self.mrz_table.setHorizontalHeaderLabels([tr(f"mrz.col.{c}") for c in
                                                  ("field", "value", "read", "expected", "ok")])
        if scan is None:
            self.light.set_status("")
            self.verdict_label.setText(tr("clerk.idle"))
            self.verdict_label.setStyleSheet("")
            self.model_label.setText("")
            for view, title in zip(self.thumbs, self.thumb_titles, strict=True):
                view.set_image(None, [])
                title.setText("")
            return
        result = scan["result"]
        verdict = result["verdict"]
        self.light.set_status(verdict)
        self.verdict_label.setText(f"{symbol_of(verdict)} {tr(f'verdict.{verdict}')}")
        self.verdict_label.setStyleSheet(f"color: {colour_of(verdict)};"
                                         if verdict != "review" else "color: #8a6d00;")
        model = result.get("document", {}).get("model") or tr("clerk.model_unknown")
        self.model_label.setText(tr("clerk.model", model=model, case=scan.get("case_ref") or "–"))
        self._render_reasons(result)
        self._render_mrz(result.get("mrz"))
        for col, light in enumerate(result_lights(result)):
            n = len(overlays_for(result.get("checks", []), light, True))
            title = tr(f"light.{light}") + (f" – {tr('clerk.irregular', n=n)}" if n else "")
            self.thumb_titles[col].setText(title)

    def _render_reasons(self, result: dict[str, Any]) -> None:
        reasons = result.get("reasons") or []
        if not reasons:
            self.reasons.addItem(QListWidgetItem(f"✓ {tr('clerk.no_reasons')}"))
        for reason in reasons:
            text = reason.get("reason_de") if catalogue().language == "de" else None
            status = reason.get("status", "failed")
            item = QListWidgetItem(f"{symbol_of(status)}  {text or reason.get('reason', '')}")
            item.setForeground(QColor(colour_of(status) if status != "undetermined"
                                      else "#8a6d00"))
            self.reasons.addItem(item)

    def _render_mrz(self, mrz: dict[str, Any] | None) -> None:
        if not mrz:
            self.mrz_table.setRowCount(1)
            self.mrz_table.setItem(0, 0, QTableWidgetItem(tr("clerk.no_mrz")))
            return
        fields = mrz.get("fields") or {}
        checks = {c["field"]: c for c in mrz.get("checks") or []}
        names = [n for n in MRZ_ORDER if n in fields or n in checks]
        self.mrz_table.setRowCount(len(names))
        for row, name in enumerate(names):
            check = checks.get(name)
            ok = None if check is None else bool(check.get("ok"))
            cells = [tr(f"field.{name}"), str(fields.get(name, "")),
                     "" if check is None else str(check.get("read")),
                     "" if check is None else str(check.get("expected")),
                     "" if ok is None else ("✓" if ok else "✗")]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if ok is False:
                    item.setForeground(QColor(colour_of("failed")))
                self.mrz_table.setItem(row, col, item)
        self.mrz_table.resizeColumnsToContents()
