"""The desk's main window: login, then the view the user's role needs."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from PyQt6.QtGui import QKeySequence, QShortcut
from PyQt6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.api import Api
from ui.context import Desk
from ui.i18n import bind, catalogue, tr
from ui.views.admin import AdminView
from ui.views.clerk import ClerkView
from ui.views.login import LoginView
from ui.views.review import ReviewView
from ui.widgets.notify import NotificationArea
from ui.workers import EventStream, Runner

DEFAULT_URL = "http://127.0.0.1:8470"


class MainWindow(QMainWindow):
    """One window: a header, the notification area and the login or role page."""

    def __init__(self, url: str = DEFAULT_URL, language: str = "de") -> None:
        super().__init__()
        self.resize(1366, 768)
        bind(self.setWindowTitle, "app.title")
        self.notify = NotificationArea()
        self.runner = Runner(self.notify.error, self)
        self.desk: Desk | None = None
        self.events: EventStream | None = None
        self.clerk: ClerkView | None = None
        self.review: ReviewView | None = None
        self.admin: AdminView | None = None
        self.header = QWidget()
        header = QHBoxLayout(self.header)
        header.setContentsMargins(8, 2, 8, 2)
        self.user_label = QLabel()
        self.link_label = QLabel()
        self.language = QComboBox()
        self.language.addItem("Deutsch", "de")
        self.language.addItem("English", "en")
        self.language.currentIndexChanged.connect(
            lambda _i: catalogue().set_language(self.language.currentData()))
        self.logout_button = QPushButton()
        bind(self.logout_button.setText, "app.logout")
        self.logout_button.clicked.connect(self.logout)
        header.addWidget(self.user_label, 1)
        header.addWidget(self.link_label)
        header.addWidget(self.language)
        header.addWidget(self.logout_button)
        self.header.hide()
        self.stack = QStackedWidget()
        self.login_view = LoginView(url)
        self.login_view.submitted.connect(self.login)
        self.stack.addWidget(self.login_view)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.header)
        layout.addWidget(self.notify)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        QShortcut(QKeySequence("Ctrl+Shift+L"), self, activated=self.toggle_language)
        catalogue().changed.connect(self._sync_language)
        self.set_language(language)

    def set_language(self, language: str) -> None:
        """Switch the whole desk to `de` or `en`."""
        catalogue().set_language(language)

    def toggle_language(self) -> None:
        """German <-> English (Ctrl+Shift+L)."""
        self.set_language("en" if catalogue().language == "de" else "de")

    def _sync_language(self) -> None:
        for combo in (self.language, self.login_view.language):
            combo.blockSignals(True)
            combo.setCurrentIndex(0 if catalogue().language == "de" else 1)
            combo.blockSignals(False)
        if self.desk is not None:
            self.user_label.setText(tr("app.user", user=self.desk.api.username,
                                       role=tr(f"role.{self.desk.api.role}")))

    def login(self, url: str, username: str, password: str) -> None:
        """Log in in a worker, then build the role's page."""
        api = Api(url)
        self.login_view.set_busy(True)

        def failed(_err: Exception) -> bool:
            self.login_view.set_busy(False)
            return False

        self.runner.run(lambda: api.login(username, password),
                        lambda _answer: self._logged_in(api), failed)

    def _logged_in(self, api: Api) -> None:
        self.login_view.set_busy(False)
        self.login_view.password_edit.clear()
        self.notify.clear()
        self.desk = Desk(api, self.runner, self.notify)
        page = self._role_page(api.role)
        self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)
        self.header.show()
        self._sync_language()
        self.events = EventStream(api.ws_url(), self)
        self.events.event.connect(self._on_event)
        self.events.connected.connect(self._on_link)
        self.events.start()

    def _role_page(self, role: str) -> QWidget:
        assert self.desk is not None
        if role == "clerk":
            self.clerk = ClerkView(self.desk)
            self.clerk.case_edit.setFocus()
            return self.clerk
        if role == "reviewer":
            self.review = ReviewView(self.desk)
            self.review.refresh()
            return self.review
        self.admin = AdminView(self.desk)
        self.clerk = ClerkView(self.desk)
        self.review = ReviewView(self.desk, can_decide=False)
        tabs = QTabWidget()
        for widget, key in ((self.admin, "app.tab.admin"), (self.clerk, "app.tab.scan"),
                            (self.review, "app.tab.review")):
            tabs.addTab(widget, "")
            bind(lambda text, w=widget, t=tabs: t.setTabText(t.indexOf(w), text), key)
        tabs.currentChanged.connect(lambda _i: self.review.refresh()  # type: ignore[union-attr]
                                    if tabs.currentWidget() is self.review else None)
        self.admin.start()
        return tabs

    def _on_event(self, event: dict[str, Any]) -> None:
        if self.clerk is not None:
            self.clerk.on_event(event)
        if (self.review is not None and event.get("type") == "result"
                and event.get("verdict") in ("review", "fail")):
            self.review.refresh()

    def _on_link(self, up: bool) -> None:
        self.link_label.setText(tr("app.link_up") if up else tr("app.link_down"))
        self.link_label.setStyleSheet("" if up else "color:#c62828; font-weight:bold;")

    def logout(self) -> None:
        """Log out and go back to the login page."""
        self.stop_events()
        if self.desk is not None:
            api = self.desk.api
            self.runner.run(api.logout, retry=False)
        page = self.stack.currentWidget()
        self.stack.setCurrentWidget(self.login_view)
        if page is not None and page is not self.login_view:
            self.stack.removeWidget(page)
            page.deleteLater()
        self.desk, self.clerk, self.review, self.admin = None, None, None, None
        self.header.hide()

    def stop_events(self) -> None:
        """End the WebSocket thread."""
        if self.events is not None:
            self.events.stop()
            self.events = None

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        """Stop threads before closing."""
        self.stop_events()
        self.runner.shutdown()
        super().closeEvent(event)


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m ui [--url URL] [--lang de|en]`: run the desk."""
    parser = argparse.ArgumentParser(prog="authscan desk", description="The authscan desk.")
    parser.add_argument("--url", default=DEFAULT_URL, help="the daemon's base URL")
    parser.add_argument("--lang", choices=("de", "en"), default="de", help="language")
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = MainWindow(args.url, args.lang)
    window.show()
    return int(app.exec())  # type: ignore[union-attr]
