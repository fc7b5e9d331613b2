"""The out-of-sync indicator: hidden while every sidecar runs the same config version, otherwise
a count, a tooltip naming the lagging sidecars, and one click to bring them up to date."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from meshgui.views.sync_indicator import SyncIndicator, lagging_sidecars, tooltip_text


def in_status_bar(qtbot: QtBot) -> tuple[QMainWindow, SyncIndicator]:
    """The indicator lives as long as its window: keep both."""
    window = QMainWindow()
    qtbot.addWidget(window)
    indicator = SyncIndicator(window)
    window.statusBar().addPermanentWidget(indicator)
    window.show()
    qtbot.waitExposed(window)
    return window, indicator


def test_hidden_while_all_sidecars_agree(qtbot: QtBot) -> None:
    _window, indicator = in_status_bar(qtbot)
    assert not indicator.isVisible()
    indicator.set_versions({"web-1": 4, "cart-1": 4})
    assert not indicator.isVisible()
    indicator.set_versions({})
    assert not indicator.isVisible()


def test_lagging_sidecars_are_counted_and_named(qtbot: QtBot) -> None:
    _window, indicator = in_status_bar(qtbot)
    indicator.set_versions({"web-1": 9, "cart-1": 9, "inventory-2": 8, "inventory-1": 7})
    assert indicator.isVisible()
    assert indicator.text() == "2 sidecars out of sync"
    assert indicator.toolTip().splitlines() == [
        "The mesh config is at version 9; these sidecars are behind:",
        "  inventory-1: version 7",
        "  inventory-2: version 8",
        "Click to send them version 9.",
    ]
    indicator.set_versions({"web-1": 9, "cart-1": 8})
    assert indicator.text() == "1 sidecar out of sync" and indicator.lagging == ["cart-1"]
    indicator.set_versions({"web-1": 9, "cart-1": 9})
    assert not indicator.isVisible()


def test_a_click_asks_to_bring_them_up_to_date(qtbot: QtBot) -> None:
    _window, indicator = in_status_bar(qtbot)
    indicator.set_versions({"web-1": 3, "cart-1": 2})
    with qtbot.waitSignal(indicator.bring_up_to_date_requested, timeout=1000):
        QTest.mouseClick(indicator, Qt.MouseButton.LeftButton)


def test_a_long_list_is_cut_short() -> None:
    versions = {f"web-{n:02d}": 1 for n in range(20)} | {"cart-1": 2}
    assert len(lagging_sidecars(versions)) == 20
    assert tooltip_text(versions).splitlines()[-2] == "  … and 5 more"
