"""Hit-testing for the canvas's gestures without asking the scene.

A scene query walks every item and calls each one's Python `boundingRect()`: about 19 ms per
mouse move at 1,000 nodes / 5,000 edges on this machine, too slow to run on every hover. Arrow
tips are kept in one numpy array instead (rebuilt only after an edge moved), and node boxes
are tested from their positions (all nodes have the same size).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
from PySide6.QtCore import QPointF

from meshgui.views.edge_item import EdgeItem
from meshgui.views.node_item import NODE_HEIGHT, NODE_WIDTH, NodeItem


class ArrowTips:
    """Where every edge's arrow ends."""

    def __init__(self) -> None:
        self._stamp: tuple[int, int] | None = None
        self._tips = np.zeros((0, 2))
        self._items: list[EdgeItem] = []

    def nearest_head(
        self, edges: Mapping[Any, EdgeItem], point: QPointF, reach: float
    ) -> EdgeItem | None:
        """The visible edge whose arrow head (its last `reach` scene units) is under `point`,
        nearest first."""
        stamp = (EdgeItem.reroutes, len(edges))
        if stamp != self._stamp:
            self._items = list(edges.values())
            lines = [item.overview_geometry for item in self._items]
            self._tips = np.array([(line.x2(), line.y2()) for line in lines]).reshape(-1, 2)
            self._stamp = stamp
        offsets = self._tips - (point.x(), point.y())
        near = np.flatnonzero((offsets * offsets).sum(axis=1) <= reach * reach * 1.25)
        best: tuple[float, EdgeItem] | None = None
        for i in near.tolist():
            item = self._items[i]
            if not item.isVisible() or item.scene() is None:
                continue
            distance = item.head_distance(point, reach)
            if distance is not None and (best is None or distance < best[0]):
                best = (distance, item)
        return best[1] if best is not None else None


def node_at(
    nodes: Iterable[NodeItem], point: QPointF, exclude: NodeItem | None = None
) -> NodeItem | None:
    """The visible node whose box holds scene point `point` (other than `exclude`)."""
    x, y = point.x(), point.y()
    half_width, half_height = NODE_WIDTH / 2, NODE_HEIGHT / 2
    for item in nodes:
        centre = item.pos()
        if (
            abs(centre.x() - x) <= half_width
            and abs(centre.y() - y) <= half_height
            and item is not exclude
            and item.isVisible()
        ):
            return item
    return None
