"""What every view gets: the API connection, the worker runner and the notification sink."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PyQt6.QtGui import QImage

from ui.api import Api
from ui.widgets.notify import NotificationArea
from ui.workers import Runner


@dataclass
class Desk:
    """The logged-in session shared by the views."""

    api: Api
    runner: Runner
    notify: NotificationArea

    def call(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
             on_error: Callable[[Exception], bool] | None = None) -> None:
        """Run `fn` in a worker; errors go to the notification area with a retry."""
        self.runner.run(fn, on_done, on_error)

    def fetch_image(self, scan_id: str, light: str) -> QImage:
        """Download and decode one light (call in a worker)."""
        data = self.api.request("GET", f"/api/scans/{scan_id}/images/{light}.png", raw=True)
        image = QImage.fromData(data, "PNG")
        if image.format() == QImage.Format.Format_Grayscale16:
            image = image.convertToFormat(QImage.Format.Format_Grayscale8)
        return image


def result_lights(result: dict[str, Any]) -> list[str]:
    """white, IR, UV with the lights of failed checks first (ICAO: show the failing light)."""
    order = ["white", "ir", "uv"]
    failing = [c.get("light") for c in result.get("checks", [])
               if c.get("status") in ("failed", "aborted")]
    doubtful = [c.get("light") for c in result.get("checks", [])
                if c.get("status") == "undetermined"]
    return sorted(order, key=lambda light: (light not in failing, light not in doubtful,
                                            order.index(light)))
