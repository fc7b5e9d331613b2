"""File menu export actions: config, PNG, SVG, CSV, incident bundles out and back in — each
explains itself when it cannot run, remembers the folder, and saves bundles off the GUI thread."""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from meshgui.actions import export_actions as module
from meshgui.actions.export_actions import ExportActions
from meshgui.model.change_journal import JournalEntry
from meshgui.model.incident_bundle import IncidentBundle, read_bundle
from meshgui.model.types import TopologyView
from meshgui.views.topology_canvas import TopologyCanvas
from proxy.config import MeshConfig
from tests.meshgui.export.samples import sample
from tests.meshgui.views.fakes import (
    CART_INVENTORY,
    NOW,
    WEB_CART,
    ColumnLayout,
    FakeModel,
    retail_view,
)

WAIT_MS = 10_000
JOURNAL = [
    JournalEntry(NOW - 60, "demo/5f3a", "Drain inventory-2", "-a\n+b\n", "applied", {"web-1": 8})
]


class Rig:
    """ExportActions over a shown canvas, a fake model and answers for the file dialogs."""

    def __init__(self, qtbot: QtBot, tmp_path: Path) -> None:
        self.window = QWidget()
        qtbot.addWidget(self.window)
        self.window.resize(1200, 600)
        self.canvas = TopologyCanvas(self.window, layout_function=ColumnLayout())
        self.canvas.resize(1200, 600)
        self.window.show()
        with qtbot.waitSignal(self.canvas.layout_applied, timeout=WAIT_MS):
            self.canvas.apply_view(retail_view())
        self.model = FakeModel()
        self.mesh: MeshConfig | None = sample().mesh
        self.view: TopologyView | None = self.model.view()
        self.settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
        self.actions = ExportActions(
            self.canvas,
            self.settings,
            current_mesh=lambda: self.mesh,
            current_view=lambda: self.view,
            history=self.model.history,
            journal_entries=lambda: JOURNAL,
            profile_name=lambda: "demo/5f3a",
            clock=lambda: NOW,
        )
        self.statuses: list[str] = []
        self.actions.status_message.connect(self.statuses.append)
        self.suggested: list[str] = []
        self.answer = ""
        self.actions.prompts.choose_save_path = self._choose
        self.actions.prompts.choose_open_path = self._choose

    def _choose(self, _parent: QWidget, _title: str, suggested: str, _filters: str) -> str:
        self.suggested.append(suggested)
        return self.answer

    def notice(self) -> str:
        assert self.actions.prompts.notice is not None
        return self.actions.prompts.notice.text()


@pytest.fixture
def rig(qtbot: QtBot, tmp_path: Path) -> Iterator[Rig]:
    rig = Rig(qtbot, tmp_path)
    yield rig
    if rig.actions.job is not None:
        rig.actions.job.wait(10)


def test_menu_order_and_shortcuts(rig: Rig) -> None:
    texts = [a.text().replace("&", "") if a else "---" for a in rig.actions.file_menu_actions()]
    assert texts == [
        "Export Config…",
        "Export Graph as PNG…",
        "Export Graph as SVG…",
        "Export Edge History as CSV…",
        "---",
        "Save Incident Bundle…",
        "Open Incident Bundle…",
    ]
    assert rig.actions.export_config_action.shortcut().toString() == "Ctrl+E"
    assert rig.actions.save_bundle_action.shortcut().toString() == "Ctrl+Shift+S"


def test_export_config_without_a_mesh_explains(rig: Rig) -> None:
    rig.mesh = None
    rig.actions.export_config_action.trigger()
    assert rig.notice().startswith("Connect to a mesh first")
    assert rig.statuses[-1].startswith("Connect to a mesh first")
    assert rig.actions.export_dialog is None


