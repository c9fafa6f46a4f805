"""Capture images with check-region boxes; three views can share one zoom and pan."""

from __future__ import annotations

from dataclasses import dataclass

from PyQt6.QtCore import QRectF, Qt, pyqtSignal
from PyQt6.QtGui import QBrush, QColor, QImage, QPainter, QPen, QPixmap, QTransform, QWheelEvent
from PyQt6.QtWidgets import (
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QWidget,
)

from ui.widgets.light import colour_of


@dataclass(frozen=True)
class Overlay:
    """A box on a capture: region [x, y, w, h] in capture pixels, its status and a label."""

    region: tuple[int, int, int, int]
    status: str
    label: str


def overlays_for(checks: list[dict[str, object]], light: str,
                 only_irregular: bool) -> list[Overlay]:
    """The boxes of the checks made in `light` (only failed/undetermined when asked)."""
    boxes = []
    for check in checks:
        region = check.get("region")
        if check.get("light") != light or not isinstance(region, list) or len(region) != 4:
            continue
        status = str(check.get("status", ""))
        if only_irregular and status not in ("failed", "undetermined", "aborted"):
            continue
        score = check.get("score")
        label = f"{check.get('id')}" + (f" {score:.2f}" if isinstance(score, float) else "")
        x, y, w, h = (int(v) for v in region)
        boxes.append(Overlay((x, y, w, h), status, label))
    return boxes


class CaptureView(QGraphicsView):
    """One light of a capture; wheel zooms, drag pans; boxes show check regions."""

    clicked = pyqtSignal()
    zoomed = pyqtSignal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setBackgroundBrush(QColor("#263238"))
        self.overlays: list[Overlay] = []
        self._boxes: list[QGraphicsRectItem] = []
        self.has_image = False

    def set_image(self, image: QImage | None, overlays: list[Overlay]) -> None:
        """Show an image (None: empty) with its boxes, fitted to the view."""
        scene = self.scene()
        assert scene is not None
        scene.clear()
        self._boxes = []
        self.overlays = overlays
        self.has_image = image is not None and not image.isNull()
        if not self.has_image:
            return
        assert image is not None
        scene.addPixmap(QPixmap.fromImage(image))
        for box in overlays:
            x, y, w, h = box.region
            pen = QPen(QColor(colour_of(box.status)), 4)
            pen.setCosmetic(True)
            item = scene.addRect(QRectF(x, y, w, h), pen, QBrush(Qt.BrushStyle.NoBrush))
            assert item is not None
            text = QGraphicsSimpleTextItem(box.label)
            text.setBrush(QColor("#000000" if box.status == "undetermined" else "#ffffff"))
            tag = QGraphicsRectItem(text.boundingRect().adjusted(-3, -1, 3, 1), item)
            tag.setBrush(QColor(colour_of(box.status)))
            tag.setPen(QPen(Qt.PenStyle.NoPen))
            tag.setFlag(tag.GraphicsItemFlag.ItemIgnoresTransformations)
            tag.setPos(x + 3, y + 3)
            text.setParentItem(tag)
            self._boxes.append(item)
        scene.setSceneRect(QRectF(image.rect()))
        self.fit()

    def set_overlays_visible(self, visible: bool) -> None:
        """Show or hide the boxes."""
        for item in self._boxes:
            item.setVisible(visible)

    def fit(self) -> None:
        """Fit the whole image into the view."""
        scene = self.scene()
        if scene is not None and self.has_image:
            self.fitInView(scene.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def wheelEvent(self, event: QWheelEvent | None) -> None:  # noqa: N802 - Qt API
        """Zoom around the mouse."""
        if event is None:
            return
        factor = 1.25 if event.angleDelta().y() > 0 else 0.8
        self.scale(factor, factor)
        self.zoomed.emit()

    def zoom(self, factor: float) -> None:
        """Zoom by a factor (keyboard: + and -)."""
        self.scale(factor, factor)
        self.zoomed.emit()

    def mouseDoubleClickEvent(self, event: object) -> None:  # noqa: N802 - Qt API
        """A double click asks for the detail view."""
        self.clicked.emit()


class SyncGroup:
    """Views that share one transform and one scroll position (white, IR, UV side by side)."""

    def __init__(self, views: list[CaptureView]) -> None:
        self.views = views
        self._busy = False
        for view in views:
            view.zoomed.connect(lambda v=view: self._sync_transform(v))
            for bar in (view.horizontalScrollBar(), view.verticalScrollBar()):
                if bar is not None:
                    bar.valueChanged.connect(lambda _v, s=view: self._sync_scroll(s))

    def transform(self) -> QTransform:
        """The shared transform."""
        return self.views[0].transform()

    def _sync_transform(self, source: CaptureView) -> None:
        if self._busy:
            return
        self._busy = True
        for view in self.views:
            if view is not source:
                view.setTransform(source.transform())
        self._busy = False
        self._sync_scroll(source)

    def _sync_scroll(self, source: CaptureView) -> None:
        if self._busy:
            return
        self._busy = True
        h, v = source.horizontalScrollBar(), source.verticalScrollBar()
        for view in self.views:
            if view is not source and h is not None and v is not None:
                vh, vv = view.horizontalScrollBar(), view.verticalScrollBar()
                if vh is not None and vv is not None:
                    vh.setValue(h.value())
                    vv.setValue(v.value())
        self._busy = False

    def zoom(self, factor: float) -> None:
        """Zoom all views together."""
        self.views[0].zoom(factor)

    def fit(self) -> None:
        """Fit all views and reset the shared transform."""
        for view in self.views:
            view.fit()
        self._sync_transform(self.views[0])
