"""The whole app side against a real mesh: real sidecars with the admin API, the client's worker
thread, the real model and layout, the main window. The calls appear with non-zero rates; a
killed sidecar turns its service grey, and a restarted one brings it back by itself."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from meshgui.client import MeshClient
from meshgui.model.types import EdgeKey
from meshgui.profiles import ConnectionProfile
from meshgui.views.main_window import MainWindow
from tests.harness.admin import ADMIN_TOKEN, admin_settings
from tests.harness.keyring_memory import MemoryKeyring
from tests.harness.processes import ProcessPool, RunningSidecar, SidecarPorts
from tests.harness.topology import Instance, build_mesh

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]
WAIT_MS = 20_000
WEB_INVENTORY = EdgeKey("web", "inventory", "http")


def start_sidecars(processes: ProcessPool) -> tuple[RunningSidecar, RunningSidecar]:
    """web-1 (no app) calling inventory-1; both with the admin API and its token."""
    inventory = Instance("inventory-1", {"version": "v1"}, SidecarPorts.allocate())
    web_ports = SidecarPorts.allocate()
    mesh = build_mesh("inventory", [inventory], web_ports)
    admin = admin_settings(processes.workdir)
    processes.start_app(inventory.name, inventory.ports.app)
    inventory_sidecar = processes.start_sidecar(
        {"service": "inventory", "instance": "inventory-1", "labels": inventory.labels, **admin},
        mesh,
        inventory.ports,
    )
    web = processes.start_sidecar(
        {"service": "web", "instance": "web-1", "app": None, **admin}, mesh, web_ports
    )
    return web, inventory_sidecar


class Traffic:
    """A thread calling inventory through web's sidecar until stopped."""

    def __init__(self, url: str) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(url,), name="traffic", daemon=True)
        self._thread.start()

    def _run(self, url: str) -> None:
        request = urllib.request.Request(url + "/", headers={"Host": "inventory"})
        while not self._stop.is_set():
            try:
                with urllib.request.urlopen(request, timeout=2) as response:
                    response.read()
            except (urllib.error.URLError, OSError):
                self._stop.wait(0.05)  # inventory is down: do not spin

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, memory_keyring: MemoryKeyring) -> Iterator[MainWindow]:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings, client=MeshClient(interval=0.25, stale_after=1.5))
    qtbot.addWidget(window)
    window.show()
    yield window
    window.close()


def test_live_calls_appear_and_a_killed_sidecar_turns_grey_and_recovers(
    qtbot: QtBot, window: MainWindow, processes: ProcessPool
) -> None:
    web, inventory = start_sidecars(processes)
    traffic = Traffic(web.outbound_url)
    try:
        profile = ConnectionProfile(
            "live", addresses=(f"127.0.0.1:{web.ports.admin}", f"127.0.0.1:{inventory.ports.admin}")
        )
        window.profiles.save(profile, token=ADMIN_TOKEN)
        assert window.connect_profile(profile)
        canvas = window.canvas

        def calls_shown() -> None:
            item = canvas.edge_item(WEB_INVENTORY)
            assert item is not None and item.isVisible() and item.edge.stats.rps > 0

        qtbot.waitUntil(calls_shown, timeout=WAIT_MS)
        assert window.sidecars_label.text() == "Sidecars 2/2"

        def health(name: str) -> str:
            node = canvas.node_item(name)
            assert node is not None
            return str(node.view.health.name)

        inventory.stop()
        qtbot.waitUntil(lambda: health("inventory") == "DISCONNECTED", timeout=WAIT_MS)
        node = canvas.node_item("inventory")
        assert node is not None and node.detail_text.startswith("disconnected since ")
        assert window.sidecars_label.text() == "Sidecars 1/2"

        processes.restart_sidecar(inventory)
        qtbot.waitUntil(lambda: health("inventory") != "DISCONNECTED", timeout=WAIT_MS)
        qtbot.waitUntil(lambda: window.sidecars_label.text() == "Sidecars 2/2", timeout=WAIT_MS)
    finally:
        traffic.stop()
