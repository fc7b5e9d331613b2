"""Where the topology canvas puts its nodes: the automatic layout's positions and edge bends
applied (nodes the operator placed stay put), the scene rect that follows the graph, and
Ctrl+L's relayout."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPointF, QRectF, Signal

from meshgui.views.edge_item import EdgeItem
from meshgui.views.layout_runner import LaidOut, LayoutRunner, Positions
from meshgui.views.node_item import NodeItem
from meshgui.views.overview_layer import OverviewLayer

if TYPE_CHECKING:
    from meshgui.views.zoomable_view import ZoomableView as _ViewBase
else:
    _ViewBase = object


class CanvasLayoutMixin(_ViewBase):
    """For TopologyCanvas: needs `_nodes`, `_edges`, `_ghosts`, `_pinned`, `_layer`, `_layout`,
    `_fit_after_layout` and the signals `layout_applied`, `positions_changed`."""

    _nodes: dict[str, NodeItem]
    _edges: dict[Any, EdgeItem]
    _ghosts: dict[Any, EdgeItem]
    _pinned: Positions
    _layer: OverviewLayer
    _layout: LayoutRunner
    _fit_after_layout: bool
    if TYPE_CHECKING:
        layout_applied: Signal
        positions_changed: Signal

        def fit_to_window(self) -> None: ...  # LevelOfDetailMixin's

    def _apply_layout(self, _job: int, laid_out: LaidOut) -> None:
        positions = laid_out.positions
        self._apply_bends(laid_out)
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

    def _apply_bends(self, laid_out: LaidOut) -> None:
        """Give each edge its bends before the nodes move, so that it re-routes once per end
        moved, not once more after. An edge with a pinned end stays straight: its bends were
        made for where the layout would have put that node."""
        bends, positions, pinned = laid_out.bends, laid_out.positions, self._pinned
        for key, item in self._edges.items():
            source, destination = key.source, key.destination
            points = bends.get((source, destination)) if bends else None
            if points is None or source in pinned or destination in pinned:
                item.set_bends(None)
            else:
                item.set_bends(
                    points, QPointF(*positions[source]), QPointF(*positions[destination])
                )

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
        for item in [*self._edges.values(), *self._ghosts.values()]:
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
