"""The one notification area: every error lands here, with a retry when one makes sense."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PyQt6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from ui.api import ApiError
from ui.i18n import bind, tr

log = logging.getLogger(__name__)
_STYLES = {"error": "background:#fdecea; border:1px solid #c62828; color:#7f1d1d;",
           "info": "background:#e8f1fb; border:1px solid #1f5fa8; color:#0d3565;",
           "ok": "background:#e7f5ec; border:1px solid #1b873f; color:#0f4d24;"}


def describe(err: Exception) -> str:
    """A plain-words message for an error (no personal data)."""
    if isinstance(err, ApiError):
        if err.kind == "down":
            return tr("err.down")
        if err.kind == "auth":
            return tr("err.auth")
        if err.kind == "forbidden":
            return tr("err.forbidden")
        if err.kind == "not_found":
            return tr("err.not_found", detail=err.detail)
        return tr("err.http", detail=err.detail or str(err.status))
    return tr("err.internal", kind=type(err).__name__)


class NotificationArea(QFrame):
    """A bar above the views: the newest message, a retry button and a close button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.retry_button = QPushButton()
        bind(self.retry_button.setText, "notify.retry")
        self.close_button = QPushButton("×")
        self.close_button.setFixedWidth(28)
        bind(self.close_button.setToolTip, "notify.close")
        layout.addWidget(self.label, 1)
        layout.addWidget(self.retry_button)
        layout.addWidget(self.close_button)
        self._retry: Callable[[], None] | None = None
        self.level = ""
        self.retry_button.clicked.connect(self._on_retry)
        self.close_button.clicked.connect(self.clear)
        self.history: list[str] = []
        self.hide()

    def show_message(self, text: str, level: str = "info",
                     retry: Callable[[], None] | None = None) -> None:
        """Show a message; `level` is error, info or ok."""
        self.level = level
        self.label.setText(text)
        self.setStyleSheet(f"NotificationArea {{{_STYLES[level]}}}")
        self._retry = retry
        self.retry_button.setVisible(retry is not None)
        self.history.append(text)
        self.show()

    def error(self, err: Exception, retry: Callable[[], None] | None = None) -> None:
        """The error sink of the whole desk."""
        log.warning("desk error: %s", type(err).__name__)
        self.show_message(describe(err), "error", retry)

    def clear(self) -> None:
        """Hide the bar."""
        self.level = ""
        self._retry = None
        self.hide()

    def _on_retry(self) -> None:
        retry = self._retry
        self.clear()
        if retry is not None:
            retry()
