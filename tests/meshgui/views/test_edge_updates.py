"""What a stats tick costs an edge: the pen is looked up again only when the health changed or
the rate left its width step, the edge repaints up close only when it reads differently, and
the canvas finds edges that came and went among the changed ones."""

from __future__ import annotations

import math
import random
from dataclasses import replace
from typing import Any

import pytest
from PySide6.QtWidgets import QGraphicsItem

from meshgui.model.types import EdgeKey, NodeHealth
from meshgui.views.edge_item import EdgeItem
from meshgui.views.edge_pen_span import rps_span
from meshgui.views.overview_layer import OVERVIEW_MAX_SCALE
from meshgui.views.styles import WIDTH_STEPS_PER_UNIT, edge_width
from meshgui.views.topology_canvas import TopologyCanvas
from tests.meshgui.views.fakes import WEB_CART, WEB_INVENTORY, edge, retail_view, stats


def step(rps: float) -> int:
    return round(edge_width(rps) * WIDTH_STEPS_PER_UNIT)


def test_a_width_steps_rate_span_holds_exactly_the_rates_of_that_step() -> None:
    rng = random.Random(4)
    rates = [0.0, -1.0, 1e9] + [10 ** rng.uniform(-4, 7) for _ in range(3000)]
    for rps in rates:
        low, high = rps_span(step(rps), rps)
        assert low <= rps <= high
        for end in (low, high):
            if math.isfinite(end):
                assert step(end) == step(rps)
                # One float further out is another step: the span is as wide as it can be.
                beyond = math.nextafter(end, math.copysign(math.inf, end - rps))
                assert step(beyond) != step(rps)


class CountingStyle:
    """Wraps the canvas's style to count pen lookups."""

    def __init__(self, style: Any) -> None:
        self._style = style
        self.lookups = 0

    def edge_pen(self, *args: Any) -> Any:
        self.lookups += 1
        return self._style.edge_pen(*args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._style, name)


def counted(item: EdgeItem) -> CountingStyle:
    style = CountingStyle(item._style)
    item._style = style  # type: ignore[assignment]
    return style


def test_a_rate_within_the_width_step_needs_no_pen_lookup(shown_canvas: TopologyCanvas) -> None:
    item = shown_canvas.edge_item(WEB_CART)
    assert item is not None
    style, pen = counted(item), item.pen
    low, high = rps_span(step(120.3), 120.3)
    for rps in (120.0, 121.7, low, high):
        item.set_edge(edge(WEB_CART, stats(rps)))
    assert style.lookups == 0 and item.pen is pen
    item.set_edge(edge(WEB_CART, stats(high * 1.5)))  # wider
    assert style.lookups == 1 and item.pen.widthF() > pen.widthF()
    item.set_edge(edge(WEB_CART, stats(high * 1.5), NodeHealth.FAILING))  # same rate, new health
    assert style.lookups == 2 and item.pen.color() != pen.color()


def test_up_close_an_edge_repaints_only_when_it_reads_differently(
    shown_canvas: TopologyCanvas, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown_canvas.resetTransform()  # zoom 1: labels shown, the overview layer hidden
    item = shown_canvas.edge_item(WEB_CART)
    assert item is not None
    updates: list[bool] = []
    monkeypatch.setattr(item, "update", lambda *_: updates.append(True))
    same = replace(item.edge.stats, rps=120.31, p50_ms=1.0)  # "120 req/s" still, p99 42 ms
    item.set_edge(edge(WEB_CART, same))
    assert updates == []
    item.set_edge(edge(WEB_CART, replace(same, p99_ms=45.0)))
    assert updates == [True] and item.label_lines()[1].endswith("p99 45 ms")
    item.set_edge(edge(WEB_CART, replace(same, p99_ms=45.0), NodeHealth.DEGRADED))
    assert len(updates) == 2  # same numbers, another colour


def test_zoomed_out_far_an_edge_never_repaints_itself(
    shown_canvas: TopologyCanvas, monkeypatch: pytest.MonkeyPatch
) -> None:
    while shown_canvas.scale_factor >= OVERVIEW_MAX_SCALE:
        shown_canvas.zoom_out()
    assert shown_canvas.overview
    item = shown_canvas.edge_item(WEB_CART)
    assert item is not None
    updates: list[bool] = []
    monkeypatch.setattr(item, "update", lambda *_: updates.append(True))
    item.set_edge(edge(WEB_CART, stats(5000.0), NodeHealth.FAILING))
    assert updates == [] and item.flags() & QGraphicsItem.GraphicsItemFlag.ItemHasNoContents


def test_an_edge_swapped_for_another_in_one_refresh_is_redrawn(
    shown_canvas: TopologyCanvas,
) -> None:
    view = retail_view()
    swapped = EdgeKey("cart", "web", "http")
    edges = {k: v for k, v in view.edges.items() if k != WEB_INVENTORY}
    edges[swapped] = edge(swapped, stats(9.0, retries_per_s=0.0))
    assert len(edges) == len(view.edges)
    shown_canvas.apply_view(replace(view, edges=edges), changed={WEB_INVENTORY, swapped})
    assert shown_canvas.edge_item(WEB_INVENTORY) is None
    item = shown_canvas.edge_item(swapped)
    assert item is not None and item.label_lines()[0] == "9.0 req/s"


def test_a_refresh_with_every_edge_changed_still_shows_the_new_numbers(
    shown_canvas: TopologyCanvas,
) -> None:
    view = retail_view()
    edges = {k: edge(k, stats(v.stats.rps * 3, p99=7.0)) for k, v in view.edges.items()}
    shown_canvas.apply_view(replace(view, edges=edges), changed=set(edges))
    item = shown_canvas.edge_item(WEB_CART)
    assert item is not None and item.label_lines() == ("361 req/s", "0% · p99 7.0 ms")
