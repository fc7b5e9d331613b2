"""The topology canvas: a QGraphicsView over the mesh's services and edges. Until a mesh is
connected it shows what to do next."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette, QWheelEvent
from PySide6.QtWidgets import QGraphicsScene, QGraphicsSimpleTextItem, QGraphicsView, QWidget

ZOOM_STEP = 1.15


class TopologyCanvas(QGraphicsView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        scene = QGraphicsScene(self)  # parented: a scene the view merely shows is not kept alive
        # The default BSP index dominates a stats tick on large graphs (DESIGN.md): items move
        # and change often, so a linear scan is cheaper.
        scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self.setScene(scene)
        self.setObjectName("topologyCanvas")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self._placeholder = self._add_placeholder(scene)

    def _add_placeholder(self, scene: QGraphicsScene) -> QGraphicsSimpleTextItem:
        item = scene.addSimpleText("No mesh connected")
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        item.setFont(font)
        color = self.palette().color(QPalette.ColorRole.PlaceholderText)
        item.setBrush(color if color.isValid() else QColor("gray"))
        rect = item.boundingRect()
        item.setPos(-rect.width() / 2, -rect.height() / 2)
        scene.setSceneRect(rect.adjusted(-150, -100, 150, 100).translated(item.pos()))
        return item

    @property
    def placeholder_text(self) -> str:
        return self._placeholder.text()

    def zoom_in(self) -> None:
        self.scale(ZOOM_STEP, ZOOM_STEP)

    def zoom_out(self) -> None:
        self.scale(1 / ZOOM_STEP, 1 / ZOOM_STEP)

    def fit_to_window(self) -> None:
        self.fitInView(self.scene().itemsBoundingRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 (Qt override)
        if event.angleDelta().y() > 0:
            self.zoom_in()
        elif event.angleDelta().y() < 0:
            self.zoom_out()
