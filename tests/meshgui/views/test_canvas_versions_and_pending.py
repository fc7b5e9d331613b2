"""The canvas with versions as nodes, drained nodes, and pending edges (dashed until traffic
shows on them, ghosts while the model does not have them)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from meshgui.model.types import EdgeKey, TopologyView
from meshgui.views.edge_label import PENDING_LABEL
from meshgui.views.topology_canvas import TopologyCanvas
from tests.meshgui.views.fakes import ColumnLayout, canvas_showing, edge, stats
from tests.meshgui.views.versioned_fakes import CART_V2, LITE_TAGS, versioned_view

WEB_LITE = EdgeKey("web", "recommendations-lite", "http")


@pytest.fixture
def canvas(qtbot: QtBot) -> TopologyCanvas:
    canvas = canvas_showing(qtbot, versioned_view(v1_state="drained"))
    return canvas


def with_edge(view: TopologyView, key: EdgeKey, rps: float) -> TopologyView:
    s = stats(rps) if rps else stats(0.0, p99=None, in_flight=0, bytes_per_s=0.0)
    return replace(view, edges={**view.edges, key: edge(key, s)})


def test_a_version_node_says_its_service_over_its_version(canvas: TopologyCanvas) -> None:
    v1, cart = canvas.node_item("inventory@v1"), canvas.node_item("cart")
    assert v1 is not None and cart is not None
    assert (v1.label, v1.version_label) == ("inventory", "v1")
    assert (cart.label, cart.version_label) == ("cart", None)
    assert canvas.find_service("inventory") == "inventory@v1"
    assert canvas.find_service("inventory@v2") == "inventory@v2"


def test_show_versions_is_relayed_to_the_models_owner(qtbot: QtBot) -> None:
    canvas = TopologyCanvas(layout_function=ColumnLayout())
    qtbot.addWidget(canvas)
    assert not canvas.show_versions
    with qtbot.waitSignal(canvas.show_versions_changed, timeout=1000) as switched:
        canvas.set_show_versions(True)
    assert switched.args == [True] and canvas.show_versions
    with qtbot.assertNotEmitted(canvas.show_versions_changed):
        canvas.set_show_versions(True)


def test_drained_nodes_are_hatched_and_say_so(canvas: TopologyCanvas) -> None:
    v1, v2 = canvas.node_item("inventory@v1"), canvas.node_item("inventory@v2")
    assert v1 is not None and v2 is not None
    assert v1.drained and not v2.drained
    assert "drained" in v1.tooltip_text().splitlines()[0]
    view = versioned_view()
    partly = replace(
        view.nodes["inventory@v2"],
        instances=(
            view.nodes["inventory@v2"].instances[0],
            replace(view.nodes["inventory@v2"].instances[1], state="drained"),
        ),
    )
    canvas.apply_view(replace(view, nodes={**view.nodes, "inventory@v2": partly}))
    assert v2.detail_text == "2 instances (1 drained) · 20 req/s"
    assert not v1.drained  # undrained in this view


def test_a_pending_edge_is_dashed_until_traffic_shows(canvas: TopologyCanvas) -> None:
    view = versioned_view(v1_state="drained")
    canvas.set_pending_edges([LITE_TAGS])  # known to the model, idle
    item = canvas.edge_item(LITE_TAGS)
    assert item is not None and item.pending
    assert item.pen.style() == Qt.PenStyle.DashLine
    assert item.label_lines() == PENDING_LABEL
    canvas.apply_view(with_edge(view, LITE_TAGS, 0.0), changed={LITE_TAGS})
    assert item.pending  # still nothing
    canvas.apply_view(with_edge(view, LITE_TAGS, 3.0), changed={LITE_TAGS})
    assert not item.pending and item.pen.style() == Qt.PenStyle.SolidLine
    assert canvas.pending_edges() == set()


def test_a_missing_pending_edge_is_a_ghost_until_the_model_has_it(
    canvas: TopologyCanvas,
) -> None:
    view = versioned_view(v1_state="drained")
    canvas.set_pending_edges([WEB_LITE, CART_V2])
    ghost = canvas.edge_item(WEB_LITE)
    assert ghost is not None and ghost.pending and ghost.isVisible()
    assert ghost.source is canvas.node_item("web")
    assert ghost.target is canvas.node_item("recommendations-lite")
    assert not canvas.edge_item(CART_V2).pending  # type: ignore[union-attr]  # has traffic
    assert canvas.pending_edges() == {WEB_LITE}
    canvas.apply_view(with_edge(view, WEB_LITE, 0.0))  # the model has it now, no traffic yet
    real = canvas.edge_item(WEB_LITE)
    assert real is not None and real is not ghost and real.pending
    assert ghost.scene() is None
    canvas.apply_view(with_edge(view, WEB_LITE, 5.0), changed={WEB_LITE})
    assert not real.pending
    assert canvas.pending_edges() == set()


def test_an_empty_call_clears_pending_edges_and_ghosts(canvas: TopologyCanvas) -> None:
    canvas.set_pending_edges([WEB_LITE, LITE_TAGS])
    ghost = canvas.edge_item(WEB_LITE)
    assert ghost is not None
    canvas.set_pending_edges([])
    assert canvas.edge_item(WEB_LITE) is None and ghost.scene() is None
    assert not canvas.edge_item(LITE_TAGS).pending  # type: ignore[union-attr]
    assert canvas.pending_edges() == set()


def test_a_ghost_waits_for_its_nodes(qtbot: QtBot, canvas: TopologyCanvas) -> None:
    later = EdgeKey("web", "search", "http")
    canvas.set_pending_edges([later])
    assert canvas.edge_item(later) is None
    view = versioned_view(v1_state="drained")
    search = replace(view.nodes["cart"], name="search", service="search")
    with qtbot.waitSignal(canvas.layout_applied, timeout=5000):
        canvas.apply_view(replace(view, nodes={**view.nodes, "search": search}))
    ghost = canvas.edge_item(later)
    assert ghost is not None and ghost.isVisible() and ghost.pending
