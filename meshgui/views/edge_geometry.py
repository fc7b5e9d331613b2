"""Where an edge runs: from box border to box border, shifted aside when a twin edge (the
reverse call, or TCP beside HTTP) would otherwise lie on top of it, with an arrow head."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QLineF, QPointF
from PySide6.QtGui import QPolygonF

from meshgui.views.node_item import NODE_HEIGHT, NODE_WIDTH

TWIN_OFFSET = 9.0
"""Sideways shift of an edge whose reverse (or other-protocol sibling) is also drawn."""


def edge_offsets(keys: Iterable[Any]) -> dict[Any, float]:
    """Offsets that keep A→B clear of B→A (their normals point opposite ways, so the same
    offset puts them on either side) and a TCP edge clear of an HTTP one between the same two."""
    keys = list(keys)
    pairs: dict[tuple[str, str], int] = {}
    for k in keys:
        pairs[(k.source, k.destination)] = pairs.get((k.source, k.destination), 0) + 1
    offsets = {}
    for k in keys:
        offset = TWIN_OFFSET if (k.destination, k.source) in pairs else 0.0
        if pairs[(k.source, k.destination)] > 1 and k.protocol == "tcp":
            offset += 2 * TWIN_OFFSET
        offsets[k] = offset
    return offsets


def border_point(centre: QPointF, towards: QPointF) -> QPointF:
    """Where the segment from `centre` to `towards` leaves a node's box."""
    dx, dy = towards.x() - centre.x(), towards.y() - centre.y()
    if dx == 0 and dy == 0:
        return QPointF(centre)
    scale = min(
        (NODE_WIDTH / 2 + 2) / abs(dx) if dx else math.inf,
        (NODE_HEIGHT / 2 + 2) / abs(dy) if dy else math.inf,
        0.5,
    )
    return QPointF(centre.x() + dx * scale, centre.y() + dy * scale)


def arrow_head(line: QLineF, size: float) -> QPolygonF:
    angle = math.atan2(-line.dy(), line.dx())
    tip = line.p2()
    left = tip - QPointF(math.cos(angle - 0.45) * size, -math.sin(angle - 0.45) * size)
    right = tip - QPointF(math.cos(angle + 0.45) * size, -math.sin(angle + 0.45) * size)
    return QPolygonF([tip, left, right])


def head_distance(line: QLineF, point: QPointF, reach: float) -> float | None:
    """How far `point` is from the tip of `line`'s arrow when it lies on the head's last
    `reach` units (along the line, and at most half that beside it); None when it does not."""
    length = line.length()
    if length < 1e-6:
        return None
    ux, uy = -line.dx() / length, -line.dy() / length  # from the tip back towards the start
    px, py = point.x() - line.x2(), point.y() - line.y2()
    along = px * ux + py * uy
    beside = abs(px * uy - py * ux)
    if -reach / 4 <= along <= min(reach, length) and beside <= reach / 2:
        return math.hypot(px, py)
    return None
