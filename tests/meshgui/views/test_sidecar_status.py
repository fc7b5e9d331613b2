"""The Sidecars label says which sidecars are missing and why (tooltip, table on click or
Ctrl+Shift+H); failures reach the status bar without a dead sidecar's retries hiding other news;
a broken connection file is said on one line."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStatusBar
from pytestqt.qtbot import QtBot

from meshgui.client.targets import SidecarTarget
from meshgui.views.sidecar_status import SidecarStatusLabel
from tests.harness.keyring_memory import MemoryKeyring
from tests.meshgui.views.fake_client import FakeClient
from tests.meshgui.views.test_main_window import PROD, Rig

T0 = 1_000_000.0
TARGETS = [SidecarTarget("web-1", "127.0.0.1:41001"), SidecarTarget("inventory-2", "127.0.0.1:9")]
REFUSED = "127.0.0.1:9: connection refused; retrying in {} s"


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def parts(qtbot: QtBot) -> tuple[SidecarStatusLabel, QStatusBar, FakeClient, Clock]:
    bar, client, clock = QStatusBar(), FakeClient(), Clock()
    qtbot.addWidget(bar)
    label = SidecarStatusLabel(bar, clock=clock)
    bar.addPermanentWidget(label)
    label.watch(client, bar)
    label.start(TARGETS)
    bar.show()
    return label, bar, client, clock


def test_the_tooltip_names_each_missing_sidecar_with_its_error(
    parts: tuple[SidecarStatusLabel, QStatusBar, FakeClient, Clock],
) -> None:
    label, bar, client, clock = parts
    client.sidecar_connected.emit("web-1", T0 + 1)
    clock.now = T0 + 2
    client.sidecar_failed.emit("inventory-2", REFUSED.format(4))
    clock.now = T0 + 80
    label.refresh_tooltip()
    lines = label.toolTip().splitlines()
    assert lines[0] == "1 of 2 sidecars not connected:"
    assert lines[1].startswith("inventory-2 (127.0.0.1:9): connection refused; retrying in 4 s")
    assert lines[1].endswith("(1 min 20 s)")
    assert len(lines) == 2  # web-1 answers: not listed
    assert bar.currentMessage() == "inventory-2 (127.0.0.1:9): connection refused; retrying in 4 s"
    client.sidecar_connected.emit("inventory-2", T0 + 90)
    assert label.toolTip() == "All 2 sidecars connected"


def test_retries_of_a_dead_sidecar_do_not_hide_other_news_for_good(
    parts: tuple[SidecarStatusLabel, QStatusBar, FakeClient, Clock],
) -> None:
    _label, bar, client, _clock = parts
    bar.showMessage("Connecting to 2 sidecars of prod…")
    client.sidecar_failed.emit("inventory-2", REFUSED.format(1))
    assert bar.currentMessage().startswith("inventory-2 (127.0.0.1:9): connection refused")
    assert bar.currentMessage().endswith("— 1 other sidecar not connected")
    client.sidecar_failed.emit("inventory-2", REFUSED.format(2))  # replaces its own line
    assert "retrying in 2 s" in bar.currentMessage()
    bar.showMessage("inventory-1 (inventory) ejected for 30 s")
    client.sidecar_failed.emit("inventory-2", REFUSED.format(4))  # the same again: waits
    assert bar.currentMessage() == "inventory-1 (inventory) ejected for 30 s"
    client.sidecar_failed.emit("web-1", "127.0.0.1:41001: missing or invalid bearer token")
    assert bar.currentMessage().startswith("web-1 (127.0.0.1:41001): missing or invalid bearer")


def test_clicking_the_label_opens_a_table_that_keeps_up(
    qtbot: QtBot, parts: tuple[SidecarStatusLabel, QStatusBar, FakeClient, Clock]
) -> None:
    label, bar, client, _clock = parts
    label.clicked.connect(lambda: label.show_table(bar))
    client.sidecar_connected.emit("web-1", T0)
    client.sidecar_failed.emit("inventory-2", REFUSED.format(4))
    qtbot.mouseClick(label, Qt.MouseButton.LeftButton)
    dialog = label.table_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.summary.text() == "1 of 2 sidecars not connected"
    first = dialog.table.topLevelItem(0)
    assert [first.text(c) for c in (0, 1, 2, 4)] == [
        "inventory-2",
        "127.0.0.1:9",
        "never answered",
        "connection refused; retrying in 4 s",
    ]
    client.sidecar_connected.emit("inventory-2", T0 + 5)
    assert dialog.summary.text() == "All 2 sidecars connected"
    assert dialog.table.topLevelItem(0).text(2) == "connected"


@pytest.fixture
def rig(qtbot: QtBot, tmp_path: Path, memory_keyring: MemoryKeyring) -> Rig:
    rig = Rig(qtbot, tmp_path / "s.ini")
    rig.window.show()
    return rig


def test_the_window_names_failing_sidecars_and_has_a_shortcut_for_the_table(
    qtbot: QtBot, rig: Rig
) -> None:
    window = rig.window
    assert window.connect_profile(PROD)
    dead = PROD.addresses[1]
    rig.client.sidecar_failed.emit(dead, f"{dead}: connection refused; retrying in 4 s")
    assert (
        window.statusBar()
        .currentMessage()
        .startswith(f"{dead}: connection refused; retrying in 4 s")
    )
    assert f"{dead}: connection refused" in window.sidecars_label.toolTip()
    action = window.sidecar_status_action
    assert action.shortcut().toString() == "Ctrl+Shift+H" and action in window.actions()
    action.trigger()
    dialog = window.sidecars_label.table_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.table.topLevelItemCount() == 2
    dialog.close()
    window.disconnect_mesh()
    assert window.sidecars_label.toolTip() == "Not connected to a mesh"
    assert window.sidecars_label.text() == "Sidecars 0/0"


def test_a_malformed_connection_file_is_said_on_one_line(rig: Rig, tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("format: meshgui.connection/v1\nname: x\nsidecars:\n  - admin: [unclosed\n")
    assert not rig.window.connect_connection_file(path)
    message = rig.window.statusBar().currentMessage()
    assert "\n" not in message
    assert message.startswith(f"{path}: line 5, column 1: YAML syntax: ")
    assert "flow sequence at line 4" in message
