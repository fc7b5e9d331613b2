"""Where an edge runs between two nodes: straight from box border to box border, or, when the
layout bent it around the layers it skips, as a polyline through those bends.

Either way an edge has a head segment (the last one: its arrow, and the part a reroute drag
grabs), a label anchored on the middle of the path, and a sideways offset that keeps it clear
of a twin (the reverse call, or TCP beside HTTP). Bends hold only while both ends stay where the
layout put them (`LaidOutBends.fit`).
"""

from __future__ import annotations

import itertools
import math
from typing import NamedTuple

from PySide6.QtCore import QLineF, QPointF
from PySide6.QtGui import QPolygonF

from meshgui.model.edge_looks import MAX_EDGE_WIDTH
from meshgui.views.edge_geometry import border_point
from meshgui.views.edge_label import LABEL_HEIGHT

_MIN_MITER = 0.5
"""At a sharp bend the offset point would fly off: cap it at twice the offset."""


class LaidOutBends:
    """The layout's bends of one edge and where its ends were when the layout made them."""

    __slots__ = ("points", "source_at", "target_at")

    def __init__(self, points: QPolygonF, source_at: QPointF, target_at: QPointF) -> None:
        self.points = points
        self.source_at = source_at
        self.target_at = target_at

    def fit(self, start: QPointF, end: QPointF) -> bool:
        """Whether the ends are still where the layout put them: the bends were made for those
        places and lead nowhere useful from any other."""
        return start == self.source_at and end == self.target_at


class Route(NamedTuple):
    head: QLineF
    """The last segment, ending on the callee's border (the whole edge when straight)."""
    path: QPolygonF | None
    """Border to border through the bends; None when straight."""
    label_centre: QPointF


def route(start: QPointF, end: QPointF, offset: float, bends: QPolygonF | None) -> Route:
    """The route from node centre `start` to node centre `end`, `offset` to the left of the
    direction of travel (a twin going the other way is shifted to the other side)."""
    if bends is None or bends.isEmpty():
        return _straight(start, end, offset)
    points = [start, *bends.toList(), end]
    if offset:
        points = _shifted(points, offset)
    points[0] = border_point(points[0], points[1])
    points[-1] = border_point(points[-1], points[-2])
    head = QLineF(points[-2], points[-1])
    segment = _middle_segment(points)
    return Route(head, QPolygonF(points), _label_centre(segment, offset))


def _straight(start: QPointF, end: QPointF, offset: float) -> Route:
    line = QLineF(start, end)
    # Both ends in one place (not laid out yet) have no direction, and unitVector() NaNs.
    normal = line.normalVector().unitVector() if line.length() > 1e-6 else QLineF()
    shift = QPointF(normal.dx() * offset, normal.dy() * offset)
    a, b = start + shift, end + shift
    head = QLineF(border_point(a, b), border_point(b, a))
    return Route(head, None, _label_centre(head, offset))


def _label_centre(segment: QLineF, offset: float) -> QPointF:
    """The middle of `segment`, beside it on this edge's side when it has a twin, clear of the
    twin's label."""
    middle = segment.pointAt(0.5)
    if offset and segment.length() > 1e-6:
        normal = segment.normalVector().unitVector()
        side = math.copysign(LABEL_HEIGHT / 2 + MAX_EDGE_WIDTH / 2 + 2, offset)
        middle += QPointF(normal.dx() * side, normal.dy() * side)
    return middle


def _middle_segment(points: list[QPointF]) -> QLineF:
    """The segment holding the path's halfway point. Its middle, not that point itself, takes
    the label: a segment's middle is clear of nodes (between two layers, or level through a
    crossed layer in the gap the layout left), while the halfway point may be near a box."""
    segments = [QLineF(a, b) for a, b in itertools.pairwise(points)]
    half = sum(s.length() for s in segments) / 2
    for segment in segments:
        half -= segment.length()
        if half <= 0:
            return segment
    return segments[-1]


def _shifted(points: list[QPointF], offset: float) -> list[QPointF]:
    """`points` moved `offset` along the left normal of the path; at a bend along the bisector
    of its two segments' normals, so both stay `offset` from the unshifted ones."""
    normals = []
    for a, b in itertools.pairwise(points):
        dx, dy = b.x() - a.x(), b.y() - a.y()
        length = math.hypot(dx, dy)
        # QLineF.normalVector's side: (dy, -dx), as a straight edge is shifted.
        normals.append((dy / length, -dx / length) if length > 1e-9 else (0.0, 0.0))
    shifted = []
    for i, point in enumerate(points):
        before = normals[i - 1] if i > 0 else normals[i]
        after = normals[i] if i < len(normals) else normals[i - 1]
        nx, ny = before[0] + after[0], before[1] + after[1]
        length = math.hypot(nx, ny)
        if length < 1e-9:  # a reversal, or zero-length segments: shift by either normal
            nx, ny, length = before[0] or after[0], before[1] or after[1], 1.0
        nx, ny = nx / length, ny / length
        miter = max(nx * before[0] + ny * before[1], _MIN_MITER) if any(before) else 1.0
        scale = offset / miter
        shifted.append(QPointF(point.x() + nx * scale, point.y() + ny * scale))
    return shifted
