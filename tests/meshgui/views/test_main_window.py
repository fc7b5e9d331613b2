"""The main window: menus, status bar, empty canvas, geometry remembered across runs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from meshgui.views.main_window import MainWindow


def make_settings(path: Path) -> QSettings:
    return QSettings(str(path), QSettings.Format.IniFormat)


def test_window_has_menus_status_and_empty_canvas(qtbot: QtBot, tmp_path: Path) -> None:
    window = MainWindow(make_settings(tmp_path / "s.ini"))
    qtbot.addWidget(window)
    window.show()
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert titles == ["File", "View", "Help"]
    assert window.sidecars_label.text() == "Sidecars 0/0"
    assert window.statusBar().currentMessage() == "Not connected"
    assert window.canvas.placeholder_text == "No mesh connected"


def test_quit_and_zoom_have_shortcuts(qtbot: QtBot, tmp_path: Path) -> None:
    window = MainWindow(make_settings(tmp_path / "s.ini"))
    qtbot.addWidget(window)
    shortcuts = {
        a.text().replace("&", ""): a.shortcut().toString()
        for menu in window.menuBar().actions()
        for a in menu.menu().actions()
    }
    assert shortcuts["Quit"] == "Ctrl+Q"
    assert shortcuts["Zoom In"] and shortcuts["Zoom Out"]
    assert shortcuts["Fit to Window"] == "Ctrl+0"


def test_zoom_changes_the_canvas_scale(qtbot: QtBot, tmp_path: Path) -> None:
    window = MainWindow(make_settings(tmp_path / "s.ini"))
    qtbot.addWidget(window)
    before = window.canvas.transform().m11()
    window.canvas.zoom_in()
    assert window.canvas.transform().m11() > before
    window.canvas.zoom_out()
    window.canvas.zoom_out()
    assert window.canvas.transform().m11() < before


def test_geometry_is_remembered(qtbot: QtBot, tmp_path: Path) -> None:
    settings_file = tmp_path / "s.ini"
    first = MainWindow(make_settings(settings_file))
    qtbot.addWidget(first)
    first.show()
    first.move(37, 41)
    first.resize(640, 480)
    first.close()

    second = MainWindow(make_settings(settings_file))
    qtbot.addWidget(second)
    second.show()
    assert (second.width(), second.height()) == (640, 480)
