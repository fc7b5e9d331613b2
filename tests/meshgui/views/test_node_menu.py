"""A node's context menu on the canvas: move its traffic, edit its routes, drain or undrain the
service or one instance. Opened with a right click or the Menu key; the canvas only emits."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from meshgui.views.gestures import RerouteGesture
from meshgui.views.node_menu import MAX_FLAT_INSTANCES, build_node_menu, move_targets
from meshgui.views.topology_canvas import TopologyCanvas
from tests.meshgui.views.fakes import canvas_showing
from tests.meshgui.views.gesture_input import action_texts, find_action, right_click
from tests.meshgui.views.versioned_fakes import (
    versioned_instance,
    versioned_node,
    versioned_view,
)

# A popup menu on the offscreen platform: it cannot raise windows or grab the keyboard.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing)")


@pytest.fixture
def canvas(qtbot: QtBot) -> TopologyCanvas:
    canvas = canvas_showing(qtbot, versioned_view(v1_state="drained"))
    return canvas


def centre(canvas: TopologyCanvas, node: str) -> QPoint:
    item = canvas.node_item(node)
    assert item is not None
    return canvas.mapFromScene(item.pos())


def open_menu(canvas: TopologyCanvas, node: str) -> QMenu:
    right_click(canvas, centre(canvas, node))
    menu = canvas.node_menu
    assert menu is not None and menu.isVisible()
    return menu


def test_versions_of_the_same_service_come_first_among_targets() -> None:
    nodes = ["web", "inventory@v1", "inventory@v2", "inventory@v3", "cart", "unknown"]
    assert move_targets("inventory@v1", nodes) == (
        ["inventory@v2", "inventory@v3"],
        ["cart", "web"],
    )


def test_right_click_opens_the_menu_and_selects_the_node(canvas: TopologyCanvas) -> None:
    menu = open_menu(canvas, "inventory@v1")
    assert action_texts(menu) == [
        "Move Traffic To",
        "Edit Routes…",
        "Drain inventory",
        "Undrain inventory",
        "Undrain inventory-1",  # drained: the entry undoes it
    ]
    item = canvas.node_item("inventory@v1")
    assert item is not None and item.isSelected()


def test_move_traffic_to_asks_for_a_reroute_of_all_inbound_traffic(
    qtbot: QtBot, canvas: TopologyCanvas
) -> None:
    menu = open_menu(canvas, "inventory@v1")
    submenu = find_action(menu, "Move Traffic To").menu()
    assert action_texts(submenu)[0] == "inventory@v2"
    assert "inventory@v1" not in action_texts(submenu)
    with qtbot.waitSignal(canvas.reroute_requested, timeout=1000) as asked:
        find_action(submenu, "inventory@v2").trigger()
    assert asked.args == [RerouteGesture(None, "inventory@v1", "inventory@v2")]


def test_edit_routes_names_the_service(qtbot: QtBot, canvas: TopologyCanvas) -> None:
    menu = open_menu(canvas, "inventory@v2")
    with qtbot.waitSignal(canvas.edit_routes_requested, timeout=1000) as asked:
        find_action(menu, "Edit Routes…").trigger()
    assert asked.args == ["inventory"]


@pytest.mark.parametrize(
    ("node", "entry", "expected"),
    [
        ("inventory@v2", "Drain inventory", ["inventory", None, True]),
        ("inventory@v2", "Undrain inventory", ["inventory", None, False]),
        ("inventory@v2", "Drain inventory-3", ["inventory", "inventory-3", True]),
        ("inventory@v1", "Undrain inventory-1", ["inventory", "inventory-1", False]),
        ("cart", "Drain cart-1", ["cart", "cart-1", True]),
    ],
)
def test_drain_entries(
    qtbot: QtBot, canvas: TopologyCanvas, node: str, entry: str, expected: list[object]
) -> None:
    menu = open_menu(canvas, node)
    action = find_action(menu, entry)
    assert action.isEnabled()
    with qtbot.waitSignal(canvas.drain_requested, timeout=1000) as asked:
        action.trigger()
    assert asked.args == expected


def test_undrain_is_offered_only_when_something_is_drained(canvas: TopologyCanvas) -> None:
    menu = open_menu(canvas, "cart")
    assert not find_action(menu, "Undrain cart").isEnabled()
    assert find_action(menu, "Drain cart").isEnabled()


def test_the_menu_key_opens_the_selected_nodes_menu(canvas: TopologyCanvas) -> None:
    item = canvas.node_item("cart")
    assert item is not None
    item.setSelected(True)
    canvas.setFocus()
    QTest.keyClick(canvas, Qt.Key.Key_Menu)
    menu = canvas.node_menu
    assert menu is not None and menu.isVisible()
    assert "Drain cart" in action_texts(menu)


def test_many_instances_go_into_a_submenu(qtbot: QtBot) -> None:
    instances = tuple(
        versioned_instance(f"big-{i}", "big", None) for i in range(MAX_FLAT_INSTANCES + 1)
    )
    view = versioned_node("big", instances)
    menu = build_node_menu(view, ["big"], instances, move_to=print, edit_routes=print, drain=print)
    qtbot.addWidget(menu)
    submenu = find_action(menu, "Instances").menu()
    assert len(action_texts(submenu)) == MAX_FLAT_INSTANCES + 1
    assert not find_action(menu, "Move Traffic To").isEnabled()  # nowhere to move to
