"""An incident bundle opened in the main window: its topology on the canvas, a read-only banner,
and changes refused until the app connects again."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from meshgui.actions.change_requests import drain_request
from meshgui.model.incident_bundle import read_bundle
from meshgui.model.incident_bundle_writer import gather_bundle, write_bundle
from meshgui.views.bundle_view import leave_bundle, show_bundle
from tests.meshgui.views.fakes import retail_view
from tests.meshgui.views.test_main_window import offline_window


def test_a_bundle_is_shown_read_only(qtbot: QtBot, tmp_path: Path) -> None:
    view = retail_view()
    contents = gather_bundle(view, lambda key, seconds: None, profile="prod", mesh=None, journal=())
    write_bundle(tmp_path / "incident.zip", contents)
    window = offline_window(qtbot, tmp_path)
    with qtbot.waitSignal(window.canvas.layout_applied, timeout=5000):
        show_bundle(window, read_bundle(tmp_path / "incident.zip"))
    assert sorted(window.canvas.service_names()) == sorted(view.nodes)
    assert window.banner.isVisible() and "incident.zip" in window.banner.text()
    assert "read-only" in window.windowTitle()
    refused = drain_request("inventory", None, True, lambda: None)
    assert not window.changes.controller.begin(refused)
    assert "read-only" in window.statusBar().currentMessage()
    leave_bundle(window)
    assert not window.banner.isVisible() and window.changes.controller.read_only_reason is None
