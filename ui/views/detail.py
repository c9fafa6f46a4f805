"""One click from the overview to the detail: a light full size with every check's box."""

from __future__ import annotations

from typing import Any

from PyQt6.QtGui import QImage
from PyQt6.QtWidgets import QCheckBox, QDialog, QVBoxLayout, QWidget

from ui.context import Desk
from ui.i18n import bind, tr
from ui.widgets.capture import CaptureView, overlays_for


class DetailDialog(QDialog):
    """A light of a scan, zoomable, with the boxes of all checks in that light."""

    def __init__(self, desk: Desk, scan: dict[str, Any], light: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("detail.title", light=tr(f"light.{light}")))
        self.resize(1100, 700)
        self.view = CaptureView()
        self.only_irregular = QCheckBox()
        bind(self.only_irregular.setText, "detail.only_irregular")
        layout = QVBoxLayout(self)
        layout.addWidget(self.only_irregular)
        layout.addWidget(self.view, 1)
        self.checks = scan["result"].get("checks", [])
        self.light = light
        self.image: QImage | None = None
        self.only_irregular.toggled.connect(self._render)
        desk.call(lambda: desk.fetch_image(scan["id"], light), self._loaded)

    def _loaded(self, image: QImage) -> None:
        self.image = image
        self._render()

    def _render(self) -> None:
        self.view.set_image(self.image, overlays_for(self.checks, self.light,
                                                     self.only_irregular.isChecked()))
