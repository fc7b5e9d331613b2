"""How the topology looks: colours by health and error rate, edge widths by rate, the number
formats of labels and tooltips. Colours are tints over the system palette, so light and dark
themes both read well."""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette, QPen

from meshgui.model.edge_looks import (
    MAX_EDGE_WIDTH,
    MIN_EDGE_WIDTH,
    WIDTH_PER_DECADE,
    WIDTH_STEPS_PER_UNIT,
)

HEALTH_COLOURS = {
    "HEALTHY": QColor("#2e9d5b"),
    "DEGRADED": QColor("#e09a00"),
    "FAILING": QColor("#d64541"),
    "DRAINED": QColor("#4a7bd0"),
    "DISCONNECTED": QColor("#8c8c8c"),
    "IDLE": QColor("#8a96a3"),
}
UNKNOWN_COLOUR = QColor("#8a96a3")
NODE_TINT = 0.22
"""How much of the health colour goes into a node's fill over the palette's base colour."""
# Edge widths are rounded to half units (WIDTH_STEPS_PER_UNIT), so a few dozen shared pens serve
# every edge; the model tells which edges change width step, so the widths are defined there.
PenKey = tuple[Any, int, bool]


def health_name(health: Any) -> str:
    """NodeHealth member name; works for any enum (or a plain string) so views stay duck-typed."""
    return str(getattr(health, "name", health)).upper()


def health_colour(health: Any) -> QColor:
    return HEALTH_COLOURS.get(health_name(health), UNKNOWN_COLOUR)


def blend(base: QColor, tint: QColor, amount: float) -> QColor:
    keep = 1.0 - amount
    return QColor.fromRgbF(
        base.redF() * keep + tint.redF() * amount,
        base.greenF() * keep + tint.greenF() * amount,
        base.blueF() * keep + tint.blueF() * amount,
    )


def node_fill(palette: QPalette, health: Any) -> QColor:
    return blend(palette.color(QPalette.ColorRole.Base), health_colour(health), NODE_TINT)


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightnessF() < 0.5


def edge_width(rps: float) -> float:
    """Logarithmic: 1 req/s and 10,000 req/s must both stay readable."""
    return min(MAX_EDGE_WIDTH, MIN_EDGE_WIDTH + WIDTH_PER_DECADE * math.log10(1.0 + max(rps, 0.0)))


def format_rate(value: float) -> str:
    if value == 0:
        return "0"
    if value >= 1000:
        return f"{value / 1000:.1f}k"
    if value >= 10:
        return f"{value:.0f}"
    return f"{value:.1f}"


def format_ms(value: float | None) -> str:
    if value is None or math.isnan(value):
        return "n/a"
    if value >= 1000:
        return f"{value / 1000:.2f} s"
    if value >= 10:
        return f"{value:.0f} ms"
    return f"{value:.1f} ms"


def exact_ms(value: float | None) -> str:
    """For tooltips and details: the number as measured, not rounded for a label."""
    return "n/a" if value is None or math.isnan(value) else f"{value:.2f} ms"


def format_pct(value: float) -> str:
    if value == 0:
        return "0%"
    if value < 0.1:
        return "<0.1%"
    return f"{value:.1f}%" if value < 10 else f"{value:.0f}%"


def format_bytes_per_s(value: float) -> str:
    for unit, scale in (("GB/s", 1e9), ("MB/s", 1e6), ("kB/s", 1e3)):
        if value >= scale:
            return f"{value / scale:.1f} {unit}"
    return f"{value:.0f} B/s"


class CanvasStyle:
    """Pens, fonts and colours the canvas items share, derived once per palette change rather
    than per item or per paint."""

    def __init__(self, palette: QPalette, font: QFont) -> None:
        self.palette = palette
        self.text = palette.color(QPalette.ColorRole.Text)
        self.muted_text = palette.color(QPalette.ColorRole.PlaceholderText)
        self.base = palette.color(QPalette.ColorRole.Base)
        self.highlight = palette.color(QPalette.ColorRole.Highlight)
        self.selection_halo = QColor(self.highlight)
        self.selection_halo.setAlphaF(0.45)
        label_back = QColor(self.base)
        label_back.setAlphaF(0.86)
        self.label_background = label_back
        healthy_edge = blend(blend(self.base, self.text, 0.55), HEALTH_COLOURS["HEALTHY"], 0.45)
        self.edge_colours = dict(HEALTH_COLOURS, HEALTHY=healthy_edge)
        self.edge_colours["IDLE"] = blend(self.base, self.text, 0.4)
        self.node_fills = {name: node_fill(palette, name) for name in HEALTH_COLOURS}
        self.name_font = QFont(font)
        self.name_font.setBold(True)
        self.detail_font = QFont(font)
        self.detail_font.setPointSizeF(max(6.0, font.pointSizeF() * 0.85))
        self.label_font = QFont(self.detail_font)
        self._edge_pens: dict[PenKey, QPen] = {}
        self._node_pens = {name: QPen(colour, 1.5) for name, colour in HEALTH_COLOURS.items()}

    def edge_pen(self, health: Any, rps: float, dashed: bool) -> tuple[PenKey, QPen]:
        """A shared pen per (health, width step, dash): a tick re-styles thousands of edges
        and most of them land on the pen they already had."""
        key = (health, round(edge_width(rps) * WIDTH_STEPS_PER_UNIT), dashed)
        pen = self._edge_pens.get(key)
        if pen is None:
            pen = QPen(self.edge_colour(health), key[1] / WIDTH_STEPS_PER_UNIT)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            if dashed:
                pen.setStyle(Qt.PenStyle.DashLine)
            self._edge_pens[key] = pen
        return key, pen

    def pen_for(self, key: PenKey) -> QPen:
        return self._edge_pens[key]

    def node_pen(self, health: Any) -> QPen:
        return self._node_pens.get(health_name(health), self._node_pens["IDLE"])

    def edge_colour(self, health: Any) -> QColor:
        return self.edge_colours.get(health_name(health), UNKNOWN_COLOUR)

    def node_fill(self, health: Any) -> QColor:
        return self.node_fills.get(health_name(health), self.base)
