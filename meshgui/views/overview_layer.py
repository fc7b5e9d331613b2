"""The zoomed-out picture of a large mesh, drawn by one item in a handful of batched calls.

Fitted to the window, a mesh of 1,000 services and 5,000 calls is a few pixels per item: one
Python paint per item costs more than all the drawing (DESIGN.md's measurements). Below
`OVERVIEW_MAX_SCALE` the canvas turns its items' painting off (they stay for hit-testing,
dragging and tooltips) and this layer draws every edge as lines grouped by pen, and every node
as rectangles grouped by health, straight from geometry the items keep up to date.

An edge the layout bent around the layers it skips is drawn here as one straight line from end
to end: at this zoom the bends are a pixel or two, and drawing every segment of every bent
edge would triple the lines painted on each tick of a large mesh.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from meshgui.views.styles import CanvasStyle, PenKey, health_name

OVERVIEW_MAX_SCALE = 0.3
"""Below this zoom node names are unreadable: the overview takes over the drawing."""
SELECTION_PX = 4


class OverviewLayer(QGraphicsItem):
    def __init__(self, style: CanvasStyle) -> None:
        super().__init__()
        self._style = style
        self._bounds = QRectF()
        self._lines: dict[PenKey, dict[Any, QLineF]] = {}
        self._pen_of: dict[Any, PenKey] = {}
        self._rects: dict[str, dict[str, QRectF]] = {}
        self._health_of: dict[str, str] = {}
        self.setZValue(-1)
        self.setVisible(False)

    def set_style(self, style: CanvasStyle) -> None:
        self._style = style
        self.update()

    def set_bounds(self, rect: QRectF) -> None:
        self.prepareGeometryChange()
        self._bounds = QRectF(rect)

    def clear(self) -> None:
        self._lines.clear()
        self._pen_of.clear()
        self._rects.clear()
        self._health_of.clear()
        self.update()

    def put_edge(self, key: Any, pen_key: PenKey, line: QLineF) -> None:
        old = self._pen_of.get(key)
        if old is not None and old != pen_key:
            del self._lines[old][key]
        self._lines.setdefault(pen_key, {})[key] = line
        self._pen_of[key] = pen_key
        self.update()

    def remove_edge(self, key: Any) -> None:
        old = self._pen_of.pop(key, None)
        if old is not None:
            del self._lines[old][key]
            self.update()

    def put_node(self, name: str, health: Any, rect: QRectF) -> None:
        group = health_name(health)
        old = self._health_of.get(name)
        if old is not None and old != group:
            del self._rects[old][name]
        self._rects.setdefault(group, {})[name] = rect
        self._health_of[name] = group
        self.update()

    def remove_node(self, name: str) -> None:
        old = self._health_of.pop(name, None)
        if old is not None:
            del self._rects[old][name]
            self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt override)
        return self._bounds

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        style = self._style
        # Lines a pixel or two wide: antialiasing them doubled the repaint of 300 services /
        # 1,500 calls here (~36 -> ~17 ms) for a difference the eye barely sees at this zoom.
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        for pen_key, lines in self._lines.items():
            if lines:
                painter.setPen(style.pen_for(pen_key))
                painter.drawLines(list(lines.values()))
        for group, rects in self._rects.items():
            if rects:
                painter.setPen(style.node_pen(group))
                painter.setBrush(style.node_fill(group))
                painter.drawRects(list(rects.values()))
        selected = self.scene().selectedItems() if self.scene() is not None else []
        if selected:
            halo = QPen(style.highlight, SELECTION_PX)
            halo.setCosmetic(True)  # pixels, whatever the zoom
            painter.setPen(halo)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for item in selected:
                geometry = getattr(item, "overview_geometry", None)
                if isinstance(geometry, QLineF):
                    painter.drawLine(geometry)
                elif isinstance(geometry, QRectF):
                    painter.drawRect(geometry)
