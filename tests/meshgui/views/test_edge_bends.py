"""A call that skips a layer is drawn through the gap the layout left for it: its label is on
the path and off every node, its arrow points at the callee, it is picked along its bends, and
its head can still be dragged onto another node. Dragging a node straightens its edges."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from pytestqt.qtbot import QtBot

from meshgui.model.types import EdgeKey
from meshgui.views.gestures import RerouteGesture
from meshgui.views.layout_runner import default_layout_function
from meshgui.views.topology_canvas import TopologyCanvas
from tests.meshgui.views.fakes import (
    CART_INVENTORY,
    WEB_INVENTORY,
    canvas_showing,
    edge,
    retail_view,
    stats,
)
from tests.meshgui.views.gesture_input import hover, move_to, press, release


@pytest.fixture
def canvas(qtbot: QtBot) -> TopologyCanvas:
    canvas = canvas_showing(qtbot, retail_view(), default_layout_function())  # type: ignore[arg-type]
    canvas.reset_zoom()
    canvas.centerOn(canvas.node_item("cart"))  # type: ignore[arg-type]
    return canvas


def node_box(canvas: TopologyCanvas, name: str) -> QRectF:
    item = canvas.node_item(name)
    assert item is not None
    return item.sceneBoundingRect()


def crosses(line: QLineF, box: QRectF) -> bool:
    return any(box.contains(line.pointAt(i / 100)) for i in range(101))


def test_the_skipping_edge_bends_around_the_layer_it_crosses(canvas: TopologyCanvas) -> None:
    item = canvas.edge_item(WEB_INVENTORY)
    assert item is not None
    points = item.path_points
    assert len(points) == 4  # border, into the layer, out of it, border
    segments = [QLineF(a, b) for a, b in itertools.pairwise(points)]
    for name in canvas.service_names():
        if name not in ("web", "inventory"):
            assert not any(crosses(s, node_box(canvas, name)) for s in segments), name


def test_its_label_is_on_its_path_and_off_every_node(canvas: TopologyCanvas) -> None:
    item = canvas.edge_item(WEB_INVENTORY)
    assert item is not None
    label = item.label_rect
    for name in canvas.service_names():
        assert not label.intersects(node_box(canvas, name)), name
    points = item.path_points
    on_path = [
        QLineF(a, b).pointAt(0.5)
        for a, b in itertools.pairwise(points)
        if label.contains(QLineF(a, b).pointAt(0.5))
    ]
    assert on_path  # centred on one of its segments


def test_its_arrow_points_at_the_callee(canvas: TopologyCanvas) -> None:
    item = canvas.edge_item(WEB_INVENTORY)
    inventory = canvas.node_item("inventory")
    assert item is not None and inventory is not None
    head = item.head_segment
    assert head.p2() == item.path_points[-1]
    assert node_box(canvas, "inventory").adjusted(-3, -3, 3, 3).contains(head.p2())
    # Carried on, the head segment runs into the callee's centre.
    towards = QLineF(head.p1(), inventory.pos())
    assert abs(head.angleTo(towards)) < 0.5 or abs(head.angleTo(towards) - 360) < 0.5
    canvas.viewport().grab()  # paints: the arrow is built
    assert item._arrow is not None and item._arrow.first() == head.p2()


def test_it_is_picked_along_its_bends_not_along_the_straight_line(
    canvas: TopologyCanvas,
) -> None:
    item = canvas.edge_item(WEB_INVENTORY)
    assert item is not None
    points = item.path_points
    level = QLineF(points[1], points[2]).pointAt(0.5)
    shape = item.shape()
    assert shape.contains(level)
    chord_middle = QLineF(points[0], points[-1]).pointAt(0.5)
    if QLineF(chord_middle, level).length() > 20:
        assert not shape.contains(chord_middle)


def test_dragging_a_node_straightens_its_edges_and_a_relayout_bends_them_again(
    qtbot: QtBot, canvas: TopologyCanvas
) -> None:
    item, web = canvas.edge_item(WEB_INVENTORY), canvas.node_item("web")
    assert item is not None and web is not None
    laid_out = web.pos()
    web.setPos(laid_out + QPointF(0, 300))
    assert len(item.path_points) == 2
    web.setPos(laid_out)  # put back where the layout put it: the bends hold again
    assert len(item.path_points) == 4
    web.setPos(laid_out + QPointF(0, 300))
    with qtbot.waitSignal(canvas.layout_applied, timeout=5000):
        canvas.relayout()
    assert len(item.path_points) == 4


def test_a_twin_going_back_is_bent_beside_it(qtbot: QtBot) -> None:
    view = retail_view()
    back = EdgeKey("inventory", "web", "http")
    edges = {**view.edges, back: edge(back, stats(2.0))}
    canvas = canvas_showing(qtbot, replace(view, edges=edges), default_layout_function())  # type: ignore[arg-type]
    there, back_item = canvas.edge_item(WEB_INVENTORY), canvas.edge_item(back)
    assert there is not None and back_item is not None
    a, b = there.path_points, back_item.path_points
    assert len(a) == len(b) == 4
    # The same gap, on either side of it: the level runs are apart, as twins are.
    gap = abs(a[1].y() - b[2].y())
    assert 10 < gap < 30
    assert not there.label_rect.intersects(back_item.label_rect)


def test_its_head_is_grabbed_on_the_last_segment_to_reroute(
    qtbot: QtBot, canvas: TopologyCanvas
) -> None:
    item = canvas.edge_item(WEB_INVENTORY)
    assert item is not None
    head = item.head_segment
    back = QLineF(head.p2(), head.p1()).unitVector()
    grab = head.p2() + (back.p2() - back.p1()) * 6
    start = canvas.mapFromScene(grab)
    hover(canvas, start)
    assert canvas.viewport().cursor().shape() == Qt.CursorShape.DragMoveCursor
    tags = canvas.node_item("product-tags")
    assert tags is not None
    target = canvas.mapFromScene(tags.pos())
    press(canvas, start)
    move_to(canvas, start, target)
    # The rubber line starts where the edge leaves its caller.
    assert canvas.reroute_drag.rubber_line.line().p1() == item.path_points[0]
    with qtbot.waitSignal(canvas.reroute_requested, timeout=1000) as asked:
        release(canvas, target)
    assert asked.args == [RerouteGesture("inventory", "inventory", "product-tags")]


def test_an_edge_into_the_next_layer_stays_straight(canvas: TopologyCanvas) -> None:
    item = canvas.edge_item(CART_INVENTORY)
    assert item is not None
    assert len(item.path_points) == 2
