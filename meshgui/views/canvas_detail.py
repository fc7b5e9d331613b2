"""Zoom-dependent drawing of the topology canvas: labels only when readable, and far out the
overview layer draws instead of the items; plus restyling when the palette changes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QGraphicsItem

from meshgui.views.edge_item import LABEL_MIN_LOD, EdgeItem
from meshgui.views.node_item import NodeItem
from meshgui.views.overview_layer import OVERVIEW_MAX_SCALE, OverviewLayer
from meshgui.views.reroute_drag import RerouteDrag
from meshgui.views.styles import CanvasStyle

if TYPE_CHECKING:
    from meshgui.views.zoomable_view import ZoomableView as _ViewBase
else:
    _ViewBase = object

NO_CONTENTS = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents


class LevelOfDetailMixin(_ViewBase):
    """For TopologyCanvas: needs `_nodes`, `_edges`, `_ghosts`, `_layer`, `_drag`, `_style`,
    `_overview` and `_nodes_rect()`."""

    _nodes: dict[str, NodeItem]
    _edges: dict[Any, EdgeItem]
    _ghosts: dict[Any, EdgeItem]
    _layer: OverviewLayer
    _style: CanvasStyle
    _overview: bool
    _drag: RerouteDrag

    @property
    def labels_visible(self) -> bool:
        return self.scale_factor >= LABEL_MIN_LOD

    def fit_to_window(self) -> None:
        self.fit_rect(self._nodes_rect())  # type: ignore[attr-defined]

    def scale_changed(self) -> None:
        overview = self.scale_factor < OVERVIEW_MAX_SCALE
        if overview == self._overview:
            return
        self._overview = overview
        # The items stay for hit-testing, dragging and tooltips; only their painting stops.
        for node in self._nodes.values():
            node.setFlag(NO_CONTENTS, overview)
        for edge in [*self._edges.values(), *self._ghosts.values()]:
            edge.setFlag(NO_CONTENTS, overview)
            edge.label_shown = False
        self._layer.setVisible(overview)
        self.viewport().update()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._style = CanvasStyle(self.palette(), self.font())
            self._layer.set_style(self._style)
            self._drag.set_style(self._style)
            for node in self._nodes.values():
                node.set_style(self._style)
            for edge in [*self._edges.values(), *self._ghosts.values()]:
                edge.set_style(self._style)
