"""Every change the controller previews warns about the traffic it would lose, whatever made it
(an opened file, a drain, undo), and forecasts the traffic from the view on screen; with a
warning, Enter cancels and only Apply Anyway sends it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from meshgui.actions.change_controller import ChangeController
from meshgui.actions.change_requests import drain_request, replace_mesh_request, undo_request
from meshgui.actions.change_traffic import with_traffic_warnings
from meshgui.model.change_journal import ChangeJournal
from meshgui.model.mesh_change import MeshChange
from meshgui.model.mesh_edits import set_drained
from meshgui.model.types import TopologyView
from meshgui.views.apply_progress import ApplyProgressPanel
from meshgui.views.change_preview import ChangePreviewDialog
from proxy.config import MeshConfig
from tests.meshgui.actions.fake_channel import FakeChannel
from tests.meshgui.model.demo_mesh import demo_mesh
from tests.meshgui.model.demo_traffic import demo_traffic

SIDECARS = ("cart-1", "inventory-1", "inventory-db-1", "web-1")
EMPTY = Path("empty_mesh.yaml")


class Pipeline:
    def __init__(self, qtbot: QtBot, tmp_path: Path, view: TopologyView | None) -> None:
        self.window = QMainWindow()
        qtbot.addWidget(self.window)
        self.channel = FakeChannel()
        self.view = view
        self.controller = ChangeController(
            self.channel,
            ChangeJournal(tmp_path / "journal.jsonl"),
            ApplyProgressPanel(self.window),
            profile_name=lambda: "demo",
            window=self.window,
            view=lambda: self.view,
        )
        self.qtbot = qtbot

    def preview(self, mesh: MeshConfig) -> ChangePreviewDialog:
        self.channel.answer_fetch(dict.fromkeys(SIDECARS, mesh))
        self.qtbot.waitUntil(lambda: self.controller.preview_dialog is not None, timeout=3000)
        dialog = self.controller.preview_dialog
        assert dialog is not None
        return dialog


@pytest.fixture
def pipeline(qtbot: QtBot, tmp_path: Path) -> Pipeline:
    return Pipeline(qtbot, tmp_path, demo_traffic())


def test_without_traffic_a_removal_is_still_warned_about(pipeline: Pipeline) -> None:
    pipeline.view = None
    assert pipeline.controller.begin(replace_mesh_request(MeshConfig(), EMPTY, lambda: None))
    dialog = pipeline.preview(demo_mesh())
    assert dialog.change.warnings[0].endswith("Their traffic now is unknown.")
    assert dialog.cancel_button.isDefault() and dialog.rates is None


def test_opening_an_empty_mesh_warns_and_enter_cancels(pipeline: Pipeline) -> None:
    opened = replace_mesh_request(MeshConfig(), EMPTY, lambda: pipeline.view)
    assert pipeline.controller.begin(opened)
    dialog = pipeline.preview(demo_mesh())
    assert dialog.warnings_box is not None
    assert dialog.change.warnings[0].startswith("This removes every service from the mesh")
    assert "inventory-db (2.1 kB/s)" in dialog.change.warnings[0]
    assert dialog.cancel_button.isDefault() and not dialog.apply_button.isDefault()
    assert dialog.rates is not None
    assert ("inventory-db", "2.1 kB/s", "0 B/s", "-2.1 kB/s") in dialog.rates.rows()
    QTest.keyClick(dialog, Qt.Key.Key_Return)
    assert pipeline.channel.applies == [] and not pipeline.controller.busy


def test_apply_anyway_sends_the_empty_mesh(pipeline: Pipeline) -> None:
    opened = replace_mesh_request(MeshConfig(), EMPTY, lambda: pipeline.view)
    assert pipeline.controller.begin(opened)
    pipeline.preview(demo_mesh()).apply_button.click()
    [(_, change, _, _)] = pipeline.channel.applies
    assert change.after.services == {}


def test_undo_is_warned_about_and_forecast_from_the_controllers_view(pipeline: Pipeline) -> None:
    # An undo that takes services away (the last change added them) is no less destructive;
    # it names no view of its own, so the controller's is used.
    mesh = demo_mesh()
    added = MeshChange("Replace the mesh config with shop.yaml", MeshConfig(), mesh)
    assert pipeline.controller.begin(undo_request(added, lambda _ok: None))
    dialog = pipeline.preview(mesh)
    assert dialog.change.warnings[0].startswith("This removes every service from the mesh")
    assert "inventory (125 req/s)" in dialog.change.warnings[0]
    assert dialog.rates is not None and len(dialog.rates.rows()) == 6


def test_a_drain_preview_shows_where_the_instance_traffic_goes(pipeline: Pipeline) -> None:
    assert pipeline.controller.begin(
        drain_request("inventory", "inventory-1", True, lambda: pipeline.view)
    )
    dialog = pipeline.preview(demo_mesh())
    assert dialog.warnings_box is None and dialog.apply_button.isDefault()
    assert dialog.rates is not None
    assert dialog.rates.rows() == [
        ("inventory-1 (inventory)", "60", "0", "-60"),
        ("inventory-2 (inventory)", "65", "125", "+60"),
    ]
    assert dialog.traffic_notes is not None
    assert "would go to inventory-2 (100%)" in dialog.traffic_notes.text()


def test_draining_the_last_healthy_instance_warns(pipeline: Pipeline) -> None:
    pipeline.view = demo_traffic(inventory_2="ejected")
    assert pipeline.controller.begin(
        drain_request("inventory", "inventory-1", True, lambda: pipeline.view)
    )
    dialog = pipeline.preview(demo_mesh())
    assert dialog.cancel_button.isDefault()
    assert "no instance left to send to" in dialog.change.warnings[0]


def test_warnings_are_added_once_and_removals_come_first() -> None:
    mesh = demo_mesh()
    drained = set_drained(mesh, "inventory-db", None, True)
    document = drained.after.model_dump(mode="json")
    del document["services"]["product-tags"], document["routes"]["product-tags"]
    change = MeshChange("Edit", mesh, MeshConfig.model_validate(document), drained.warnings)
    warned = with_traffic_warnings(change, demo_traffic())
    assert warned.warnings[0].startswith("This removes product-tags (36 req/s now)")
    assert warned.warnings[1:] == drained.warnings
    assert with_traffic_warnings(warned, demo_traffic()) is warned
