"""Driving the desk in tests: log in as a role and wait for the workers."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from ui.app import MainWindow
from ui.testing import PASSWORD, Daemon


def open_desk(qtbot: QtBot, daemon: Daemon, username: str, language: str = "de") -> MainWindow:
    """A shown main window, logged in as `username`."""
    window = MainWindow(daemon.url, language)
    qtbot.addWidget(window)
    window.show()
    window.login_view.user_edit.setText(username)
    window.login_view.password_edit.setText(PASSWORD)
    window.login_view.button.click()
    qtbot.waitUntil(lambda: window.desk is not None, timeout=15000)
    return window


def idle(qtbot: QtBot, window: MainWindow, timeout: int = 20000) -> None:
    """Wait until every worker call has come back."""
    qtbot.waitUntil(lambda: window.runner.pending == 0, timeout=timeout)


def close(qtbot: QtBot, window: MainWindow) -> None:
    """Stop the window's threads."""
    idle(qtbot, window)
    window.close()
