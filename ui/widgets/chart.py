"""A small QPainter line chart: light output per LED over time."""

from __future__ import annotations

import itertools

from PyQt6.QtCore import QPointF, QRectF, Qt
from PyQt6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PyQt6.QtWidgets import QWidget

SERIES_COLOURS = {"white": "#616161", "ir": "#b71c1c", "uv": "#6a1b9a"}


class LineChart(QWidget):
    """Series of values (0..max) drawn as lines; an empty chart shows `empty_text`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.series: dict[str, list[float]] = {}
        self.empty_text = ""
        self.setMinimumHeight(140)

    def set_series(self, series: dict[str, list[float]], empty_text: str = "") -> None:
        """Replace the data."""
        self.series = {k: v for k, v in series.items() if v}
        self.empty_text = empty_text
        self.update()

    def paintEvent(self, event: QPaintEvent | None) -> None:  # noqa: N802 - Qt API
        """Axes, one line per series, a legend."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        plot = QRectF(44, 10, self.width() - 120, self.height() - 34)
        painter.setPen(QColor("#9e9e9e"))
        painter.drawRect(plot)
        if not self.series:
            painter.setPen(QColor("#424242"))
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, self.empty_text)
            painter.end()
            return
        top = max(max(v) for v in self.series.values()) or 1.0
        for i in range(5):
            y = plot.bottom() - plot.height() * i / 4
            painter.drawText(QRectF(0, y - 8, 40, 16), Qt.AlignmentFlag.AlignRight,
                             f"{top * i / 4:.2f}")
        for row, (name, values) in enumerate(self.series.items()):
            pen = QPen(QColor(SERIES_COLOURS.get(name, "#1f5fa8")), 2)
            painter.setPen(pen)
            step = plot.width() / max(len(values) - 1, 1)
            points = [QPointF(plot.left() + i * step, plot.bottom() - plot.height() * v / top)
                      for i, v in enumerate(values)]
            for a, b in itertools.pairwise(points):
                painter.drawLine(a, b)
            for p in points:
                painter.drawEllipse(p, 2.5, 2.5)
            painter.drawText(QPointF(plot.right() + 10, plot.top() + 14 + 18 * row), name.upper())
        painter.end()
