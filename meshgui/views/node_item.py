"""A node on the topology canvas — a service, or one version of it ("inventory" over a smaller
"v1") — as a rounded box tinted by health, with its name, instance count and rate; grey, since
when its sidecars are gone; hatched when drained. Draggable; the edges follow. While an edge's
head or another node is dragged over it, it shows whether it would take the drop."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsSceneMouseEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from meshgui.views.node_text import node_detail, node_details, node_label
from meshgui.views.overview_layer import OverviewLayer
from meshgui.views.styles import (
    CanvasStyle,
    health_colour,
    health_name,
)
from meshgui.views.tooltips import node_tooltip

NODE_WIDTH = 176.0
NODE_HEIGHT = 54.0
NAME_MIN_LOD = 0.3
"""Below this zoom a node is a coloured box: names are unreadable there and cost paint time."""
DETAIL_MIN_LOD = 0.55


class NodeItem(QGraphicsItem):
    def __init__(
        self,
        view: Any,
        style: CanvasStyle,
        layer: OverviewLayer,
        on_moved: Callable[[NodeItem], None],
    ) -> None:
        super().__init__()
        self._layer = layer
        self.name: str = view.name
        self.view = view
        self.edges: list[Any] = []  # EdgeItems to re-route when this node moves
        self._style = style
        self._on_moved = on_moved
        self._press_pos = QPointF()
        self._rect = QRectF(-NODE_WIDTH / 2, -NODE_HEIGHT / 2, NODE_WIDTH, NODE_HEIGHT)
        self._detail: str | None = node_detail(view)
        self._fitted: tuple[str, int, str] | None = None
        """(detail text, width, the wording of it that fits): `_fitting_detail`'s last answer."""
        self.label, self.version_label = node_label(self.name)
        self.drop_state: bool | None = None
        self.badge = 0
        """During a drag over this node: True if it would take the drop, False if not."""
        self.setFlags(
            QGraphicsItem.GraphicsItemFlag.ItemIsMovable
            | QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
            | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges
        )
        self.setZValue(2)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def set_view(self, view: Any) -> None:
        """Show `view`. A tick hands every node a new view (its rate moved), so this does only
        what the picture needs: the overview hears of a new health, and zoomed in the node
        repaints only when its colour or its second line reads differently. Zoomed out, the
        second line is left to be formatted when next painted."""
        before, self.view = self.view, view
        health_changed = view.health != before.health
        if health_changed:
            self.sync_overview()
        if self._layer.isVisible():
            self._detail = None
            return
        detail = node_detail(view)
        if health_changed or detail != self._detail:
            self._detail = detail
            self.update()

    @property
    def overview_geometry(self) -> QRectF:
        return self._rect.translated(self.pos())

    def sync_overview(self) -> None:
        if self.isVisible():
            self._layer.put_node(self.name, self.view.health, self.overview_geometry)
        else:
            self._layer.remove_node(self.name)

    def set_drop_state(self, state: bool | None) -> None:
        if state != self.drop_state:
            self.drop_state = state
            self.update()

    @property
    def drained(self) -> bool:
        return health_name(self.view.health) == "DRAINED"

    def set_style(self, style: CanvasStyle) -> None:
        self._style = style
        self._fitted = None  # another font
        self.update()

    def detach(self) -> None:
        self._layer.remove_node(self.name)

    def tooltip_text(self) -> str:
        return node_tooltip(self.view)

    @property
    def detail_text(self) -> str:
        if self._detail is None:
            self._detail = node_detail(self.view)
        return self._detail

    def _fitting_detail(self, width: int) -> str:
        """The longest wording of the second line that fits `width` (painter's font), elided
        when even the shortest does not; measured again only when the text or width changes."""
        detail = self.detail_text
        if self._fitted is not None and self._fitted[:2] == (detail, width):
            return self._fitted[2]
        metrics = QFontMetrics(self._style.detail_font)
        wordings = [detail]
        if metrics.horizontalAdvance(detail) > width:
            wordings = node_details(self.view)
        fitting = next((t for t in wordings if metrics.horizontalAdvance(t) <= width), None)
        if fitting is None:
            fitting = metrics.elidedText(wordings[-1], Qt.TextElideMode.ElideRight, width)
        self._fitted = (detail, width, fitting)
        return fitting

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt override)
        return self._rect.adjusted(-5, -5, 5, 5)  # room for the drop outline

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        style, view = self._style, self.view
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        colour = health_colour(view.health)
        selected = self.isSelected()
        painter.setPen(QPen(style.highlight, 3) if selected else QPen(colour, 1.5))
        painter.setBrush(QBrush(style.node_fill(view.health)))
        painter.drawRoundedRect(self._rect, 8, 8)
        if self.drained:  # hatched, so drained reads at a glance and without colour vision
            painter.setPen(Qt.PenStyle.NoPen)
            hatch = QColor(colour)
            hatch.setAlphaF(0.35)
            painter.setBrush(QBrush(hatch, Qt.BrushStyle.BDiagPattern))
            painter.drawRoundedRect(self._rect, 8, 8)
        if self.drop_state is not None:
            self._paint_drop_state(painter)
        if self.badge:
            self._paint_badge(painter)
        strip = QRectF(self._rect.left(), self._rect.top(), 6, self._rect.height())
        painter.fillRect(strip.adjusted(1.5, 6, 0, -6), colour)
        if lod < NAME_MIN_LOD:
            return
        text_rect = self._rect.adjusted(14, 6, -8, -6)
        painter.setPen(style.text)
        painter.setFont(style.name_font)
        metrics = painter.fontMetrics()
        width = int(text_rect.width())
        name = metrics.elidedText(self.label, Qt.TextElideMode.ElideRight, width)
        if lod < DETAIL_MIN_LOD:
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter, name)
            return
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignTop, name)
        if self.version_label is not None:
            painter.setFont(style.detail_font)
            painter.setPen(style.highlight)
            version = painter.fontMetrics().elidedText(
                self.version_label, Qt.TextElideMode.ElideRight, width
            )
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter, version)
        grey = health_name(view.health) == "DISCONNECTED"
        painter.setPen(style.muted_text if grey else style.text)
        painter.setFont(style.detail_font)
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignBottom, self._fitting_detail(width))

    def set_badge(self, count: int) -> None:
        """How many suggestions concern this node (0: none, no badge)."""
        if count != self.badge:
            self.badge = count
            self.update()

    def _paint_badge(self, painter: QPainter) -> None:
        centre = QPointF(self._rect.right() - 4, self._rect.top() + 4)
        painter.setPen(QPen(self._style.text, 1))
        painter.setBrush(QBrush(QColor("#f0a020")))
        painter.drawEllipse(centre, 9, 9)
        painter.setFont(self._style.detail_font)
        painter.setPen(QColor("black"))
        box = QRectF(centre.x() - 9, centre.y() - 9, 18, 18)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, str(min(self.badge, 9)))

    def _paint_drop_state(self, painter: QPainter) -> None:
        colour = self._style.highlight if self.drop_state else self._style.muted_text
        pen = QPen(colour, 4 if self.drop_state else 2)
        if not self.drop_state:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(self._rect.adjusted(-2, -2, 2, 2), 9, 9)

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: Any) -> Any:  # noqa: N802
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            self.sync_overview()
            for edge in self.edges:
                edge.adjust()
        return super().itemChange(change, value)

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802
        self._press_pos = self.pos()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802
        super().mouseReleaseEvent(event)
        if self.pos() != self._press_pos:
            self._on_moved(self)
