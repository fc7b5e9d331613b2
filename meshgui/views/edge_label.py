"""The label in the middle of an edge: req/s with error % and p99 (connections and bytes for
TCP), or, for a pending reroute without traffic yet, that it is waiting. Formatted only when
painted up close.

When retries hide failures from the callers, the edge is coloured by the tries that failed
(`health.edge_health`); when that is what makes it amber or red, its label names that share
too ("0% · 9.1% tries failed", p99 moving up beside the rate), so an amber edge is never
labelled 0% alone. Which labels read
differently is also decided in numpy (`meshgui.model.edge_looks`): change both together."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter

from meshgui.model.edge_looks import tries_set_colour
from meshgui.model.health import tries_failed_percent
from meshgui.views.styles import CanvasStyle, format_bytes_per_s, format_ms, format_pct, format_rate

LABEL_WIDTH = 136.0
"""Room for the widest line, "<0.1% · 12% tries failed", in the canvas's label font."""
LABEL_HEIGHT = 30.0
PENDING_LABEL = ("reroute pending", "waiting for traffic")


def edge_label(key: Any, stats: Any) -> tuple[str, str]:
    if key.protocol == "tcp":
        return f"{format_rate(stats.rps)} conn/s", format_bytes_per_s(stats.bytes_per_s)
    rate, errors = f"{format_rate(stats.rps)} req/s", format_pct(stats.error_pct)
    p99 = f"p99 {format_ms(stats.p99_ms)}"
    tries_failed = tries_failed_percent(stats.rps, stats.error_pct, stats.retries_per_s)
    if tries_set_colour(stats.error_pct, tries_failed):
        return f"{rate} · {p99}", f"{errors} · {format_pct(tries_failed)} tries failed"
    return rate, f"{errors} · {p99}"


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
