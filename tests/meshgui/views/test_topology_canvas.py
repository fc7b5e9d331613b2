"""The topology canvas, built from a fake TopologyView: what it draws, how it looks, how it
lays out, and which items a refresh touches."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from meshgui.clock_time import clock_time
from meshgui.model.types import EdgeKey, NodeHealth
from meshgui.views.edge_geometry import edge_offsets
from meshgui.views.edge_item import EdgeItem
from meshgui.views.styles import HEALTH_COLOURS
from meshgui.views.topology_canvas import TopologyCanvas
from tests.meshgui.views.fakes import (
    CART_INVENTORY,
    DISCONNECTED_AT,
    INVENTORY_DB,
    RECOMMENDATIONS_TAGS,
    WEB_CART,
    WEB_INVENTORY,
    ColumnLayout,
    edge,
    node,
    retail_view,
    stats,
)
from tests.meshgui.views.gesture_input import click, drag


def edge_item(canvas: TopologyCanvas, key: EdgeKey) -> EdgeItem:
    item = canvas.edge_item(key)
    assert item is not None, key
    return item


def test_empty_canvas_says_no_mesh(qtbot: QtBot) -> None:
    canvas = TopologyCanvas(layout_function=ColumnLayout())
    qtbot.addWidget(canvas)
    assert canvas.placeholder_text == "No mesh connected"
    assert canvas.service_names() == []


def test_services_become_nodes_and_calls_edges(shown_canvas: TopologyCanvas) -> None:
    view = retail_view()
    assert shown_canvas.service_names() == sorted(view.nodes)
    assert shown_canvas.placeholder_text == ""
    for key in view.edges:
        item = edge_item(shown_canvas, key)
        assert item.isVisible()
        assert (item.source.name, item.target.name) == (key.source, key.destination)
    for name in view.nodes:
        item = shown_canvas.node_item(name)
        assert item is not None and item.isVisible()


def test_layout_runs_off_the_gui_thread_and_puts_callers_left(
    shown_canvas: TopologyCanvas, layout: ColumnLayout
) -> None:
    assert layout.threads and all(t is not threading.main_thread() for t in layout.threads)
    x = {name: shown_canvas.node_item(name).pos().x() for name in shown_canvas.service_names()}  # type: ignore[union-attr]
    assert x["web"] < x["cart"] < x["inventory"] < x["inventory-db"]


def test_node_shows_instances_rate_and_health_colour(shown_canvas: TopologyCanvas) -> None:
    cart = shown_canvas.node_item("cart")
    assert cart is not None
    assert cart.detail_text == "1 instance · 20 req/s"
    inventory = shown_canvas.node_item("inventory")
    assert inventory is not None
    assert inventory.detail_text == f"disconnected since {clock_time(DISCONNECTED_AT)}"
    assert "inventory-1 v1: ready" in inventory.tooltip_text()


def test_edge_labels_colours_widths_and_tooltips(shown_canvas: TopologyCanvas) -> None:
    busy, quiet = edge_item(shown_canvas, WEB_CART), edge_item(shown_canvas, WEB_INVENTORY)
    assert busy.label_lines() == ("120 req/s", "0.5% · p99 42 ms")
    assert busy.pen.widthF() > quiet.pen.widthF()
    failing = edge_item(shown_canvas, RECOMMENDATIONS_TAGS)
    assert failing.pen.color() == HEALTH_COLOURS["FAILING"]
    assert edge_item(shown_canvas, CART_INVENTORY).pen.color() == HEALTH_COLOURS["DEGRADED"]
    assert busy.pen.color() not in (HEALTH_COLOURS["FAILING"], HEALTH_COLOURS["DEGRADED"])
    tcp = edge_item(shown_canvas, INVENTORY_DB)
    assert tcp.pen.style() == Qt.PenStyle.DashLine
    assert busy.pen.style() == Qt.PenStyle.SolidLine
    assert tcp.label_lines() == ("4.0 conn/s", "2.5 MB/s")
    tip = busy.tooltip_text()
    assert "web → cart (http)" in tip
    assert "120.300 req/s" in tip and "errors 0.520%" in tip and "p99 42.50 ms" in tip


def test_a_refresh_touches_only_the_changed_edges(shown_canvas: TopologyCanvas) -> None:
    view = retail_view()
    edges = dict(view.edges)
    edges[WEB_CART] = edge(WEB_CART, stats(500.0))
    edges[WEB_INVENTORY] = edge(WEB_INVENTORY, stats(900.0, 50.0), NodeHealth.FAILING)
    untouched = edge_item(shown_canvas, WEB_INVENTORY)
    pen = untouched.pen
    shown_canvas.apply_view(replace(view, edges=edges), changed={WEB_CART})
    assert edge_item(shown_canvas, WEB_CART).label_lines()[0] == "500 req/s"
    assert untouched.pen is pen  # the model said it looks the same: its item was not touched
    # What it shows in words still comes from the newest view.
    assert untouched.label_lines()[0] == "900 req/s" and "900" in untouched.tooltip_text()


def test_new_services_are_laid_out_and_gone_ones_removed(
    qtbot: QtBot, shown_canvas: TopologyCanvas, layout: ColumnLayout
) -> None:
    view = retail_view()
    nodes = {k: v for k, v in view.nodes.items() if k != "product-tags"} | {
        "search": node("search")
    }
    new_key = EdgeKey("web", "search", "http")
    edges = {k: v for k, v in view.edges.items() if k != RECOMMENDATIONS_TAGS}
    edges[new_key] = edge(new_key, stats(7.0))
    with qtbot.waitSignal(shown_canvas.layout_applied, timeout=5000):
        shown_canvas.apply_view(replace(view, nodes=nodes, edges=edges))
    assert layout.calls == 2
    assert "product-tags" not in shown_canvas.service_names()
    assert shown_canvas.edge_item(RECOMMENDATIONS_TAGS) is None
    search = shown_canvas.node_item("search")
    assert search is not None and search.isVisible()
    assert edge_item(shown_canvas, new_key).isVisible()


def test_twin_edges_are_drawn_apart() -> None:
    there, back = EdgeKey("a", "b", "http"), EdgeKey("b", "a", "http")
    tcp = EdgeKey("a", "b", "tcp")
    offsets = edge_offsets([there, back, tcp, EdgeKey("a", "c", "http")])
    assert offsets[there] == offsets[back] > 0  # normals point opposite ways
    assert offsets[tcp] > offsets[there]
    assert offsets[EdgeKey("a", "c", "http")] == 0


def test_zoomed_out_far_the_labels_are_hidden(shown_canvas: TopologyCanvas) -> None:
    busy = edge_item(shown_canvas, WEB_CART)
    shown_canvas.reset_zoom()
    shown_canvas.centerOn(busy)
    shown_canvas.viewport().grab()
    assert shown_canvas.labels_visible and busy.label_shown
    for _ in range(12):
        shown_canvas.zoom_out()
    shown_canvas.viewport().grab()
    assert not shown_canvas.labels_visible
    assert not busy.label_shown


def test_fit_shows_every_node(shown_canvas: TopologyCanvas) -> None:
    for _ in range(5):
        shown_canvas.zoom_in()
    shown_canvas.fit_to_window()
    visible = shown_canvas.mapToScene(shown_canvas.viewport().rect()).boundingRect()
    for name in shown_canvas.service_names():
        item = shown_canvas.node_item(name)
        assert item is not None and visible.contains(item.sceneBoundingRect())


def test_find_selects_and_centres_a_service(qtbot: QtBot, shown_canvas: TopologyCanvas) -> None:
    for _ in range(6):
        shown_canvas.zoom_in()
    with qtbot.waitSignal(shown_canvas.node_selected, timeout=1000) as selected:
        assert shown_canvas.find_service("TAGS") == "product-tags"
    assert selected.args == ["product-tags"]
    item = shown_canvas.node_item("product-tags")
    assert item is not None and item.isSelected()
    centre = shown_canvas.mapToScene(shown_canvas.viewport().rect().center())
    assert (centre - item.pos()).manhattanLength() < 5
    assert shown_canvas.find_service("inv") == "inventory"  # a prefix beats inventory-db's
    assert shown_canvas.find_service("nothing-like-it") is None


def test_dragging_a_node_moves_it_pins_it_and_its_edges_follow(
    qtbot: QtBot, shown_canvas: TopologyCanvas
) -> None:
    cart = shown_canvas.node_item("cart")
    assert cart is not None
    before = cart.pos()
    edge_before = edge_item(shown_canvas, WEB_CART).boundingRect()
    start = shown_canvas.mapFromScene(cart.pos())
    with qtbot.waitSignal(shown_canvas.positions_changed, timeout=1000):
        drag(shown_canvas, start, start + QPoint(0, 90))
    assert cart.pos().y() > before.y() + 30
    assert cart.pos().x() == pytest.approx(before.x(), abs=2)
    assert edge_item(shown_canvas, WEB_CART).boundingRect() != edge_before
    pinned = shown_canvas.pinned_positions()
    assert pinned == {"cart": (cart.pos().x(), cart.pos().y())}


def test_pinned_nodes_keep_their_place_through_a_relayout(
    qtbot: QtBot, shown_canvas: TopologyCanvas
) -> None:
    shown_canvas.set_pinned_positions({"cart": (5000.0, 5000.0)})
    view = retail_view()
    nodes = dict(view.nodes) | {"search": node("search")}
    with qtbot.waitSignal(shown_canvas.layout_applied, timeout=5000):
        shown_canvas.apply_view(replace(view, nodes=nodes))
    cart = shown_canvas.node_item("cart")
    assert cart is not None and (cart.pos().x(), cart.pos().y()) == (5000.0, 5000.0)


def test_clicking_an_edge_selects_it(qtbot: QtBot, shown_canvas: TopologyCanvas) -> None:
    item = edge_item(shown_canvas, RECOMMENDATIONS_TAGS)
    shown_canvas.centerOn(item)
    point = item.boundingRect().center()
    with qtbot.waitSignal(shown_canvas.edge_selected, timeout=1000) as selected:
        click(shown_canvas, shown_canvas.mapFromScene(point))
    assert selected.args == [RECOMMENDATIONS_TAGS]


def test_an_idle_edge_has_no_label(shown_canvas: TopologyCanvas) -> None:
    shown_canvas.reset_zoom()
    shown_canvas.centerOn(edge_item(shown_canvas, WEB_CART))
    shown_canvas.viewport().grab()
    assert edge_item(shown_canvas, WEB_CART).label_shown
    view = retail_view()
    edges = dict(view.edges)
    edges[WEB_CART] = edge(WEB_CART, stats(0.0, p99=None, in_flight=0, bytes_per_s=0.0))
    shown_canvas.apply_view(replace(view, edges=edges), changed={WEB_CART})
    shown_canvas.viewport().grab()
    assert not edge_item(shown_canvas, WEB_CART).label_shown
    assert edge_item(shown_canvas, WEB_CART).tooltip_text().splitlines()[1] == "0.000 req/s"
