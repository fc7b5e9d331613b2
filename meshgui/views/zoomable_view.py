"""Zoom, pan and tooltips for a QGraphicsView whose items format their own tooltips
(`tooltip_text()`), so that a tooltip costs nothing until somebody hovers."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, Qt
from PySide6.QtGui import QHelpEvent, QWheelEvent
from PySide6.QtWidgets import QGraphicsView, QToolTip, QWidget

ZOOM_STEP = 1.15
MIN_SCALE, MAX_SCALE = 0.03, 4.0
FIT_MARGIN = 40.0


class ZoomableView(QGraphicsView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)  # pan by dragging the background
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        # Panning is by dragging; scroll bars over a graph only take room and mislead.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    @property
    def scale_factor(self) -> float:
        return self.transform().m11()

    def scale_changed(self) -> None:
        """Called after every zoom; subclasses switch their level of detail here."""

    def _zoom(self, factor: float) -> None:
        current = self.scale_factor
        target = min(MAX_SCALE, max(MIN_SCALE, current * factor))
        self.scale(target / current, target / current)
        self.scale_changed()

    def zoom_in(self) -> None:
        self._zoom(ZOOM_STEP)

    def zoom_out(self) -> None:
        self._zoom(1 / ZOOM_STEP)

    def reset_zoom(self) -> None:
        self.resetTransform()
        self.scale_changed()

    def fit_rect(self, rect: QRectF) -> None:
        """Show all of `rect`, but never blow a small graph up beyond its natural size."""
        if rect.isEmpty():
            return
        self.fitInView(
            rect.adjusted(-FIT_MARGIN, -FIT_MARGIN, FIT_MARGIN, FIT_MARGIN),
            Qt.AspectRatioMode.KeepAspectRatio,
        )
        if self.scale_factor > 1.0:
            self.resetTransform()
            self.centerOn(rect.center())
        self.scale_changed()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 (Qt override)
        if event.angleDelta().y() > 0:
            self.zoom_in()
        elif event.angleDelta().y() < 0:
            self.zoom_out()

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            item = self.itemAt(event.pos())
            if item is not None and hasattr(item, "tooltip_text"):
                QToolTip.showText(event.globalPos(), item.tooltip_text(), self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)
