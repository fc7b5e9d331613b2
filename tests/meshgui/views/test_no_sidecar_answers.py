"""When no sidecar of the mesh answers, the empty canvas says so (and where to read why) instead
of "Connecting to prod…" for ever; it goes back to "Connecting" when one answers, and never
touches a drawn mesh or another message."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from meshgui.client.sidecar_health import SidecarHealth
from meshgui.client.targets import SidecarTarget
from meshgui.profiles import ConnectionProfile
from meshgui.views.main_window import MainWindow
from meshgui.views.waiting_text import waiting_text
from tests.harness.keyring_memory import MemoryKeyring
from tests.meshgui.views.fake_client import FakeClient
from tests.meshgui.views.fakes import NOW, ColumnLayout
from tests.meshgui.views.test_main_window import PROD, Rig, connected

REFUSED = "{}: connection refused; retrying in 2 s"
NONE_ANSWERS = "None of the 2 sidecars of prod answers."
WHY = "See why in the status bar,\nor in View > Sidecar Status (Ctrl+Shift+H)."


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, memory_keyring: MemoryKeyring) -> MainWindow:
    """A window on a fake client and a real (empty) model: nothing is ever drawn."""
    shown = MainWindow(
        QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
        client=FakeClient(),  # type: ignore[arg-type]
        layout_function=ColumnLayout(),
        clock=lambda: NOW,
        journal_path=tmp_path / "journal.jsonl",
    )
    qtbot.addWidget(shown)
    shown.show()
    return shown


def fail(window: MainWindow, *sidecar_ids: str) -> None:
    client = window.session.client
    for sidecar_id in sidecar_ids:
        target = window.sidecars_label.health.row(sidecar_id)
        assert target is not None
        client.sidecar_failed.emit(sidecar_id, REFUSED.format(target.address))


def test_once_every_sidecar_failed_the_canvas_says_none_answers(window: MainWindow) -> None:
    assert window.connect_profile(PROD)
    ids = [row.sidecar_id for row in window.sidecars_label.health.rows()]
    assert window.canvas.placeholder_text == "Connecting to prod…"
    fail(window, ids[0])  # the other one is still being tried
    assert window.canvas.placeholder_text == "Connecting to prod…"
    fail(window, ids[1])
    assert window.canvas.placeholder_text == f"{NONE_ANSWERS}\n{WHY}"
    window.session.tick()  # an empty view leaves it be
    fail(window, *ids)  # their retries too
    assert window.canvas.placeholder_text.startswith(NONE_ANSWERS)
    window.session.client.sidecar_connected.emit(ids[1], NOW)
    assert window.canvas.placeholder_text == "Connecting to prod…"


def test_disconnecting_is_not_undone_by_a_late_failure(window: MainWindow) -> None:
    assert window.connect_profile(PROD)
    ids = [row.sidecar_id for row in window.sidecars_label.health.rows()]
    fail(window, *ids)
    window.disconnect_mesh()
    assert window.canvas.placeholder_text == "No mesh connected"
    window.session.client.sidecar_failed.emit(ids[0], "late: connection refused")
    assert window.canvas.placeholder_text == "No mesh connected"


def test_a_mesh_of_one_sidecar_is_said_in_the_singular(window: MainWindow) -> None:
    solo = ConnectionProfile("solo", addresses=("127.0.0.1:41001",))
    assert window.connect_profile(solo)
    fail(window, "127.0.0.1:41001")
    assert window.canvas.placeholder_text.startswith("The sidecar of solo does not answer.")


def test_a_drawn_mesh_is_left_alone(qtbot: QtBot, tmp_path: Path, memory_keyring: object) -> None:
    rig = Rig(qtbot, tmp_path / "s.ini")
    rig.window.show()
    connected(qtbot, rig)
    names = rig.window.canvas.service_names()
    fail(rig.window, *[row.sidecar_id for row in rig.window.sidecars_label.health.rows()])
    assert rig.window.canvas.service_names() == names and names
    assert rig.window.canvas.placeholder_text == ""


def test_only_its_own_texts_are_replaced() -> None:
    health = SidecarHealth()
    health.start([SidecarTarget("a", "127.0.0.1:1")], NOW)
    health.failed("a", "refused", NOW)
    assert waiting_text("Connecting to x…", "x", health) is not None
    assert waiting_text("No mesh connected", "x", health) is None
    assert waiting_text("", "x", health) is None  # a mesh is drawn
    assert waiting_text("Connecting to x…", None, health) is None  # no mesh (a bundle, say)


def test_it_looks_right(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    window.resize(1280, 720)
    assert window.connect_profile(PROD)
    fail(window, *[row.sidecar_id for row in window.sidecars_label.health.rows()])
    qtbot.wait(20)  # the new size reaches the canvas on the next turn of the event loop
    canvas = window.canvas
    shown = canvas.mapFromScene(canvas.sceneRect()).boundingRect()
    assert canvas.viewport().rect().contains(shown.adjusted(140, 90, -140, -90))  # not clipped
