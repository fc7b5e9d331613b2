"""The topology canvas: a QGraphicsView of the mesh's services (nodes) and calls (edges).

Built for a 1 Hz refresh of large meshes (DESIGN.md's measured costs): the scene has no BSP
index, a tick touches only the edges the model says changed, labels are drawn only when the zoom
makes them readable, tooltips are formatted when asked for, and zoomed far out one overview
layer draws everything in a few batched calls. Layout runs off the GUI thread; a node the user
dragged (or whose position was saved) stays where it was put.

Nodes are services, or versions of them ("inventory@v1") when the model splits versions. The
canvas edits nothing itself: reroute drags, node menus and pending edges (`canvas_input`,
`pending_edges`) say what the operator asked for through signals, and a change shows up when
the sidecars report it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QPainter, QResizeEvent
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QWidget

from meshgui.views.canvas_detail import LevelOfDetailMixin
from meshgui.views.canvas_input import CanvasInputMixin
from meshgui.views.canvas_layout import CanvasLayoutMixin
from meshgui.views.canvas_placeholder import CanvasPlaceholder
from meshgui.views.edge_geometry import edge_offsets
from meshgui.views.edge_item import EdgeItem, LiveEdges
from meshgui.views.layout_runner import LaidOut, LayoutFunction, LayoutRunner, Positions
from meshgui.views.node_item import NodeItem
from meshgui.views.overview_layer import OverviewLayer
from meshgui.views.pending_edges import PendingEdgesMixin
from meshgui.views.reroute_drag import RerouteDrag
from meshgui.views.selection import SelectionMixin
from meshgui.views.styles import CanvasStyle
from meshgui.views.zoomable_view import ZoomableView

NO_CONTENTS = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents


class TopologyCanvas(
    SelectionMixin,
    PendingEdgesMixin,
    LevelOfDetailMixin,
    CanvasLayoutMixin,
    CanvasInputMixin,
    ZoomableView,
):
    edge_selected = Signal(object)  # EdgeKey, or None when no edge is selected
    node_selected = Signal(object)  # node id ("inventory", "inventory@v1"), or None
    positions_changed = Signal()  # the user moved nodes: read pinned_positions()
    layout_applied = Signal()
    reroute_requested = Signal(object)  # RerouteGesture (meshgui.views.gestures)
    drain_requested = Signal(str, object, bool)  # service, instance name or None, drained
    edit_routes_requested = Signal(str)  # service
    show_versions_changed = Signal(bool)  # set_show_versions: the model's owner splits nodes

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
        self._badges: dict[str, int] = {}
        self._edges: dict[Any, EdgeItem] = {}
        self._live = LiveEdges()
        self._pinned: Positions = {}
        self._overview = False
        self._fit_after_layout = True
        self._layer = OverviewLayer(self._style)
        scene.addItem(self._layer)
        self._pending: set[Any] = set()
        self._ghosts: dict[Any, EdgeItem] = {}
        self._show_versions = False
        self._drag = RerouteDrag(scene, self._style)
        self._layout = LayoutRunner(self, layout_function)
        self._layout.finished.connect(self._apply_layout)
        self._layout.failed.connect(lambda _job, _why: self._apply_layout(-1, LaidOut({}, {})))
        self._placeholder = CanvasPlaceholder()
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
        """The edge's item, or its ghost while it is pending and the model lacks it."""
        item = self._edges.get(key)
        return item if item is not None else self._ghosts.get(key)

    @property
    def show_versions(self) -> bool:
        return self._show_versions

    def set_show_versions(self, on: bool) -> None:
        """Ask for versions as nodes. The canvas draws whatever nodes the view has; the model's
        owner listens to `show_versions_changed` and calls `MeshModel.set_split_versions`."""
        if on != self._show_versions:
            self._show_versions = on
            self.show_versions_changed.emit(on)

    @property
    def reroute_drag(self) -> RerouteDrag:
        return self._drag

    def set_badges(self, counts: Mapping[str, int]) -> None:
        """Suggestion counts per node id; other ids (edges, routes) are not drawn."""
        self._badges = dict(counts)
        for name, node in self._nodes.items():
            node.set_badge(self._badges.get(name, 0))

    def service_names(self) -> list[str]:
        return sorted(self._nodes)

    def clear_topology(self, message: str) -> None:
        """Remove every node and edge and say `message` instead (no mesh, connecting...)."""
        scene = self.scene()
        self._drag.cancel()
        self._drop_all_ghosts()
        self._pending.clear()
        for item in list(self._edges.values()) + list(self._nodes.values()):
            scene.removeItem(item)
        self._nodes.clear()
        self._edges.clear()
        self._live.edges = {}
        self._layer.clear()
        self._fit_after_layout = True
        if self._placeholder.scene() is None:
            scene.addItem(self._placeholder)
        rect = self._placeholder.say(message, self.font(), self.palette())
        scene.setSceneRect(rect.adjusted(-150, -100, 150, 100))
        self.resetTransform()
        self.fit_rect(rect)  # scaled down in a narrow canvas, never up

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        if self._placeholder.isVisible() and not self._nodes:
            self.fit_rect(self._placeholder.sceneBoundingRect())

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
        last call (the model knows); None means all of them. When it says which of them look
        different (`EdgeChanges`), only those items are touched: the others read their newest
        numbers from the view when painted or asked for a tooltip."""
        nodes, edges = view.nodes, view.edges
        self._live.edges = edges
        # Comparing 5,000 edge keys costs as much as setting them: with `changed` (which names
        # every edge that came or went), the loop below finds a new topology on its way.
        known = changed is not None and len(edges) == len(self._edges)
        if nodes.keys() != self._nodes.keys() or not (known or edges.keys() == self._edges.keys()):
            self._rebuild(nodes, edges)
        for name, node in nodes.items():
            item = self._nodes[name]
            if item.view is not node:
                item.set_view(node)
        if changed is None or not known:
            self._set_edges(edges, edges if changed is None else changed)
        elif not self._set_edges(edges, self._looking_different(changed)):
            self._rebuild(nodes, edges)  # new items are made with their edge
        if self._pending:
            self._sync_pending()

    def _looking_different(self, changed: Iterable[Any]) -> Iterable[Any]:
        """Of `changed`, the edges that may look different at this zoom (each came or went
        edge is among them): zoomed out only lines show, up close labels too."""
        subset = getattr(changed, "restyled" if self._overview else "relabelled", None)
        return changed if subset is None else subset

    def _set_edges(self, edges: Any, keys: Iterable[Any]) -> bool:
        """Give the items of `keys` their new edge; False when one of them came or went."""
        items, complete = self._edges, True
        for key in keys:
            item, edge = items.get(key), edges.get(key)
            if item is not None and edge is not None:
                item.set_edge(edge)
            elif item is not None or edge is not None:
                complete = False
        return complete

    def _rebuild(self, nodes: Any, edges: Any) -> None:
        scene = self.scene()
        self._placeholder.setVisible(False)
        self._drop_all_ghosts()  # made again after, between the nodes that are left
        drag = self._drag
        if (drag.edge is not None and drag.edge.key not in edges) or (
            drag.node is not None and drag.node.name not in nodes
        ):
            drag.cancel()  # what was being dragged is gone
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
            node.badge = self._badges.get(name, 0)
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
                existing = EdgeItem(
                    edge, source, target, self._style, self._layer, offsets[key], self._live
                )
                existing.setFlag(NO_CONTENTS, self._overview)
                self._edges[key] = existing
                scene.addItem(existing)
            elif existing.offset != offsets[key]:
                existing.offset = offsets[key]
                existing.adjust()
        self._update_edge_visibility()
        self._layout.request(sorted(nodes), sorted({(k.source, k.destination) for k in edges}))

    def _on_node_moved(self, moved: NodeItem) -> None:
        for item in {moved, *(i for i in self.scene().selectedItems() if isinstance(i, NodeItem))}:
            self._pinned[item.name] = (item.pos().x(), item.pos().y())
        self._update_scene_rect()
        self.positions_changed.emit()
