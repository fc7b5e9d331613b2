"""A call edge on the topology canvas: an arrow from caller to callee, as thick as its rate,
coloured by its error rate, dashed for TCP, labelled with req/s, error % and p99. A pending
edge (a reroute the sidecars have not shown traffic on yet) is dashed in the highlight colour;
a ghost is a pending edge the model does not know yet.

Updating an edge is, most of the time, two comparisons: the pen is looked up again only when
the health changed or the rate left the range that rounds to the same width, and zoomed in the
edge repaints only when its label reads differently. A stats tick touches thousands of edges.
Zoomed out, the edge paints nothing itself and hands its line and pen to the overview layer.

An edge the layout bent around the layers it skips is drawn through its bends while its nodes
stay where the layout put them (geometry: `edge_path`, `edge_route`). The overview layer draws
bent edges straight, from end to end: at that zoom the difference is a pixel or two, and
thousands of extra segments would cost paint time on every tick.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from meshgui.views.edge_geometry import arrow_head
from meshgui.views.edge_label import (
    PENDING_LABEL,
    draw_edge_label,
    edge_label,
)
from meshgui.views.edge_path import ARROW_SIZE, EdgePathMixin
from meshgui.views.edge_pen_span import rps_span
from meshgui.views.edge_route import LaidOutBends
from meshgui.views.node_item import NodeItem
from meshgui.views.overview_layer import OverviewLayer
from meshgui.views.styles import CanvasStyle, health_name
from meshgui.views.tooltips import edge_tooltip

LABEL_MIN_LOD = 0.5
"""Below this zoom labels are hidden: unreadable, and the largest share of paint time."""
_item_ids = itertools.count()


class LiveEdges:
    """The newest refresh's edges, shared by the canvas's items: an item the refresh left alone
    (it looks the same) still shows its newest numbers in its label and tooltip."""

    __slots__ = ("edges",)

    def __init__(self) -> None:
        self.edges: Mapping[Any, Any] = {}


class EdgeItem(EdgePathMixin, QGraphicsItem):
    def __init__(
        self,
        edge: Any,
        source: NodeItem,
        target: NodeItem,
        style: CanvasStyle,
        layer: OverviewLayer,
        offset: float,
        live: LiveEdges | None = None,
    ) -> None:
        super().__init__()
        self.key = edge.key
        self.uid = next(_item_ids)
        """The overview layer's key: an int hashes faster than an EdgeKey dataclass."""
        self._edge = edge
        self._live = live
        self._edge_from: Mapping[Any, Any] | None = None
        """The live edges when `set_edge` last ran: until they are replaced, its edge holds."""
        self.source = source
        self.target = target
        self.offset = offset
        """Sideways shift in scene units, so A→B and B→A (or HTTP and TCP) do not overlap."""
        self.label_shown = False
        """Whether the last paint drew the label (level of detail; tests read it)."""
        self.pending = False
        """Drawn dashed until traffic shows on it (`set_pending`)."""
        self._style = style
        self._layer = layer
        self._label: tuple[str, str] = ("", "")
        self._label_for: Any = None
        self._painted: tuple[Any, ...] | None = None
        """What the last paint showed (`_look`): up close, a new edge repaints if it differs."""
        self._line = QLineF()
        """The head segment: the whole edge when straight, the last segment when bent."""
        self._path: QPolygonF | None = None
        """Border to border through the bends while they hold; None when drawn straight."""
        self._bends: LaidOutBends | None = None
        self._arrow: QPolygonF | None = None
        self._bounds = QRectF()
        self._label_rect = QRectF()
        self._set_pen(style.edge_pen(edge.health, edge.stats.rps, self.dashed), edge.stats.rps)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setZValue(1)
        source.edges.append(self)
        target.edges.append(self)
        self.adjust()

    @property
    def edge(self) -> Any:
        """The edge shown: the newest refresh's (`LiveEdges`), or the one `set_edge` was given
        since, or the one it was made with (ghosts have no live edges)."""
        live = self._live
        if live is None or live.edges is self._edge_from:
            return self._edge
        current = live.edges.get(self.key)
        return self._edge if current is None else current

    @property
    def dashed(self) -> bool:
        return bool(self.key.protocol == "tcp") or self.pending

    def set_pending(self, pending: bool) -> None:
        if pending != self.pending:
            self.pending = pending
            self.set_style(self._style)

    @property
    def pen(self) -> QPen:
        return self._pen

    @property
    def idle(self) -> bool:
        """Nothing flows: a label of zeros would only clutter the busy edges' labels."""
        return _idle(self.edge.stats)

    def detach(self) -> None:
        self._layer.remove_edge(self.uid)
        for node in (self.source, self.target):
            if self in node.edges:
                node.edges.remove(self)

    def set_edge(self, edge: Any) -> None:
        """Show `edge`. The canvas calls it only for edges that may look different (the model
        says which); the pen is looked up again only when the health changed or the rate left
        its width step, and up close the edge repaints only when it reads differently."""
        self._edge = edge
        self._edge_from = None if self._live is None else self._live.edges
        rps = edge.stats.rps
        low, high = self._pen_rps
        if edge.health is not self._pen_key[0] or not low <= rps <= high:
            pen_key, pen = self._style.edge_pen(edge.health, rps, self.dashed)
            if pen_key != self._pen_key:
                self._set_pen((pen_key, pen), rps)
                self._arrow = None  # sized by the pen; built when next painted up close
                self.sync_overview()
        if not self._layer.isVisible() and self._painted != self._look(edge):
            self.update()  # zoomed in: the edge looks different

    def _look(self, edge: Any) -> tuple[Any, ...]:
        stats = edge.stats
        if self._label_for is not stats:
            self._label, self._label_for = edge_label(self.key, stats), stats
        return (edge.health, self._pen_key, self.pending, _idle(stats), self._label)

    def _set_pen(self, pen: tuple[Any, QPen], rps: float) -> None:
        self._pen_key, self._pen = pen
        # The rates that keep this pen's width: within them, a new rate needs no lookup.
        self._pen_rps = rps_span(pen[0][1], rps)

    def set_style(self, style: CanvasStyle) -> None:
        self._style = style
        edge = self.edge
        self._set_pen(style.edge_pen(edge.health, edge.stats.rps, self.dashed), edge.stats.rps)
        self.sync_overview()
        self.update()

    def sync_overview(self) -> None:
        if self.isVisible() and self.source is not self.target:
            self._layer.put_edge(self.uid, self._pen_key, self.overview_geometry)
        else:
            self._layer.remove_edge(self.uid)

    def label_lines(self) -> tuple[str, str]:
        return self._label_lines(self._look(self.edge))

    def _label_lines(self, look: tuple[Any, ...]) -> tuple[str, str]:
        idle, label = look[3], look[4]
        return PENDING_LABEL if self.pending and idle else label

    def tooltip_text(self) -> str:
        return edge_tooltip(self.key, self.edge.stats)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        loop = self.source is self.target
        if self.isSelected():
            halo = QPen(self._style.selection_halo, self._pen.widthF() + 6)
            halo.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(halo)
            self._draw_path(painter, loop)
        pen = self._pen
        if self.pending:  # few at a time: a pen of their own costs nothing
            pen = QPen(pen)
            pen.setColor(self._style.highlight)
        painter.setPen(pen)
        self._draw_path(painter, loop)
        if not loop and self._line.length() >= 1:
            if self._arrow is None:
                self._arrow = arrow_head(self._line, ARROW_SIZE + self._pen.widthF())
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(pen.color())
            painter.drawPolygon(self._arrow)
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        look = self._painted = self._look(self.edge)  # one lookup of the live edge per paint
        self.label_shown = lod >= LABEL_MIN_LOD and (self.pending or not look[3])
        if self.label_shown:
            self._draw_label(painter, look)

    def _draw_path(self, painter: QPainter, loop: bool) -> None:
        if loop:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(self._loop_rect())
        elif self._path is not None:
            painter.drawPolyline(self._path)
        else:
            painter.drawLine(self._line)

    def _draw_label(self, painter: QPainter, look: tuple[Any, ...]) -> None:
        failing = health_name(look[0]) == "FAILING"
        colour = self._pen.color() if failing else self._style.text
        lines = self._label_lines(look)
        draw_edge_label(painter, self._style, self._label_rect.center(), lines, colour)


def _idle(stats: Any) -> bool:
    return bool(stats.rps == 0 and stats.bytes_per_s == 0 and stats.in_flight == 0)
