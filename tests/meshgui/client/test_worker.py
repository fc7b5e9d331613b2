"""The client's worker thread against a real sidecar with the admin API: snapshots arrive on the
GUI thread through Qt signals; a killed sidecar is reported disconnected and, restarted, comes
back by itself; a refused token is reported without the token."""

from __future__ import annotations

import threading
import urllib.request
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from meshgui.client import MeshClient, SidecarTarget
from proxy.admin.models import StatsSnapshot
from tests.harness.admin import ADMIN_TOKEN, admin_settings
from tests.harness.processes import ProcessPool
from tests.harness.topology import LiveMesh, start_mesh

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(90)]
SIGNAL_TIMEOUT_MS = 15_000


@pytest.fixture
def mesh(processes: ProcessPool) -> LiveMesh:
    settings = admin_settings(processes.workdir, state_dir=str(processes.workdir / "state"))
    return start_mesh(processes, [("inventory-1", {"version": "v1"})], client_settings=settings)


@pytest.fixture
def client(qtbot: QtBot) -> Iterator[MeshClient]:
    client = MeshClient(interval=0.2, stale_after=1.0)
    yield client
    client.shutdown()
    assert not client.running


def target(mesh: LiveMesh, token: str = ADMIN_TOKEN) -> SidecarTarget:
    return SidecarTarget("web-1", f"127.0.0.1:{mesh.client.ports.admin}", token)


def test_snapshots_arrive_on_the_gui_thread(
    qtbot: QtBot, mesh: LiveMesh, client: MeshClient
) -> None:
    threads: list[threading.Thread] = []
    client.snapshot_received.connect(lambda *_: threads.append(threading.current_thread()))
    with qtbot.waitSignal(client.sidecar_connected, timeout=SIGNAL_TIMEOUT_MS) as connected:
        client.connect_to([target(mesh)])
    assert connected.args[0] == "web-1"
    request = urllib.request.Request(mesh.url + "/", headers={"Host": "inventory"})
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 200

    def has_the_call(sidecar: str, snapshot: object) -> bool:
        return isinstance(snapshot, StatsSnapshot) and any(
            e.destination.service == "inventory" and e.requests for e in snapshot.http_edges
        )

    with qtbot.waitSignal(
        client.snapshot_received, timeout=SIGNAL_TIMEOUT_MS, check_params_cb=has_the_call
    ):
        pass
    assert threads and set(threads) == {threading.main_thread()}


def test_a_killed_sidecar_is_disconnected_and_recovers_by_itself(
    qtbot: QtBot, mesh: LiveMesh, client: MeshClient, processes: ProcessPool
) -> None:
    with qtbot.waitSignal(client.snapshot_received, timeout=SIGNAL_TIMEOUT_MS):
        client.connect_to([target(mesh)])
    with qtbot.waitSignal(client.sidecar_disconnected, timeout=SIGNAL_TIMEOUT_MS) as lost:
        mesh.client.stop()
    assert lost.args[0] == "web-1"
    with qtbot.waitSignal(client.sidecar_connected, timeout=SIGNAL_TIMEOUT_MS) as back:
        processes.restart_sidecar(mesh.client)
    assert back.args[0] == "web-1" and back.args[1] > lost.args[1]
    with qtbot.waitSignal(client.snapshot_received, timeout=SIGNAL_TIMEOUT_MS):
        pass


def test_a_refused_token_is_reported_without_the_token(
    qtbot: QtBot, mesh: LiveMesh, client: MeshClient
) -> None:
    with qtbot.waitSignal(client.sidecar_failed, timeout=SIGNAL_TIMEOUT_MS) as failed:
        client.connect_to([target(mesh, token="wrong-token")])
    assert failed.args[0] == "web-1"
    assert "wrong-token" not in failed.args[1]
    with qtbot.waitSignal(client.sidecar_disconnected, timeout=SIGNAL_TIMEOUT_MS):
        pass


def test_after_a_reconnect_the_old_mesh_is_silent(
    qtbot: QtBot, mesh: LiveMesh, client: MeshClient
) -> None:
    with qtbot.waitSignal(client.snapshot_received, timeout=SIGNAL_TIMEOUT_MS):
        client.connect_to([target(mesh)])
    seen: list[str] = []
    client.snapshot_received.connect(lambda sidecar, _snapshot: seen.append(sidecar))
    renamed = SidecarTarget("web-1-again", target(mesh).address, ADMIN_TOKEN)
    with qtbot.waitSignal(client.sidecar_connected, timeout=SIGNAL_TIMEOUT_MS):
        client.connect_to([renamed])
    seen.clear()
    for _ in range(3):
        with qtbot.waitSignal(client.snapshot_received, timeout=SIGNAL_TIMEOUT_MS):
            pass
    assert set(seen) == {"web-1-again"}
