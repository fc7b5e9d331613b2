"""Rerouting by hand on the canvas, with real mouse events: an edge's arrow head dragged onto a
node, a node Shift-dragged onto a node, cancelling, and the drag cursor over arrow heads."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLineF, QPoint, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from meshgui.model.types import EdgeKey
from meshgui.views.gestures import RerouteGesture, edge_drop_allowed, node_drop_allowed
from meshgui.views.topology_canvas import TopologyCanvas
from tests.meshgui.views.fakes import canvas_showing
from tests.meshgui.views.gesture_input import (
    SHIFT,
    drag,
    hover,
    move_to,
    press,
    release,
)
from tests.meshgui.views.versioned_fakes import CART_V1, WEB_RECOMMENDATIONS, versioned_view


@pytest.fixture
def canvas(qtbot: QtBot) -> TopologyCanvas:
    canvas = canvas_showing(qtbot, versioned_view())
    canvas.reset_zoom()
    canvas.centerOn(canvas.node_item("cart"))  # type: ignore[arg-type]
    return canvas


def head_point(canvas: TopologyCanvas, key: EdgeKey, back: float = 6.0) -> QPoint:
    """A viewport point on the edge's arrow head, `back` scene units before its tip."""
    item = canvas.edge_item(key)
    assert item is not None
    line = item.overview_geometry
    towards_start = QLineF(line.p2(), line.p1()).unitVector()
    point = line.p2() + (towards_start.p2() - towards_start.p1()) * back
    return canvas.mapFromScene(point)


def centre(canvas: TopologyCanvas, node: str) -> QPoint:
    item = canvas.node_item(node)
    assert item is not None
    return canvas.mapFromScene(item.pos())


def cursor(canvas: TopologyCanvas) -> Qt.CursorShape:
    return canvas.viewport().cursor().shape()


def test_the_drop_rules() -> None:
    assert edge_drop_allowed("cart", "inventory@v1", "inventory@v2")
    assert not edge_drop_allowed("cart", "inventory@v1", "inventory@v1")
    assert not edge_drop_allowed("cart", "inventory@v1", "cart")
    assert not edge_drop_allowed("cart", "inventory@v1", "unknown")
    assert node_drop_allowed("recommendations", "recommendations-lite")
    assert not node_drop_allowed("recommendations", "recommendations")


def test_hovering_an_arrow_head_shows_the_drag_cursor(canvas: TopologyCanvas) -> None:
    rest = cursor(canvas)
    hover(canvas, head_point(canvas, CART_V1))
    assert cursor(canvas) == Qt.CursorShape.DragMoveCursor
    item = canvas.edge_item(CART_V1)
    assert item is not None
    middle = canvas.mapFromScene(item.overview_geometry.pointAt(0.5))
    hover(canvas, middle)  # the middle of the edge selects, it does not drag
    assert cursor(canvas) == rest


def test_dragging_an_edge_head_onto_another_version_asks_to_reroute(
    qtbot: QtBot, canvas: TopologyCanvas
) -> None:
    start, target = head_point(canvas, CART_V1), centre(canvas, "inventory@v2")
    v2 = canvas.node_item("inventory@v2")
    assert v2 is not None
    press(canvas, start)
    move_to(canvas, start, target)
    rubber = canvas.reroute_drag.rubber_line
    assert rubber.isVisible()
    assert canvas.mapFromScene(rubber.line().p2()) == target  # the line follows the mouse
    assert v2.drop_state is True  # highlighted: it takes the drop
    with qtbot.waitSignal(canvas.reroute_requested, timeout=1000) as asked:
        release(canvas, target)
    assert asked.args == [RerouteGesture("inventory", "inventory@v1", "inventory@v2")]
    assert not rubber.isVisible() and v2.drop_state is None
    assert canvas.edge_item(CART_V1).opacity() == 1.0


def test_dragging_a_head_onto_another_service(qtbot: QtBot, canvas: TopologyCanvas) -> None:
    canvas.centerOn(canvas.node_item("recommendations"))  # type: ignore[arg-type]
    start = head_point(canvas, WEB_RECOMMENDATIONS)
    with qtbot.waitSignal(canvas.reroute_requested, timeout=1000) as asked:
        drag(canvas, start, centre(canvas, "recommendations-lite"))
    assert asked.args == [
        RerouteGesture("recommendations", "recommendations", "recommendations-lite")
    ]


@pytest.mark.parametrize("onto", ["cart", "inventory@v1", "inventory-db", None])
def test_a_drop_on_the_source_the_destination_a_tcp_service_or_nothing_asks_nothing(
    qtbot: QtBot, canvas: TopologyCanvas, onto: str | None
) -> None:
    start = head_point(canvas, CART_V1)
    end = centre(canvas, onto) if onto else start + QPoint(0, 260)
    with qtbot.assertNotEmitted(canvas.reroute_requested):
        press(canvas, start)
        move_to(canvas, start, end)
        if onto:
            item = canvas.node_item(onto)
            assert item is not None and item.drop_state is False
            assert cursor(canvas) == Qt.CursorShape.ForbiddenCursor
        release(canvas, end)
    assert not canvas.reroute_drag.active


def test_escape_cancels_a_drag(qtbot: QtBot, canvas: TopologyCanvas) -> None:
    start, target = head_point(canvas, CART_V1), centre(canvas, "inventory@v2")
    with qtbot.assertNotEmitted(canvas.reroute_requested):
        press(canvas, start)
        move_to(canvas, start, target)
        QTest.keyClick(canvas, Qt.Key.Key_Escape)
        assert not canvas.reroute_drag.active
        release(canvas, target)
    assert not canvas.reroute_drag.rubber_line.isVisible()


def test_shift_dragging_a_node_onto_a_node_asks_to_move_its_inbound_traffic(
    qtbot: QtBot, canvas: TopologyCanvas
) -> None:
    canvas.centerOn(canvas.node_item("recommendations"))  # type: ignore[arg-type]
    node = canvas.node_item("recommendations")
    assert node is not None
    before = node.pos()
    start, target = centre(canvas, "recommendations"), centre(canvas, "recommendations-lite")
    with (
        qtbot.assertNotEmitted(canvas.positions_changed),
        qtbot.waitSignal(canvas.reroute_requested, timeout=1000) as asked,
    ):
        press(canvas, start, SHIFT)
        move_to(canvas, start, target, modifiers=SHIFT)
        assert node.pos() != before  # it follows the mouse while dragged
        release(canvas, target, SHIFT)
    assert asked.args == [RerouteGesture(None, "recommendations", "recommendations-lite")]
    assert node.pos() == before  # and goes back: a reroute is not a move
    assert canvas.pinned_positions() == {}


def test_a_plain_node_drag_still_just_moves_it(qtbot: QtBot, canvas: TopologyCanvas) -> None:
    start = centre(canvas, "cart")
    with (
        qtbot.assertNotEmitted(canvas.reroute_requested),
        qtbot.waitSignal(canvas.positions_changed, timeout=1000),
    ):
        drag(canvas, start, centre(canvas, "inventory@v2"))
    assert "cart" in canvas.pinned_positions()
