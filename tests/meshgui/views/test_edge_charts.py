"""The edge charts: both failure shares with a legend when the history has the failed tries,
y axes that start at 0 with headroom, left axes of one width, and text in the palette's colour
(readable on light and dark)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from PySide6.QtGui import QColor, QPalette
from pytestqt.qtbot import QtBot

from meshgui.views.edge_charts import AXIS_WIDTH, BELOW_ZERO, HEADROOM, EdgeCharts, y_range
from tests.meshgui.views.fakes import CART_INVENTORY, NOW, history, stats


def shown_charts(qtbot: QtBot) -> EdgeCharts:
    charts = EdgeCharts()
    qtbot.addWidget(charts)
    charts.resize(400, 600)
    charts.show()
    return charts


def flaky_history(n: int = 300) -> SimpleNamespace:
    """45-48 req/s, no call failed (0 % all along), 9 % of the tries failed and were retried."""
    t = NOW - n + np.arange(n, dtype=float)
    wobble = 46.5 + 1.5 * np.sin(np.arange(n) / 7)
    return SimpleNamespace(
        t=t,
        rps=wobble,
        error_pct=np.zeros(n),
        tries_failed_pct=np.full(n, 9.0),
        p50_ms=wobble / 4,
        p90_ms=wobble / 2,
        p99_ms=wobble * 3,
    )


def y_shown(charts: EdgeCharts, plot: object) -> tuple[float, float]:
    low, high = plot.getViewBox().viewRange()[1]  # type: ignore[attr-defined]
    return low, high


def legend_names(charts: EdgeCharts) -> list[str]:
    return [label.text for _sample, label in charts.legends[charts.error_plot].items]


def test_the_failed_tries_are_charted_beside_the_failed_calls(qtbot: QtBot) -> None:
    charts = shown_charts(qtbot)
    charts.show_history(flaky_history())
    _, calls = charts.failed_curves["error_pct"].getOriginalDataset()
    _, tries = charts.failed_curves["tries_failed_pct"].getOriginalDataset()
    assert calls is not None and tries is not None
    assert np.all(calls == 0.0) and np.all(tries == 9.0)
    assert legend_names(charts) == ["calls failed", "tries failed"]
    low, high = y_shown(charts, charts.error_plot)
    assert low < 0.0 < 9.0 * HEADROOM <= high  # the 0 % line sits above the axis, 9 % in view


def test_a_history_without_failed_tries_charts_the_calls_alone(qtbot: QtBot) -> None:
    charts = shown_charts(qtbot)
    charts.show_history(flaky_history())
    charts.show_history(history())  # the model's history before it records the tries
    _, tries = charts.failed_curves["tries_failed_pct"].getOriginalDataset()
    assert tries is not None and np.isnan(tries).all()
    assert legend_names(charts) == ["calls failed"]


def test_a_small_wobble_in_the_rate_is_drawn_from_zero(qtbot: QtBot) -> None:
    charts = shown_charts(qtbot)
    charts.show_history(flaky_history())
    low, high = y_shown(charts, charts.rate_plot)
    assert low <= 0.0 and 48.0 < high <= 48.0 * HEADROOM * 1.01


def test_the_highest_latency_line_is_not_clipped(qtbot: QtBot) -> None:
    charts = shown_charts(qtbot)
    charts.show_history(flaky_history())
    _, high = y_shown(charts, charts.latency_plot)
    assert high >= 48.0 * 3 * HEADROOM * 0.99


def test_values_outside_the_window_do_not_set_the_range(qtbot: QtBot) -> None:
    charts = shown_charts(qtbot)
    old = flaky_history(900)
    old.rps[:300] = 5_000.0  # more than 5 min ago: not shown in "Last 5 min"
    charts.show_history(old)
    assert y_shown(charts, charts.rate_plot)[1] < 100.0


@pytest.mark.parametrize(
    ("series", "expected_top"),
    [
        ([np.array([45.0, 48.0])], 48.0 * HEADROOM),
        ([np.zeros(3), np.array([np.nan, 9.0])], 9.0 * HEADROOM),
        ([np.zeros(3)], 1.0),  # nothing failed: 0-1 %, the line at 0 visible
        ([np.full(3, np.nan)], 1.0),  # no data at all
    ],
)
def test_the_y_range_starts_below_zero_and_leaves_headroom(
    series: list[np.ndarray], expected_top: float
) -> None:
    low, top = y_range(series)
    assert top == pytest.approx(expected_top)
    assert low == pytest.approx(-top * BELOW_ZERO)


def test_the_three_left_axes_are_one_width_so_times_line_up(qtbot: QtBot) -> None:
    charts = shown_charts(qtbot)
    charts.show_history(flaky_history())
    plots = (charts.rate_plot, charts.error_plot, charts.latency_plot)
    assert {plot.getAxis("left").width() for plot in plots} == {AXIS_WIDTH}


def test_axis_titles_and_legends_use_the_palette_text_colour(qtbot: QtBot) -> None:
    charts = shown_charts(qtbot)
    dark = QPalette(charts.palette())
    dark.setColor(QPalette.ColorRole.Text, QColor("#e0e0e0"))
    dark.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    for palette in (charts.palette(), dark):
        charts.setPalette(palette)
        text = palette.color(QPalette.ColorRole.Text).name()
        for plot in (charts.rate_plot, charts.error_plot, charts.latency_plot):
            axis = plot.getAxis("left")
            assert axis.labelStyle["color"] == text
            assert axis.textPen().color().name() == text
        for legend in charts.legends.values():
            for _sample, label in legend.items:
                assert text in label.item.toHtml()


def test_the_header_gives_three_figures_and_both_failure_shares(qtbot: QtBot) -> None:
    charts = shown_charts(qtbot)
    flaky = stats(45.97, 0.0, 45.95, retries_per_s=4.5, p50_ms=18.77)
    charts.show_edge(CART_INVENTORY, flaky)
    first, second = charts.summary.text().split("\n")
    assert first.replace("\u00a0", " ") == ("46.0 req/s · p50 18.8 ms · p90 23.0 ms · p99 46.0 ms")
    assert "0% of\u00a0calls\u00a0failed" in second and "8.92% of\u00a0tries" in second
