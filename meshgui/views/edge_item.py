"""A call edge on the topology canvas: an arrow from caller to callee, as thick as its rate,
coloured by its error rate, dashed for TCP, labelled with req/s, error % and p99. A pending
edge (a reroute the sidecars have not shown traffic on yet) is dashed in the highlight colour;
a ghost is a pending edge the model does not know yet.

Updating an edge is, most of the time, two comparisons: the pen is looked up again only when
the health changed or the rate left the range that rounds to the same width, and zoomed in the
edge repaints only when its label reads differently. A stats tick touches thousands of edges.
Zoomed out, the edge paints nothing itself and hands its line and pen to the overview layer.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPainterPathStroker, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from meshgui.model.edge_looks import MAX_EDGE_WIDTH
from meshgui.views.edge_geometry import arrow_head, border_point, head_distance
from meshgui.views.edge_label import (
    LABEL_HEIGHT,
    LABEL_WIDTH,
    PENDING_LABEL,
    draw_edge_label,
    edge_label,
)
from meshgui.views.edge_pen_span import rps_span
from meshgui.views.node_item import NODE_HEIGHT, NodeItem
from meshgui.views.overview_layer import OverviewLayer
from meshgui.views.styles import CanvasStyle, health_name
from meshgui.views.tooltips import edge_tooltip

LABEL_MIN_LOD = 0.5
"""Below this zoom labels are hidden: unreadable, and the largest share of paint time."""
ARROW_SIZE = 9.0
PICK_WIDTH = 10.0
_item_ids = itertools.count()


class LiveEdges:
    """The newest refresh's edges, shared by the canvas's items: an item the refresh left alone
    (it looks the same) still shows its newest numbers in its label and tooltip."""

    __slots__ = ("edges",)

    def __init__(self) -> None:
        self.edges: Mapping[Any, Any] = {}


class EdgeItem(QGraphicsItem):
    reroutes = 0
    """How many times any edge was re-routed: hit-test caches compare it to know they are stale
    (one int increment per re-route, instead of a callback)."""

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

    def head_distance(self, point: QPointF, reach: float) -> float | None:
        """Scene distance from `point` to the arrow's tip, when `point` is on the last `reach`
        scene units of the edge (where a drag re-points it); None elsewhere."""
        if self.source is self.target:
            return None
        return head_distance(self._line, point, reach)

    @property
    def pen(self) -> QPen:
        return self._pen

    @property
    def overview_geometry(self) -> QLineF:
        return self._line

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
            self._layer.put_edge(self.uid, self._pen_key, self._line)
        else:
            self._layer.remove_edge(self.uid)

    def label_lines(self) -> tuple[str, str]:
        edge = self.edge
        look = self._look(edge)
        return PENDING_LABEL if self.pending and look[3] else self._label

    def tooltip_text(self) -> str:
        return edge_tooltip(self.key, self.edge.stats)

    def adjust(self) -> None:
        """Re-route after a node moved."""
        EdgeItem.reroutes += 1
        start, end = self.source.pos(), self.target.pos()
        self.prepareGeometryChange()
        if self.source is self.target:
            self._line = QLineF(start, start)
            self._label_rect = QRectF(-LABEL_WIDTH / 2, -LABEL_HEIGHT, LABEL_WIDTH, LABEL_HEIGHT)
            self._label_rect.translate(start.x(), start.y() - NODE_HEIGHT / 2 - 26)
            self._bounds = self._loop_rect().united(self._label_rect).adjusted(-12, -12, 12, 12)
            return
        line = QLineF(start, end)
        # Both ends in one place (not laid out yet) have no direction, and unitVector() NaNs.
        normal = line.normalVector().unitVector() if line.length() > 1e-6 else QLineF()
        shift = QPointF(normal.dx() * self.offset, normal.dy() * self.offset)
        a, b = start + shift, end + shift
        self._line = QLineF(border_point(a, b), border_point(b, a))
        self._arrow = None
        middle = self._line.pointAt(0.5)
        if self.offset:  # beside the line, on this edge's side, clear of its twin's label
            side = math.copysign(LABEL_HEIGHT / 2 + MAX_EDGE_WIDTH / 2 + 2, self.offset)
            middle += QPointF(normal.dx() * side, normal.dy() * side)
        self._label_rect = QRectF(0, 0, LABEL_WIDTH, LABEL_HEIGHT)
        self._label_rect.moveCenter(middle)
        pad = MAX_EDGE_WIDTH + ARROW_SIZE
        line_box = QRectF(self._line.p1(), self._line.p2()).normalized()
        self._bounds = line_box.adjusted(-pad, -pad, pad, pad).united(self._label_rect)
        self.sync_overview()

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt override)
        return self._bounds

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        if self.source is self.target:
            path.addEllipse(self._loop_rect())
        else:
            path.moveTo(self._line.p1())
            path.lineTo(self._line.p2())
        stroker = QPainterPathStroker()
        stroker.setWidth(max(PICK_WIDTH, self._pen.widthF() + 4))
        shape = stroker.createStroke(path)
        shape.addRect(self._label_rect)
        return shape

    def _loop_rect(self) -> QRectF:
        centre = self.source.pos()
        return QRectF(centre.x() + 30, centre.y() - NODE_HEIGHT / 2 - 24, 40, 40)

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
        self._painted = self._look(self.edge)
        self.label_shown = lod >= LABEL_MIN_LOD and (self.pending or not self.idle)
        if self.label_shown:
            self._draw_label(painter)

    def _draw_path(self, painter: QPainter, loop: bool) -> None:
        if loop:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(self._loop_rect())
        else:
            painter.drawLine(self._line)

    def _draw_label(self, painter: QPainter) -> None:
        failing = health_name(self.edge.health) == "FAILING"
        colour = self._pen.color() if failing else self._style.text
        draw_edge_label(painter, self._style, self._label_rect.center(), self.label_lines(), colour)


def _idle(stats: Any) -> bool:
    return bool(stats.rps == 0 and stats.bytes_per_s == 0 and stats.in_flight == 0)
