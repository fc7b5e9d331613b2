"""Charts of one edge over the last 5 min / 15 min / 1 h: req/s, error % and p50/p90/p99
latency (pyqtgraph). Gaps in the history (NaN) stay gaps rather than being drawn across.
Applied changes are marked with a vertical line on every chart (labelled on the first), so a
step in a curve can be read against what was changed then."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from meshgui.views.styles import HEALTH_COLOURS, exact_ms

WINDOWS_S = {"Last 5 min": 300.0, "Last 15 min": 900.0, "Last 1 h": 3600.0}
LATENCY_SERIES = (
    ("p50", "p50_ms", QColor("#4a90d9")),
    ("p90", "p90_ms", QColor("#e09a00")),
    ("p99", "p99_ms", QColor("#d64541")),
)
RATE_COLOUR = QColor("#2e9d5b")
MARKER_COLOUR = QColor("#8e44ad")
LABEL_HEIGHTS = (0.86, 0.7, 0.54)
"""Where marker labels sit up their lines (a share of the chart's height), in turn."""
Marker = tuple[float, str]


class EdgeCharts(QWidget):
    window_changed = Signal(float)  # seconds

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("edgeCharts")
        self.title = QLabel(self)
        self.title.setObjectName("edgeTitle")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.window_box = QComboBox(self)
        self.window_box.addItems(list(WINDOWS_S))
        self.window_box.currentTextChanged.connect(
            lambda text: self.window_changed.emit(WINDOWS_S[text])
        )
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.window_box)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.summary)
        self.rate_plot = self._plot("req/s")
        self.error_plot = self._plot("errors %")
        self.latency_plot = self._plot("latency ms")
        self.error_plot.setXLink(self.rate_plot)
        self.latency_plot.setXLink(self.rate_plot)
        self.latency_plot.addLegend(offset=(8, 4))  # top left: live data enters on the right
        self.rate_curve = self._curve(self.rate_plot, RATE_COLOUR, None)
        self.error_curve = self._curve(self.error_plot, HEALTH_COLOURS["FAILING"], None)
        self.latency_curves = {
            field: self._curve(self.latency_plot, colour, name)
            for name, field, colour in LATENCY_SERIES
        }
        for plot in (self.rate_plot, self.error_plot, self.latency_plot):
            layout.addWidget(plot, 1)
        self._markers: list[Marker] = []
        self._end: float | None = None
        self._shown_markers: list[Marker] = []
        self._marker_items: list[tuple[pg.PlotWidget, pg.InfiniteLine]] = []

    @property
    def marker_lines(self) -> list[pg.InfiniteLine]:
        """The lines drawn now: one per shown marker and chart."""
        return [line for _plot, line in self._marker_items]

    def set_change_markers(self, markers: Sequence[Marker]) -> None:
        """Mark each (time, label); only those inside the shown window get lines, so a long
        journal costs nothing here."""
        self._markers = sorted(markers)
        self._sync_markers()

    def _sync_markers(self) -> None:
        shown: list[Marker] = []
        if self._end is not None:
            first = bisect_left(self._markers, (self._end - self.window_s, ""))
            shown = self._markers[first:]
        if shown == self._shown_markers:
            return
        for plot, old in self._marker_items:
            plot.removeItem(old)
        self._marker_items = []
        self._shown_markers = shown
        pen = pg.mkPen(MARKER_COLOUR, width=1.2, style=Qt.PenStyle.DashLine)
        middle = (self._end or 0.0) - self.window_s / 2
        for n, (at, label) in enumerate(shown):
            # On the side of its line with more room, and staggered in height, so changes
            # close together keep readable labels.
            side = 1 if at > middle else 0
            options = {
                "position": LABEL_HEIGHTS[n % len(LABEL_HEIGHTS)],
                "color": MARKER_COLOUR,
                "anchors": [(side, 0), (side, 1)],  # both; one alone crashes pyqtgraph
            }
            for plot in (self.rate_plot, self.error_plot, self.latency_plot):
                line = pg.InfiniteLine(
                    pos=at,
                    angle=90,
                    movable=False,
                    pen=pen,
                    label=label if plot is self.rate_plot else None,
                    labelOpts=options,
                )
                line.setToolTip(label)
                plot.addItem(line, ignoreBounds=True)
                self._marker_items.append((plot, line))

    @property
    def window_s(self) -> float:
        return WINDOWS_S[self.window_box.currentText()]

    def _plot(self, label: str) -> pg.PlotWidget:
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.Text)
        plot = pg.PlotWidget(
            self,
            background=palette.color(QPalette.ColorRole.Base),
            axisItems={"bottom": pg.DateAxisItem(orientation="bottom")},
        )
        plot.setMinimumHeight(110)
        plot.setMenuEnabled(False)
        plot.setMouseEnabled(x=False, y=False)
        plot.showGrid(x=True, y=True, alpha=0.15)
        plot.setLabel("left", label, color=text.name())
        for side in ("left", "bottom"):
            axis = plot.getAxis(side)
            axis.setTextPen(text)
            axis.setPen(palette.color(QPalette.ColorRole.Mid))
        plot.getViewBox().setLimits(yMin=0)
        return plot

    @staticmethod
    def _curve(plot: pg.PlotWidget, colour: QColor, name: str | None) -> pg.PlotDataItem:
        curve = plot.plot([], [], pen=pg.mkPen(colour, width=1.6), name=name, connect="finite")
        curve.setClipToView(True)
        curve.setDownsampling(auto=True, method="peak")
        return curve

    def show_edge(self, key: Any, stats: Any | None) -> None:
        self.title.setText(f"{key.source} → {key.destination} ({key.protocol})")
        if stats is None:
            self.summary.setText("No traffic seen yet.")
            return
        self.summary.setText(
            f"{stats.rps:.2f} req/s · {stats.error_pct:.2f}% errors · "
            f"p50 {exact_ms(stats.p50_ms)} · p90 {exact_ms(stats.p90_ms)} · "
            f"p99 {exact_ms(stats.p99_ms)}"
        )

    def show_history(self, history: Any) -> None:
        t = np.asarray(history.t, dtype=float)
        self.rate_curve.setData(t, np.asarray(history.rps, dtype=float), connect="finite")
        self.error_curve.setData(t, np.asarray(history.error_pct, dtype=float), connect="finite")
        for field, curve in self.latency_curves.items():
            curve.setData(t, np.asarray(getattr(history, field), dtype=float), connect="finite")
        if len(t):
            end = float(t[-1])
            self.rate_plot.setXRange(end - self.window_s, end, padding=0)
            self._end = end
        self._sync_markers()

    def clear(self) -> None:
        for curve in (self.rate_curve, self.error_curve, *self.latency_curves.values()):
            curve.setData([], [])
