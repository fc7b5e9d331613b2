"""Charts of one edge over the last 5 min / 15 min / 1 h: req/s, failed % (of the calls, and of
the tries when retries hid failures from the callers) and p50/p90/p99 latency (pyqtgraph). Gaps
in the history (NaN) stay gaps rather than being drawn across. Applied changes are marked with a
vertical line on every chart (labelled on the first), so a step in a curve can be read against
what was changed then.

Every chart's y axis starts at 0 and leaves headroom above the highest value shown, so a
wobble of 45-48 req/s reads as the small thing it is, a 0 % line sits visibly above the axis,
and the p99 line is never clipped. The left axes share one width so the three time axes line up.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from meshgui.views.styles import HEALTH_COLOURS
from meshgui.views.tooltips import NBSP, failures_text, figures, ms_figures

WINDOWS_S = {"Last 5 min": 300.0, "Last 15 min": 900.0, "Last 1 h": 3600.0}
LATENCY_SERIES = (
    ("p50", "p50_ms", QColor("#4a90d9")),
    ("p90", "p90_ms", QColor("#e09a00")),
    ("p99", "p99_ms", QColor("#d64541")),
)
FAILED_SERIES = (
    ("calls failed", "error_pct", HEALTH_COLOURS["FAILING"], Qt.PenStyle.SolidLine),
    ("tries failed", "tries_failed_pct", HEALTH_COLOURS["DEGRADED"], Qt.PenStyle.DashLine),
)
"""The failed-tries share is charted when the history carries it (retried tries included)."""
RATE_COLOUR = QColor("#2e9d5b")
AXIS_WIDTH = 58
"""Pixels of every chart's left axis (ticks and title): the same on all three, so the time axes
line up whatever the numbers' widths."""
HEADROOM = 1.15
"""The top of a chart sits this far above the highest value shown."""
BELOW_ZERO = 0.04
"""Share of the range below 0, so a line at 0 is drawn above the axis, not on it."""
SMALLEST_TOP = 1.0
"""The least top of every chart (1 req/s, 1 %, 1 ms): no traffic or no failures reads as 0."""
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
        self.summary.setObjectName("edgeSummary")
        self.summary.setWordWrap(True)  # only at " · ": the values hold non-breaking spaces
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
        self.rate_plot = self._plot()
        self.error_plot = self._plot()
        self.latency_plot = self._plot()
        self.error_plot.setXLink(self.rate_plot)
        self.latency_plot.setXLink(self.rate_plot)
        self.legends = {
            # top left: live data enters on the right
            plot: plot.addLegend(offset=(8, 4))
            for plot in (self.error_plot, self.latency_plot)
        }
        self.rate_curve = self._curve(self.rate_plot, RATE_COLOUR, None)
        self.failed_curves = {
            field: self._curve(self.error_plot, colour, name, style)
            for name, field, colour, style in FAILED_SERIES
        }
        self.latency_curves = {
            field: self._curve(self.latency_plot, colour, name)
            for name, field, colour in LATENCY_SERIES
        }
        titles = ("req/s", "failed %", "latency ms")
        plots = (self.rate_plot, self.error_plot, self.latency_plot)
        self._titles = dict(zip(plots, titles, strict=True))
        for plot in self._titles:
            layout.addWidget(plot, 1)
        self._apply_palette()
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
            for plot in self._titles:
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

    def _plot(self) -> pg.PlotWidget:
        plot = pg.PlotWidget(self, axisItems={"bottom": pg.DateAxisItem(orientation="bottom")})
        plot.setMinimumHeight(110)
        plot.setMenuEnabled(False)
        plot.setMouseEnabled(x=False, y=False)
        plot.hideButtons()
        plot.showGrid(x=True, y=True, alpha=0.15)
        plot.getAxis("left").setWidth(AXIS_WIDTH)
        plot.enableAutoRange(axis="y", enable=False)  # `show_history` sets it: 0 and headroom
        plot.setYRange(-BELOW_ZERO, 1.0, padding=0)
        return plot

    def _apply_palette(self) -> None:
        """Backgrounds, axes, titles and legends in the palette's colours, readable on light
        and dark alike (pyqtgraph's own grey is faint on white)."""
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.Text)
        base = palette.color(QPalette.ColorRole.Base)
        for plot, title in self._titles.items():
            plot.setBackground(base)
            for side in ("left", "bottom"):
                axis = plot.getAxis(side)
                axis.setPen(palette.color(QPalette.ColorRole.Mid))
                axis.setTextPen(text)  # after setPen, which recolours the title with its own
            plot.setLabel("left", title, color=text.name())
        legend_back = QColor(base)
        legend_back.setAlphaF(0.8)  # lines behind stay visible, the names stay readable
        for legend in self.legends.values():
            legend.setLabelTextColor(text)
            legend.setBrush(legend_back)
            for _sample, label in legend.items:
                label.setText(label.text)  # a label takes a new colour only when set again

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_palette()

    @staticmethod
    def _curve(
        plot: pg.PlotWidget,
        colour: QColor,
        name: str | None,
        style: Qt.PenStyle = Qt.PenStyle.SolidLine,
    ) -> pg.PlotDataItem:
        pen = pg.mkPen(colour, width=1.6, style=style)
        curve = plot.plot([], [], pen=pen, name=name, connect="finite")
        curve.setClipToView(True)
        curve.setDownsampling(auto=True, method="peak")
        return curve

    def show_edge(self, key: Any, stats: Any | None) -> None:
        self.title.setText(f"{key.source} → {key.destination} ({key.protocol})")
        unit = "conn/s" if key.protocol == "tcp" else "req/s"
        if self._titles[self.rate_plot] != unit:
            self._titles[self.rate_plot] = unit
            self._apply_palette()
        if stats is None:
            self.summary.setText("No traffic seen yet.")
            return
        self.summary.setText(
            f"{figures(stats.rps)}{NBSP}{unit} · p50{NBSP}{ms_figures(stats.p50_ms)} · "
            f"p90{NBSP}{ms_figures(stats.p90_ms)} · p99{NBSP}{ms_figures(stats.p99_ms)}\n"
            + failures_text(stats.rps, stats.error_pct, stats.retries_per_s)
        )

    def show_history(self, history: Any) -> None:
        t = np.asarray(history.t, dtype=float)
        shown = t >= (t[-1] - self.window_s) if len(t) else np.zeros(0, dtype=bool)
        for plot, curves in (
            (self.rate_plot, {"rps": self.rate_curve}),
            (self.error_plot, self.failed_curves),
            (self.latency_plot, self.latency_curves),
        ):
            drawn = []
            for field, curve in curves.items():
                values = getattr(history, field, None)
                if plot in self.legends:
                    self._show_in_legend(plot, curve, values is not None)
                values = np.full(len(t), np.nan) if values is None else np.asarray(values, float)
                curve.setData(t, values, connect="finite")
                drawn.append(values[shown])
            plot.setYRange(*y_range(drawn), padding=0)  # over the shown window only
        if len(t):
            end = float(t[-1])
            self.rate_plot.setXRange(end - self.window_s, end, padding=0)
            self._end = end
        self._sync_markers()

    def _show_in_legend(self, plot: pg.PlotWidget, curve: pg.PlotDataItem, shown: bool) -> None:
        legend = self.legends[plot]
        listed = any(sample.item is curve for sample, _label in legend.items)
        if shown and not listed:
            legend.addItem(curve, curve.name())
        elif listed and not shown:
            legend.removeItem(curve)

    def clear(self) -> None:
        for curve in (self.rate_curve, *self.failed_curves.values(), *self.latency_curves.values()):
            curve.setData([], [])


def y_range(
    series: Sequence[np.ndarray], smallest_top: float = SMALLEST_TOP
) -> tuple[float, float]:
    """From a hair below 0 to `HEADROOM` above the highest finite value (at least
    `smallest_top`): 0 always shows, so small changes look small and nothing touches the top."""
    highs = [float(np.nanmax(s)) for s in series if np.isfinite(s).any()]
    top = max([smallest_top / HEADROOM, *highs]) * HEADROOM
    return -top * BELOW_ZERO, top
