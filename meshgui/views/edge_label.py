"""The label in the middle of an edge: req/s with error % and p99 (connections and bytes for
TCP), or, for a pending reroute without traffic yet, that it is waiting. Formatted only when
painted up close."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter

from meshgui.views.styles import CanvasStyle, format_bytes_per_s, format_ms, format_pct, format_rate

LABEL_WIDTH = 124.0
LABEL_HEIGHT = 30.0
PENDING_LABEL = ("reroute pending", "waiting for traffic")


def edge_label(key: Any, stats: Any) -> tuple[str, str]:
    if key.protocol == "tcp":
        return f"{format_rate(stats.rps)} conn/s", format_bytes_per_s(stats.bytes_per_s)
    return (
        f"{format_rate(stats.rps)} req/s",
        f"{format_pct(stats.error_pct)} · p99 {format_ms(stats.p99_ms)}",
    )


def draw_edge_label(
    painter: QPainter,
    style: CanvasStyle,
    centre: QPointF,
    lines: tuple[str, str],
    colour: QColor,
) -> None:
    """Two lines on a rounded, slightly see-through box just wide enough for them."""
    first, second = lines
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(style.label_background)
    painter.setFont(style.label_font)
    metrics = painter.fontMetrics()
    width = max(metrics.horizontalAdvance(first), metrics.horizontalAdvance(second)) + 10
    box = QRectF(0, 0, min(width, LABEL_WIDTH), LABEL_HEIGHT)
    box.moveCenter(centre)
    painter.drawRoundedRect(box, 4, 4)
    painter.setPen(colour)
    align = Qt.AlignmentFlag.AlignHCenter
    painter.drawText(box, align | Qt.AlignmentFlag.AlignTop, first)
    painter.drawText(box, align | Qt.AlignmentFlag.AlignBottom, second)
