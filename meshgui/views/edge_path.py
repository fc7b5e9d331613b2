"""An edge item's geometry: where it runs (`edge_route`), what it covers, where it is picked,
and where its head is grabbed. Kept apart from `EdgeItem`'s looks and numbers.

An edge the layout bent around the layers it skips is drawn through its bends only while both
its nodes stay where the layout put them: dragging either node drops the bends and draws it
straight (they were made for the old places and would lead nowhere useful), and a relayout
(Ctrl+L) bends it afresh. A node put back exactly where it was (a cancelled Shift-drag) finds
its edges bent again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QLineF, QPointF, QRectF
from PySide6.QtGui import QPainterPath, QPainterPathStroker, QPen, QPolygonF

from meshgui.model.edge_looks import MAX_EDGE_WIDTH
from meshgui.views.edge_geometry import head_distance
from meshgui.views.edge_label import LABEL_HEIGHT, LABEL_WIDTH
from meshgui.views.edge_route import LaidOutBends, route
from meshgui.views.node_item import NODE_HEIGHT

ARROW_SIZE = 9.0
PICK_WIDTH = 10.0


class EdgePathMixin:
    """For `EdgeItem` (a QGraphicsItem): needs `source`, `target`, `offset`, `_pen` and
    `sync_overview`; keeps `_line`, `_path`, `_bends`, `_arrow`, `_bounds`, `_label_rect`."""

    reroutes = 0
    """How many times any edge was re-routed: hit-test caches compare it to know they are stale
    (one int increment per re-route, instead of a callback)."""

    if TYPE_CHECKING:  # provided by EdgeItem and QGraphicsItem
        source: Any
        target: Any
        offset: float
        _pen: QPen
        _line: QLineF
        _path: QPolygonF | None
        _bends: LaidOutBends | None
        _arrow: QPolygonF | None
        _bounds: QRectF
        _label_rect: QRectF

        def sync_overview(self) -> None: ...

        def prepareGeometryChange(self) -> None: ...  # noqa: N802

    def head_distance(self, point: QPointF, reach: float) -> float | None:
        """Scene distance from `point` to the arrow's tip, when `point` is on the last `reach`
        scene units of the edge (where a drag re-points it); None elsewhere."""
        if self.source is self.target:
            return None
        return head_distance(self._line, point, reach)

    @property
    def overview_geometry(self) -> QLineF:
        """From the caller's border to the arrow's tip, straight (the overview draws that)."""
        path = self._path
        return self._line if path is None else QLineF(path.first(), path.last())

    @property
    def label_rect(self) -> QRectF:
        """Where the label goes, in scene units (drawn only when zoomed in and not idle)."""
        return QRectF(self._label_rect)

    @property
    def head_segment(self) -> QLineF:
        """The last segment, ending at the arrow's tip: where a drag grabs the head."""
        return QLineF(self._line)

    @property
    def path_points(self) -> list[QPointF]:
        """The points the edge is drawn through, caller's border to arrow tip."""
        path = self._path
        return [self._line.p1(), self._line.p2()] if path is None else path.toList()

    def set_bends(
        self,
        bends: QPolygonF | None,
        source_at: QPointF | None = None,
        target_at: QPointF | None = None,
    ) -> None:
        """Bend the edge through `bends` (the layout's, caller side first) while its caller is
        at `source_at` and its callee at `target_at`; None: straight. Re-routes now when the
        ends are already there, else when the nodes get there (`adjust`)."""
        if bends is None or source_at is None or target_at is None:
            if self._bends is not None:
                self._bends = None
                if self._path is not None:
                    self.adjust()
            return
        self._bends = LaidOutBends(bends, source_at, target_at)
        if self._bends.fit(self.source.pos(), self.target.pos()):
            self.adjust()

    def adjust(self) -> None:
        """Re-route after a node moved."""
        EdgePathMixin.reroutes += 1
        start, end = self.source.pos(), self.target.pos()
        self.prepareGeometryChange()
        if self.source is self.target:
            self._line = QLineF(start, start)
            self._label_rect = QRectF(-LABEL_WIDTH / 2, -LABEL_HEIGHT, LABEL_WIDTH, LABEL_HEIGHT)
            self._label_rect.translate(start.x(), start.y() - NODE_HEIGHT / 2 - 26)
            self._bounds = self._loop_rect().united(self._label_rect).adjusted(-12, -12, 12, 12)
            return
        bends = self._bends
        if bends is not None and not bends.fit(start, end):
            bends = None  # a node was dragged: straight until laid out again
        head, self._path, centre = route(
            start, end, self.offset, None if bends is None else bends.points
        )
        self._line = head
        self._arrow = None
        self._label_rect = QRectF(0, 0, LABEL_WIDTH, LABEL_HEIGHT)
        self._label_rect.moveCenter(centre)
        pad = MAX_EDGE_WIDTH + ARROW_SIZE
        path = self._path
        box = QRectF(head.p1(), head.p2()).normalized() if path is None else path.boundingRect()
        self._bounds = box.adjusted(-pad, -pad, pad, pad).united(self._label_rect)
        self.sync_overview()

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt override)
        return self._bounds

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        if self.source is self.target:
            path.addEllipse(self._loop_rect())
        elif self._path is not None:
            path.addPolygon(self._path)  # an open polyline: picks along every segment
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
