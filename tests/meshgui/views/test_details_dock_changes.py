"""The details dock's part in changes: draining an instance from its list (context menu or
button) and change markers on the selected edge's charts."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from meshgui.views.details_dock import DetailsDock
from tests.meshgui.views.fakes import NOW, WEB_CART, FakeModel, history
from tests.meshgui.views.gesture_input import action_texts
from tests.meshgui.views.versioned_fakes import versioned_view

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing)")


def dock_on(qtbot: QtBot, node: str | None = None, v1_state: str = "drained") -> DetailsDock:
    model = FakeModel(versioned_view(v1_state=v1_state))
    dock = DetailsDock()
    qtbot.addWidget(dock)
    dock.set_source(model.history)
    dock.resize(500, 700)
    dock.show()
    dock.refresh(model.view())
    if node is not None:
        dock.select_node(node)
    return dock


def row_point(dock: DetailsDock, row: int) -> QPoint:
    table = dock.node_details.table
    return table.visualRect(table.model().index(row, 0)).center()


@pytest.mark.parametrize(
    ("node", "row", "entry", "expected"),
    [
        ("inventory@v2", 1, "Drain inventory-3", ["inventory", "inventory-3", True]),
        ("inventory@v1", 0, "Undrain inventory-1", ["inventory", "inventory-1", False]),
    ],
)
def test_the_instance_menu_asks_to_drain_or_undrain(
    qtbot: QtBot, node: str, row: int, entry: str, expected: list[object]
) -> None:
    dock = dock_on(qtbot, node)
    table = dock.node_details.table
    table.customContextMenuRequested.emit(row_point(dock, row))
    menu = table.menu
    assert menu is not None and menu.isVisible()
    assert action_texts(menu) == [entry]
    with qtbot.waitSignal(dock.drain_requested, timeout=1000) as asked:
        menu.actions()[0].trigger()
    assert asked.args == expected


def test_the_button_drains_the_selected_instance(qtbot: QtBot) -> None:
    dock = dock_on(qtbot, "inventory@v2", v1_state="ready")
    button = dock.node_details.drain_button
    assert not button.isEnabled()  # nothing selected
    table = dock.node_details.table
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=row_point(dock, 0))
    assert button.isEnabled() and button.text() == "Drain inventory-2"
    with qtbot.waitSignal(dock.drain_requested, timeout=1000) as asked:
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    assert asked.args == ["inventory", "inventory-2", True]


def test_the_button_follows_the_instances_state_across_refreshes(qtbot: QtBot) -> None:
    dock = dock_on(qtbot, "inventory@v1", v1_state="ready")
    dock.node_details.table.selectRow(0)
    assert dock.node_details.drain_button.text() == "Drain inventory-1"
    dock.refresh(versioned_view(v1_state="drained"))
    assert dock.node_details.drain_button.text() == "Undrain inventory-1"


def test_change_markers_are_lines_on_every_chart_inside_the_window(qtbot: QtBot) -> None:
    dock = dock_on(qtbot)
    dock.set_source(lambda _key, seconds: history(int(seconds), start=NOW - seconds))
    dock.select_edge(WEB_CART)
    history_end = NOW - 1  # the last point of every window's history
    markers = [
        (history_end - 100.0, "reroute 25% → v2"),
        (history_end - 3000.0, "too old for 5 min"),
        (history_end - 20.0, "drain inventory-1"),
    ]
    dock.set_change_markers(markers)
    lines = dock.charts.marker_lines
    assert sorted({line.value() for line in lines}) == [history_end - 100.0, history_end - 20.0]
    assert len(lines) == 2 * 3  # one per chart
    labels = {line.label.format for line in lines if getattr(line, "label", None)}
    assert labels == {"reroute 25% → v2", "drain inventory-1"}
    dock.charts.window_box.setCurrentText("Last 1 h")
    assert len(dock.charts.marker_lines) == 3 * 3
    dock.set_change_markers([])
    assert dock.charts.marker_lines == []
