"""The topology canvas: a QGraphicsView of the mesh's services (nodes) and calls (edges).

Built for a 1 Hz refresh of large meshes (DESIGN.md's measured costs): the scene has no BSP
index, a tick touches only the edges the model says changed, labels are drawn only when the zoom
makes them readable, tooltips are formatted when asked for, and zoomed far out one overview
layer draws everything in a few batched calls. Layout runs off the GUI thread; a node the user
dragged (or whose position was saved) stays where it was put.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QEvent, QRectF, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPalette
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QGraphicsSimpleTextItem, QWidget

from meshgui.views.edge_geometry import edge_offsets
from meshgui.views.edge_item import LABEL_MIN_LOD, EdgeItem
from meshgui.views.layout_runner import LayoutFunction, LayoutRunner, Positions
from meshgui.views.node_item import NodeItem
from meshgui.views.overview_layer import OVERVIEW_MAX_SCALE, OverviewLayer
from meshgui.views.selection import SelectionMixin
from meshgui.views.styles import CanvasStyle
from meshgui.views.zoomable_view import ZoomableView

NO_CONTENTS = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents


class TopologyCanvas(SelectionMixin, ZoomableView):
    edge_selected = Signal(object)  # EdgeKey, or None when no edge is selected
    node_selected = Signal(object)  # service name, or None
    positions_changed = Signal()  # the user moved nodes: read pinned_positions()
    layout_applied = Signal()

    def __init__(
        self, parent: QWidget | None = None, *, layout_function: LayoutFunction | None = None
    ) -> None:
        super().__init__(parent)
        scene = QGraphicsScene(self)  # parented: a scene the view merely shows is not kept alive
        # The default BSP index dominates a stats tick on large graphs (DESIGN.md): items move
        # and change often, so a linear scan is cheaper.
        scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self.setScene(scene)
        self.setObjectName("topologyCanvas")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        self._style = CanvasStyle(self.palette(), self.font())
        self._nodes: dict[str, NodeItem] = {}
        self._edges: dict[Any, EdgeItem] = {}
        self._pinned: Positions = {}
        self._overview = False
        self._fit_after_layout = True
        self._layer = OverviewLayer(self._style)
        scene.addItem(self._layer)
        self._layout = LayoutRunner(self, layout_function)
        self._layout.finished.connect(self._apply_layout)
        self._layout.failed.connect(lambda _job, _why: self._apply_layout(-1, {}))
        self._placeholder = QGraphicsSimpleTextItem()
        self.clear_topology("No mesh connected")
        scene.selectionChanged.connect(self._on_selection_changed)

    # -- content ---------------------------------------------------------------------------
    @property
    def placeholder_text(self) -> str:
        return self._placeholder.text() if self._placeholder.isVisible() else ""

    @property
    def layout_runner(self) -> LayoutRunner:
        return self._layout

    @property
    def overview(self) -> bool:
        """Zoomed out far enough that the overview layer draws instead of the items."""
        return self._overview

    def node_item(self, name: str) -> NodeItem | None:
        return self._nodes.get(name)

    def edge_item(self, key: Any) -> EdgeItem | None:
        return self._edges.get(key)

    def service_names(self) -> list[str]:
        return sorted(self._nodes)

    def clear_topology(self, message: str) -> None:
        """Remove every node and edge and say `message` instead (no mesh, connecting...)."""
        scene = self.scene()
        for item in list(self._edges.values()) + list(self._nodes.values()):
            scene.removeItem(item)
        self._nodes.clear()
        self._edges.clear()
        self._layer.clear()
        self._fit_after_layout = True
        if self._placeholder.scene() is None:
            scene.addItem(self._placeholder)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        self._placeholder.setFont(font)
        self._placeholder.setText(message)
        colour = self.palette().color(QPalette.ColorRole.PlaceholderText)
        self._placeholder.setBrush(colour if colour.isValid() else QColor("gray"))
        rect = self._placeholder.boundingRect()
        self._placeholder.setPos(-rect.width() / 2, -rect.height() / 2)
        self._placeholder.setVisible(True)
        scene.setSceneRect(rect.adjusted(-150, -100, 150, 100).translated(self._placeholder.pos()))
        self.resetTransform()
        self.scale_changed()
        self.centerOn(0, 0)

    def set_pinned_positions(self, positions: Positions) -> None:
        """Positions the user chose (saved with the profile); the layout leaves these alone."""
        self._pinned = dict(positions)
        for name, (x, y) in self._pinned.items():
            if name in self._nodes:
                self._nodes[name].setPos(x, y)
                self._nodes[name].setVisible(True)

    def pinned_positions(self) -> Positions:
        return dict(self._pinned)

    def apply_view(self, view: Any, changed: Iterable[Any] | None = None) -> None:
        """Show `view` (a TopologyView). `changed`: the edges whose stats changed since the
        last call (the model knows); None means all of them."""
        nodes, edges = view.nodes, view.edges
        if nodes.keys() != self._nodes.keys() or edges.keys() != self._edges.keys():
            self._rebuild(nodes, edges)
        for name, node in nodes.items():
            item = self._nodes[name]
            if item.view is not node:
                item.set_view(node)
        for key in edges if changed is None else changed:
            edge_item = self._edges.get(key)
            if edge_item is not None:
                edge_item.set_edge(edges[key])

    def _rebuild(self, nodes: Any, edges: Any) -> None:
        scene = self.scene()
        self._placeholder.setVisible(False)
        for key in self._edges.keys() - edges.keys():
            gone = self._edges.pop(key)
            gone.detach()
            scene.removeItem(gone)
        for name in self._nodes.keys() - nodes.keys():
            self._nodes[name].detach()
            scene.removeItem(self._nodes.pop(name))
        for name in nodes.keys() - self._nodes.keys():
            node = NodeItem(nodes[name], self._style, self._layer, self._on_node_moved)
            node.setFlag(NO_CONTENTS, self._overview)
            self._nodes[name] = node
            node.setVisible(name in self._pinned)  # else hidden until laid out: no jump
            scene.addItem(node)
            if name in self._pinned:
                node.setPos(*self._pinned[name])
        offsets = edge_offsets(edges.keys())
        for key, edge in edges.items():
            existing = self._edges.get(key)
            if existing is None:
                source, target = self._nodes.get(key.source), self._nodes.get(key.destination)
                if source is None or target is None:
                    continue  # a node the model does not list: draw nothing rather than guess
                existing = EdgeItem(edge, source, target, self._style, self._layer, offsets[key])
                existing.setFlag(NO_CONTENTS, self._overview)
                self._edges[key] = existing
                scene.addItem(existing)
            elif existing.offset != offsets[key]:
                existing.offset = offsets[key]
                existing.adjust()
        self._update_edge_visibility()
        self._layout.request(sorted(nodes), sorted({(k.source, k.destination) for k in edges}))

    def _apply_layout(self, _job: int, positions: Positions) -> None:
        fallback_x = max((p[0] for p in positions.values()), default=0.0) + 400
        for index, (name, item) in enumerate(sorted(self._nodes.items())):
            if name in self._pinned:
                continue
            item.setPos(*positions.get(name, (fallback_x, index * 80.0)))
            if not item.isVisible():
                item.setVisible(True)
                item.sync_overview()
        self._update_edge_visibility()
        self._update_scene_rect()
        if self._fit_after_layout and self._nodes:
            self._fit_after_layout = False
            self.fit_to_window()
        self.layout_applied.emit()

    def _nodes_rect(self) -> QRectF:
        rect = QRectF()
        for item in self._nodes.values():
            if item.isVisible():
                rect = rect.united(item.sceneBoundingRect())
        return rect

    def _update_scene_rect(self) -> None:
        """The graph plus a margin to pan into: an automatic scene rect only ever grows."""
        rect = self._nodes_rect()
        if not rect.isEmpty():
            margin = max(rect.width(), rect.height(), 1000.0)
            self.scene().setSceneRect(rect.adjusted(-margin, -margin, margin, margin))
            self._layer.set_bounds(rect.adjusted(-100, -100, 100, 100))

    def _update_edge_visibility(self) -> None:
        for item in self._edges.values():
            visible = item.source.isVisible() and item.target.isVisible()
            if visible != item.isVisible():
                item.setVisible(visible)
                item.sync_overview()

    def relayout(self) -> None:
        """Forget the user's positions and lay the whole graph out again."""
        self._pinned.clear()
        self._fit_after_layout = True
        self.positions_changed.emit()
        edges = sorted({(k.source, k.destination) for k in self._edges})
        self._layout.request(sorted(self._nodes), edges)

    def _on_node_moved(self, moved: NodeItem) -> None:
        for item in {moved, *(i for i in self.scene().selectedItems() if isinstance(i, NodeItem))}:
            self._pinned[item.name] = (item.pos().x(), item.pos().y())
        self._update_scene_rect()
        self.positions_changed.emit()

    # -- zoom and level of detail ----------------------------------------------------------
    @property
    def labels_visible(self) -> bool:
        return self.scale_factor >= LABEL_MIN_LOD

    def fit_to_window(self) -> None:
        self.fit_rect(self._nodes_rect())

    def scale_changed(self) -> None:
        overview = self.scale_factor < OVERVIEW_MAX_SCALE
        if overview == self._overview:
            return
        self._overview = overview
        # The items stay for hit-testing, dragging and tooltips; only their painting stops.
        for node in self._nodes.values():
            node.setFlag(NO_CONTENTS, overview)
        for edge in self._edges.values():
            edge.setFlag(NO_CONTENTS, overview)
            edge.label_shown = False
        self._layer.setVisible(overview)
        self.viewport().update()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._style = CanvasStyle(self.palette(), self.font())
            self._layer.set_style(self._style)
            for node in self._nodes.values():
                node.set_style(self._style)
            for edge in self._edges.values():
                edge.set_style(self._style)