def test_export_config_opens_the_dialog_on_the_current_mesh(rig: Rig, tmp_path: Path) -> None:
    rig.actions.export_config_action.trigger()
    dialog = rig.actions.export_dialog
    assert dialog is not None and dialog.isVisible()
    for target, check in dialog.checks.items():
        check.setChecked(target == "istio")
    dialog.folder.setText(str(tmp_path / "out"))
    assert dialog.export()
    header = (tmp_path / "out" / "istio.yaml").read_text().splitlines()[0]
    assert header == "# Exported by meshgui (istio) from demo/5f3a, mesh version 7."


@pytest.mark.parametrize("kind", ["PNG", "SVG"])
def test_the_graph_as_a_picture(rig: Rig, tmp_path: Path, kind: str) -> None:
    rig.answer = str(tmp_path / f"graph.{kind.lower()}")
    action = rig.actions.export_png_action if kind == "PNG" else rig.actions.export_svg_action
    action.trigger()
    assert Path(rig.suggested[0]).name == f"demo-5f3a-topology-20231114-222320.{kind.lower()}"
    written = Path(rig.answer)
    if kind == "PNG":
        image = QImage(str(written))
        assert rig.statuses[-1] == f"Saved {written} ({image.width()} x {image.height()} px)"
    else:
        assert written.read_text().startswith("<?xml")
        assert rig.statuses[-1].startswith(f"Saved {written} (")
    assert rig.settings.value("export/last_file_folder") == str(tmp_path)


def test_pictures_of_an_empty_canvas_are_explained(rig: Rig) -> None:
    rig.canvas.clear_topology("No mesh connected")
    rig.actions.export_svg_action.trigger()
    assert rig.notice() == "There is no graph to draw yet: connect to a mesh first."
    assert rig.suggested == []


def test_a_picture_that_cannot_be_written_is_an_error_message(rig: Rig, tmp_path: Path) -> None:
    rig.answer = str(tmp_path / "missing" / "graph.png")
    rig.actions.export_png_action.trigger()
    assert rig.notice().startswith("Could not export the graph: cannot write")


def test_csv_of_the_selected_calls(rig: Rig, tmp_path: Path) -> None:
    rig.actions.export_csv_action.trigger()
    assert rig.notice().startswith("Select one or more calls (edges) on the canvas first")
    rig.canvas.select_edge(WEB_CART)
    rig.answer = str(tmp_path / "web-cart")  # no suffix typed
    rig.actions.export_csv_action.trigger()
    assert Path(rig.suggested[-1]).name == "demo-5f3a-web-cart-20231114-222320.csv"
    rows = list(csv.reader(io.StringIO((tmp_path / "web-cart.csv").read_text())))
    assert rows[0][:4] == ["source", "destination", "protocol", "time"]
    assert {tuple(row[:3]) for row in rows[1:]} == {("web", "cart", "http")}
    assert len(rows) == 1 + 3600
    assert rig.model.history_calls == [(WEB_CART, 3600.0)]
    assert rig.statuses[-1] == f"Saved 3600 rows of 1 calls to {tmp_path / 'web-cart.csv'}"


def test_csv_of_calls_chosen_by_the_owner(rig: Rig, tmp_path: Path, qtbot: QtBot) -> None:
    actions = ExportActions(
        rig.canvas,
        rig.settings,
        current_mesh=lambda: None,
        current_view=lambda: None,
        history=rig.model.history,
        journal_entries=lambda: [],
        profile_name=lambda: None,
        selected_edges=lambda: [WEB_CART, CART_INVENTORY],
    )
    actions.prompts.choose_save_path = lambda *_: str(tmp_path / "two.csv")
    actions.export_csv()
    rows = list(csv.reader(io.StringIO((tmp_path / "two.csv").read_text())))
    assert {row[1] for row in rows[1:]} == {"cart", "inventory"}


def save_bundle(rig: Rig, qtbot: QtBot, path: Path) -> None:
    rig.answer = str(path)
    rig.actions.save_bundle_action.trigger()
    job = rig.actions.job
    assert job is not None
    with qtbot.waitSignal(job.succeeded, timeout=WAIT_MS):
        pass


