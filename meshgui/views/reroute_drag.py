"""The drag that reroutes traffic on the canvas, one at a time: an edge's arrow head pulled onto
another node (that edge's traffic moves there), or a node dragged with Shift onto another node
(its whole inbound traffic moves there).

While it lasts, a dashed rubber line runs from the edge's caller to the mouse (the edge itself
fades), or the node follows the mouse; the node under the mouse shows whether it would take the
drop. Releasing on a node that takes it yields a `RerouteGesture`; anything else, or Esc, puts
everything back as it was — the node too, since a reroute is not a move.
"""

from __future__ import annotations

from PySide6.QtCore import QLineF, QPointF, Qt
from PySide6.QtGui import QPen
from PySide6.QtWidgets import QGraphicsLineItem, QGraphicsScene

from meshgui.views.edge_item import EdgeItem
from meshgui.views.gestures import (
    RerouteGesture,
    edge_drop_allowed,
    edge_head_gesture,
    node_drop_allowed,
    node_gesture,
)
from meshgui.views.node_item import NodeItem
from meshgui.views.styles import CanvasStyle

FADED_EDGE_OPACITY = 0.3


class RerouteDrag:
    def __init__(self, scene: QGraphicsScene, style: CanvasStyle) -> None:
        self._rubber = QGraphicsLineItem()
        self._rubber.setZValue(10)
        self._rubber.setVisible(False)
        self.set_style(style)
        scene.addItem(self._rubber)
        self.edge: EdgeItem | None = None
        self.node: NodeItem | None = None
        self.target: NodeItem | None = None
        """The node under the mouse now, whether or not it takes the drop."""
        self._origin = QPointF()
        self._grab = QPointF()

    @property
    def active(self) -> bool:
        return self.edge is not None or self.node is not None

    @property
    def rubber_line(self) -> QGraphicsLineItem:
        return self._rubber

    def set_style(self, style: CanvasStyle) -> None:
        pen = QPen(style.highlight, 2, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)  # the same on screen at every zoom
        self._rubber.setPen(pen)

    def start_edge(self, edge: EdgeItem, at: QPointF) -> None:
        self.cancel()
        self.edge = edge
        edge.setOpacity(FADED_EDGE_OPACITY)
        self._rubber.setLine(QLineF(edge.overview_geometry.p1(), at))
        self._rubber.setVisible(True)

    def start_node(self, node: NodeItem, at: QPointF) -> None:
        self.cancel()
        self.node = node
        self._origin, self._grab = node.pos(), at

    def move(self, at: QPointF, under: NodeItem | None) -> bool | None:
        """The mouse is at scene point `at`, over node `under`: whether `under` takes the drop
        (None when over no node)."""
        if self.edge is not None:
            self._rubber.setLine(QLineF(self._rubber.line().p1(), at))
        elif self.node is not None:
            self.node.setPos(self._origin + (at - self._grab))
        if under is not self.target:
            if self.target is not None:
                self.target.set_drop_state(None)
            self.target = under
        if under is None:
            return None
        allowed = self._allowed(under)
        under.set_drop_state(allowed)
        return allowed

    def finish(self, under: NodeItem | None) -> RerouteGesture | None:
        """Released over `under`: the gesture when it takes the drop; the drag ends either way."""
        gesture = None
        if under is not None and self._allowed(under):
            if self.edge is not None:
                gesture = edge_head_gesture(self.edge.key.destination, under.name)
            elif self.node is not None:
                gesture = node_gesture(self.node.name, under.name)
        self.cancel()
        return gesture

    def cancel(self) -> None:
        if self.edge is not None:
            self.edge.setOpacity(1.0)
        if self.node is not None:
            self.node.setPos(self._origin)
        if self.target is not None:
            self.target.set_drop_state(None)
        self.edge = self.node = self.target = None
        self._rubber.setVisible(False)

    def _allowed(self, under: NodeItem) -> bool:
        if getattr(under.view, "protocol", "http") != "http":
            return False  # HTTP traffic cannot be routed to a TCP service (inventory-db)
        if self.edge is not None:
            key = self.edge.key
            return edge_drop_allowed(key.source, key.destination, under.name)
        return self.node is not None and node_drop_allowed(self.node.name, under.name)
