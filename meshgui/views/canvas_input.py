"""Mouse and keyboard on the topology canvas beyond selecting, moving and panning: dragging an
edge's arrow head (or a node, with Shift) to reroute, and the node's context menu (right click,
or the Menu key / Shift+F10 on the selected node).

Hit-testing never asks the scene (`canvas_hits`), so hovering stays cheap on a thousand-node
mesh.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QCursor, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QGraphicsView, QMenu

from meshgui.views.canvas_hits import ArrowTips, node_at
from meshgui.views.edge_item import EdgeItem
from meshgui.views.gestures import UNKNOWN_NODE, RerouteGesture, node_gesture
from meshgui.views.node_item import NodeItem
from meshgui.views.node_menu import build_node_menu
from meshgui.views.reroute_drag import RerouteDrag

HEAD_REACH_PX = 14.0
"""How much of an edge's end, in screen pixels, grabs its head for a reroute drag."""
HEAD_CURSOR = Qt.CursorShape.DragMoveCursor
NO_DROP_CURSOR = Qt.CursorShape.ForbiddenCursor

# A plain mixin at run time (two Python subclasses of one Qt class in a hierarchy is asking for
# trouble with shiboken); a QGraphicsView for the type checker.
if TYPE_CHECKING:
    _ViewBase = QGraphicsView
else:
    _ViewBase = object


class CanvasInputMixin(_ViewBase):
    """For TopologyCanvas: needs `_nodes`, `_edges`, `_drag`, `overview`, `scale_factor`,
    `edge_item()` and the `reroute_requested`, `drain_requested`, `edit_routes_requested`
    signals."""

    _nodes: dict[str, NodeItem]
    _edges: dict[Any, EdgeItem]
    _drag: RerouteDrag
    _tips: ArrowTips | None = None
    _head_cursor_shown = False
    node_menu: QMenu | None = None
    """The context menu open now (or last), for tests and for closing it on a refresh."""
    reroute_requested: Any
    drain_requested: Any
    edit_routes_requested: Any

    # -- hit-testing -----------------------------------------------------------------------
    def edge_head_at(self, pos: QPoint) -> EdgeItem | None:
        """The edge whose arrow head is under viewport point `pos` (the nearest), if any."""
        if self.overview:  # type: ignore[attr-defined]
            return None  # zoomed out, arrows are not drawn: nothing to grab
        if self._tips is None:
            self._tips = ArrowTips()
        reach = HEAD_REACH_PX / max(self.scale_factor, 1e-6)  # type: ignore[attr-defined]
        return self._tips.nearest_head(self._edges, self.mapToScene(pos), reach)

    def node_at(self, pos: QPoint, exclude: NodeItem | None = None) -> NodeItem | None:
        """The node under viewport point `pos`, other than `exclude`."""
        return node_at(self._nodes.values(), self.mapToScene(pos), exclude)

    # -- mouse -------------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        pos = event.position().toPoint()
        if self._drag.active:
            event.accept()  # another button during a drag: ignored, the drag goes on
            return
        if event.button() == Qt.MouseButton.LeftButton:
            edge = self.edge_head_at(pos)
            if edge is not None:
                self._drag.start_edge(edge, self.mapToScene(pos))
                self.viewport().setCursor(HEAD_CURSOR)
                event.accept()
                return
            node = self.node_at(pos)
            if node is not None and event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self._drag.start_node(node, self.mapToScene(pos))
                self.viewport().setCursor(HEAD_CURSOR)
                event.accept()
                return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        pos = event.position().toPoint()
        if self._drag.active:
            under = self.node_at(pos, exclude=self._drag.node)
            allowed = self._drag.move(self.mapToScene(pos), under)
            self.viewport().setCursor(NO_DROP_CURSOR if allowed is False else HEAD_CURSOR)
            event.accept()
            return
        if self._head_cursor_shown:
            # Back to the resting cursor first, so the view's own item-cursor bookkeeping
            # remembers that one, not ours.
            self._head_cursor_shown = False
            self.viewport().setCursor(self._rest_cursor())
        super().mouseMoveEvent(event)
        if event.buttons() == Qt.MouseButton.NoButton and self.edge_head_at(pos) is not None:
            self._head_cursor_shown = True
            self.viewport().setCursor(HEAD_CURSOR)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        if self._drag.active:
            if event.button() == Qt.MouseButton.LeftButton:
                under = self.node_at(event.position().toPoint(), exclude=self._drag.node)
                self._end_drag(self._drag.finish(under))
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def _end_drag(self, gesture: RerouteGesture | None) -> None:
        self.viewport().setCursor(self._rest_cursor())
        if gesture is not None:
            self.reroute_requested.emit(gesture)

    def _rest_cursor(self) -> Qt.CursorShape:
        if self.dragMode() == QGraphicsView.DragMode.ScrollHandDrag:
            return Qt.CursorShape.OpenHandCursor
        return Qt.CursorShape.ArrowCursor

    # -- keyboard and context menu -------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if event.key() == Qt.Key.Key_Escape and self._drag.active:
            self._drag.cancel()
            self._end_drag(None)
            event.accept()
            return
        shift_f10 = event.key() == Qt.Key.Key_F10 and (
            event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        )
        if event.key() == Qt.Key.Key_Menu or shift_f10:
            node = self._selected_node()
            if node is not None:
                self.open_node_menu(node, self.viewport().mapToGlobal(self._node_anchor(node)))
                event.accept()
                return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 (Qt override)
        if self._drag.active:
            event.accept()
            return
        if event.reason() == QContextMenuEvent.Reason.Mouse:
            node = self.node_at(event.pos())
            at = event.globalPos()
        else:
            node = self._selected_node()
            at = self.viewport().mapToGlobal(self._node_anchor(node)) if node else QCursor.pos()
        if node is None:
            super().contextMenuEvent(event)
            return
        self.scene().clearSelection()
        node.setSelected(True)
        self.open_node_menu(node, at)
        event.accept()

    def open_node_menu(self, node: NodeItem, at: QPoint) -> QMenu | None:
        """Pop up `node`'s context menu at global point `at` (not modal: the canvas keeps
        refreshing underneath)."""
        if node.name == UNKNOWN_NODE:
            return None  # callers outside the mesh: nothing of theirs can be edited
        if self.node_menu is not None:
            self.node_menu.close()
            self.node_menu.deleteLater()
        service = node.view.service if hasattr(node.view, "service") else node.name
        instances = [
            instance
            for other in self._nodes.values()
            if getattr(other.view, "service", other.name) == service
            for instance in other.view.instances
        ]
        self.node_menu = build_node_menu(
            node.view,
            list(self._nodes),
            instances,
            move_to=lambda target: self.reroute_requested.emit(node_gesture(node.name, target)),
            edit_routes=self.edit_routes_requested.emit,
            drain=lambda s, i, d: self.drain_requested.emit(s, i, d),
            parent=self,
        )
        self.node_menu.popup(at)
        return self.node_menu

    def _selected_node(self) -> NodeItem | None:
        return next((i for i in self.scene().selectedItems() if isinstance(i, NodeItem)), None)

    def _node_anchor(self, node: NodeItem) -> QPoint:
        return self.mapFromScene(node.sceneBoundingRect().center())