def test_save_a_bundle_and_open_it_again(rig: Rig, qtbot: QtBot, tmp_path: Path) -> None:
    save_bundle(rig, qtbot, tmp_path / "incident")
    path = tmp_path / "incident.zip"
    assert Path(rig.suggested[0]).name == "demo-5f3a-incident-20231114-222320.zip"
    assert rig.statuses[-1] == (
        f"Saved incident bundle {path}: 6 calls over 60 min, config version 7, 1 journal entries"
    )
    assert rig.actions.save_bundle_action.isEnabled()
    opened: list[IncidentBundle] = []
    rig.actions.bundle_opened.connect(opened.append)
    rig.answer = str(path)
    rig.actions.open_bundle_action.trigger()
    qtbot.waitUntil(lambda: bool(opened), timeout=WAIT_MS)
    bundle = opened[0]
    assert bundle.view == retail_view()
    assert bundle.mesh == sample().mesh
    assert list(bundle.journal) == JOURNAL
    assert bundle.manifest.profile == "demo/5f3a" and bundle.manifest.created_at == NOW
    assert len(bundle.history(WEB_CART, 3600).t) == 3600
    assert "(read-only)" in rig.statuses[-1]


def test_a_bundle_without_a_mesh_config(rig: Rig, qtbot: QtBot, tmp_path: Path) -> None:
    rig.mesh = None
    save_bundle(rig, qtbot, tmp_path / "b.zip")
    assert read_bundle(tmp_path / "b.zip").mesh is None
    assert "no config" in rig.statuses[-1]


def test_no_bundle_without_a_mesh_on_screen(rig: Rig) -> None:
    rig.view = None
    rig.actions.save_bundle_action.trigger()
    assert rig.notice().startswith("Connect to a mesh first")
    assert rig.actions.job is None


def test_a_damaged_bundle_is_refused_with_the_reason(
    rig: Rig, qtbot: QtBot, tmp_path: Path
) -> None:
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(b"PK\x03\x04 not really")
    opened: list[Any] = []
    rig.actions.bundle_opened.connect(opened.append)
    rig.answer = str(damaged)
    rig.actions.open_bundle_action.trigger()
    qtbot.waitUntil(lambda: rig.actions.job is None, timeout=WAIT_MS)
    assert rig.notice() == f"{damaged}: not an incident bundle (not a zip file, or a truncated one)"
    assert opened == []


def test_one_bundle_at_a_time_and_the_writing_is_off_the_gui_thread(
    rig: Rig, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = threading.Event()
    threads: list[threading.Thread] = []
    real_write = module.write_bundle

    def gated_write(path: Path, contents: Any, progress: Any) -> None:
        threads.append(threading.current_thread())
        assert gate.wait(WAIT_MS / 1000)
        real_write(path, contents, progress)

    monkeypatch.setattr(module, "write_bundle", gated_write)
    rig.answer = str(tmp_path / "slow.zip")
    rig.actions.save_bundle_action.trigger()
    job = rig.actions.job
    assert job is not None
    assert not rig.actions.save_bundle_action.isEnabled()
    assert not rig.actions.open_bundle_action.isEnabled()
    qtbot.waitUntil(lambda: bool(threads), timeout=WAIT_MS)
    assert threads[0] is not threading.main_thread()
    with qtbot.waitSignal(job.succeeded, timeout=WAIT_MS):
        gate.set()
    assert rig.actions.save_bundle_action.isEnabled() and rig.actions.open_bundle_action.isEnabled()
    assert (tmp_path / "slow.zip").exists()


def test_cancelling_the_file_dialog_does_nothing(rig: Rig) -> None:
    rig.answer = ""
    rig.canvas.select_edge(WEB_CART)
    for action in rig.actions.actions()[1:]:
        action.trigger()
    assert len(rig.suggested) == 5  # each asked for a file, and stopped there
    assert rig.actions.job is None
    assert rig.statuses == []
