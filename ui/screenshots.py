"""Render every desk view with real scans (two real daemons, sim readers) into PNGs.

Run: `QT_QPA_PLATFORM=offscreen python -m ui.screenshots [OUT_DIR]` (default docs/screenshots).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image
from PyQt6.QtCore import QBuffer, QIODevice
from PyQt6.QtWidgets import QApplication, QWidget

from ui.app import MainWindow
from ui.testing import PASSWORD, Daemon

SIZE = (1366, 768)
BROKEN_TARGET = '[[casefile.targets]]\ntype = "hotfolder"\nname = "archive"\npath = "{path}"\n'


def wait(app: QApplication, done: Callable[[], bool], timeout: float = 60.0) -> None:
    """Process events until `done()` or the timeout."""
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError("the desk did not get there in time")
        app.processEvents()
        time.sleep(0.02)


def settle(app: QApplication, window: MainWindow, seconds: float = 0.6) -> None:
    """Wait for the workers, then let the layout settle."""
    wait(app, lambda: window.runner.pending == 0)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def save(widget: QWidget, path: Path) -> None:
    """Grab a widget into a small palette PNG."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    widget.grab().save(buffer, "PNG")
    from io import BytesIO  # noqa: PLC0415

    image = Image.open(BytesIO(bytes(buffer.data()))).convert("RGB")
    image.quantize(colors=192, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
    print(f"{path} {path.stat().st_size // 1024} KB")


def desk(app: QApplication, daemon: Daemon, user: str, language: str = "de") -> MainWindow:
    """A logged-in window at 1366 x 768."""
    window = MainWindow(daemon.url, language)
    window.resize(*SIZE)
    window.show()
    window.login_view.user_edit.setText(user)
    window.login_view.password_edit.setText(PASSWORD)
    window.login_view.submit()
    wait(app, lambda: window.desk is not None)
    return window


def clerk_scan(app: QApplication, daemon: Daemon, case_ref: str, out: Path) -> None:
    """A clerk scans one document and waits until it is filed."""
    window = desk(app, daemon, "carla")
    clerk = window.clerk
    assert clerk is not None
    clerk.case_edit.setText(case_ref)
    clerk.scan()
    wait(app, lambda: clerk.result is not None and all(v.has_image for v in clerk.thumbs))
    wait(app, lambda: (clerk.delivery.settled() and "dead" not in clerk.delivery.states())
         or (len(clerk.delivery.rows) > 1 and "pending" not in clerk.delivery.states()))
    settle(app, window)
    save(window, out)
    window.close()


def main(argv: list[str]) -> int:
    """Start the daemons, render each view, stop the daemons."""
    out = Path(argv[0]) if argv else Path("docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    root = Path(tempfile.mkdtemp(prefix="authscan-shots-"))
    (root / "not-a-folder").write_text("x")
    genuine = Daemon(root / "genuine", "sim:?model=UTO-P&seed=3&dpi=200")
    forged = Daemon(root / "forged", "sim:?model=UTO-P&forgery=counterfeit_copy&seed=5&dpi=200",
                    extra_toml=BROKEN_TARGET.format(path=root / "not-a-folder" / "in"),
                    max_attempts=1)
    daemons = (genuine, forged)
    try:
        for daemon in daemons:
            daemon.prepare()
            daemon.launch()
        for daemon in daemons:
            daemon.wait_ready()
        login = MainWindow(genuine.url)
        login.resize(*SIZE)
        login.show()
        settle(app, login)
        save(login, out / "login.png")
        login.close()
        clerk_scan(app, genuine, "AZ 2024-0815", out / "clerk-verdict-pass.png")
        clerk_scan(app, forged, "AZ 2024-0816", out / "clerk-verdict-fail.png")
        review_shots(app, forged, out)
        admin_shots(app, forged, out)
    finally:
        for daemon in daemons:
            daemon.stop()
        shutil.rmtree(root, ignore_errors=True)
    return 0


def review_shots(app: QApplication, daemon: Daemon, out: Path) -> None:
    """The queue with one item open, then zoomed in on the UV emblem."""
    window = desk(app, daemon, "rita")
    review = window.review
    assert review is not None
    wait(app, lambda: bool(review.shown))
    review.table.selectRow(0)
    wait(app, lambda: all(v.has_image for v in review.compare.views.values()))
    review.decision.radios["forged"].setChecked(True)
    review.decision.reason.setPlainText("Papier leuchtet unter UV, UV-Emblem in falscher Farbe, "
                                        "Lichtbild leuchtet: Farbkopie.")
    settle(app, window)
    save(window, out / "review.png")
    review.info.setCurrentIndex(1)
    review.compare.sync.zoom(2.2)
    uv = review.compare.views["uv"]
    uv.centerOn(uv.sceneRect().center().x() * 1.5, uv.sceneRect().center().y() * 0.9)
    review.compare.sync._sync_scroll(uv)
    settle(app, window)
    save(window, out / "review-compare.png")
    window.close()


def admin_shots(app: QApplication, daemon: Daemon, out: Path) -> None:
    """Each admin tab."""
    window = desk(app, daemon, "ada")
    admin = window.admin
    assert admin is not None
    settle(app, window)
    save(window, out / "admin-devices.png")
    for tab, name in ((admin.users, "admin-users"), (admin.models, "admin-models"),
                      (admin.outbox, "admin-outbox"), (admin.audit, "admin-audit")):
        admin.setCurrentWidget(tab)
        settle(app, window)
        if tab is admin.audit:
            admin.audit.verify()
            settle(app, window)
        save(window, out / f"{name}.png")
    window.toggle_language()
    admin.setCurrentWidget(admin.devices)
    settle(app, window)
    save(window, out / "admin-devices-en.png")
    window.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
