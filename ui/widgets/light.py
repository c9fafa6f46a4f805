"""BSI TR-03135 traffic lights: colour plus a symbol, never colour alone."""

from __future__ import annotations

from PyQt6.QtCore import QRectF, QSize, Qt
from PyQt6.QtGui import QColor, QFont, QPainter, QPaintEvent
from PyQt6.QtWidgets import QWidget

# status -> (colour, symbol); verdicts map onto the same lights
LIGHTS: dict[str, tuple[str, str]] = {
    "passed": ("#1b873f", "✓"),
    "undetermined": ("#f2c200", "?"),
    "failed": ("#c62828", "✗"),
    "not_performed": ("#9e9e9e", "–"),
    "aborted": ("#000000", "■"),
}
VERDICT_STATUS = {"pass": "passed", "review": "undetermined", "fail": "failed"}
VERDICT_SYMBOL = {"pass": "✓", "review": "!", "fail": "✗"}


def colour_of(status: str) -> str:
    """The hex colour of a check status or a verdict."""
    return LIGHTS.get(VERDICT_STATUS.get(status, status), LIGHTS["not_performed"])[0]


def symbol_of(status: str) -> str:
    """The symbol shown inside the light."""
    if status in VERDICT_SYMBOL:
        return VERDICT_SYMBOL[status]
    return LIGHTS.get(status, LIGHTS["not_performed"])[1]


class TrafficLight(QWidget):
    """A round light with a symbol; `status` is a check status, a verdict or empty (off)."""

    def __init__(self, diameter: int = 96, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.diameter = diameter
        self.status = ""
        self.setFixedSize(QSize(diameter + 4, diameter + 4))

    def set_status(self, status: str) -> None:
        """Show a status ('' for an idle, unlit light)."""
        self.status = status
        self.update()

    def colour(self) -> QColor:
        """The colour shown now."""
        return QColor(colour_of(self.status) if self.status else "#e0e0e0")

    def paintEvent(self, event: QPaintEvent | None) -> None:  # noqa: N802 - Qt API
        """Draw the disc and its symbol."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(2, 2, self.diameter, self.diameter)
        painter.setPen(QColor("#424242"))
        painter.setBrush(self.colour())
        painter.drawEllipse(rect)
        if self.status:
            font = QFont()
            font.setPixelSize(int(self.diameter * 0.6))
            font.setBold(True)
            painter.setFont(font)
            dark = self.status in ("undetermined", "review")
            painter.setPen(QColor("#000000" if dark else "#ffffff"))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, symbol_of(self.status))
        painter.end()
