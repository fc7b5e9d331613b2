"""ConfigChannel: requests return an id at once, answers arrive as signals on the GUI thread,
answers for an older connection are dropped; MeshClient.submit runs work on its loop."""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from meshgui.client import ApplyProgress, ApplyReport, ConfigChannel, MeshClient, SidecarConfig
from meshgui.model.mesh_edits import reroute
from proxy.admin.errors import UnauthenticatedError
from tests.meshgui.client.fake_admin import FakeFleet, FakeSidecar
from tests.meshgui.model.demo_mesh import demo_mesh

SIGNAL_TIMEOUT_MS = 5_000


@pytest.fixture
def fleet() -> FakeFleet:
    mesh = demo_mesh()
    denied = UnauthenticatedError("10.0.0.3:15000", "missing or invalid bearer token")
    return FakeFleet(
        {
            "web-1": FakeSidecar(mesh),
            "cart-1": FakeSidecar(mesh),
            "inv-1": FakeSidecar(mesh, denied),
        }
    )


@pytest.fixture
def client(qtbot: QtBot, fleet: FakeFleet) -> Iterator[MeshClient]:
    client = MeshClient(client_factory=fleet)
    yield client
    client.shutdown()
    assert not client.running


def on_gui_thread(seen: list[threading.Thread]) -> bool:
    return bool(seen) and set(seen) == {threading.main_thread()}


def test_fetch_and_apply_answer_on_the_gui_thread(
    qtbot: QtBot, client: MeshClient, fleet: FakeFleet
) -> None:
    channel = ConfigChannel(client, client_factory=fleet)
    client.connect_to(fleet.targets())
    assert [t.sidecar_id for t in client.targets] == ["web-1", "cart-1", "inv-1"]
    threads: list[threading.Thread] = []
    for signal in (channel.fetched, channel.progress, channel.applied):
        signal.connect(lambda *_: threads.append(threading.current_thread()))

    with qtbot.waitSignal(channel.fetched, timeout=SIGNAL_TIMEOUT_MS) as fetched:
        request = channel.fetch()
    assert fetched.args[0] == request
    configs: dict[str, SidecarConfig] = fetched.args[1]
    assert configs["web-1"].mesh == demo_mesh() and configs["inv-1"].mesh is None

    change = reroute(demo_mesh(), "recommendations", "recommendations", "recommendations-lite", 1)
    progress: list[tuple[int, ApplyProgress]] = []
    channel.progress.connect(lambda rid, p: progress.append((rid, p)))
    with qtbot.waitSignal(channel.applied, timeout=SIGNAL_TIMEOUT_MS) as applied:
        request = channel.apply(change, {"web-1": 1, "cart-1": 1, "inv-1": 1})
    assert applied.args[0] == request
    report: ApplyReport = applied.args[1]
    assert report.applied == ["cart-1", "web-1"] and report.failed == ["inv-1"]
    assert sorted(p.sidecar_id for rid, p in progress if rid == request) == sorted(
        ["web-1", "cart-1", "inv-1"]
    )
    assert fleet.sidecars["web-1"].mesh == change.after
    assert on_gui_thread(threads)


def test_apply_to_only_some_sidecars(qtbot: QtBot, client: MeshClient, fleet: FakeFleet) -> None:
    channel = ConfigChannel(client, client_factory=fleet)
    client.connect_to(fleet.targets())
    change = reroute(demo_mesh(), "inventory", "inventory@v1", "inventory@v2", 1.0)
    with qtbot.waitSignal(channel.applied, timeout=SIGNAL_TIMEOUT_MS) as applied:
        channel.apply(change, {"web-1": 1}, only=["web-1"])
    assert set(applied.args[1].results) == {"web-1"}
    assert fleet.sidecars["cart-1"].applied == []


def test_answers_for_an_older_connection_are_dropped(
    qtbot: QtBot, client: MeshClient, fleet: FakeFleet
) -> None:
    channel = ConfigChannel(client, client_factory=fleet)
    client.connect_to(fleet.targets())
    answered: list[int] = []
    channel.fetched.connect(lambda rid, _configs: answered.append(rid))
    old: list[int] = []

    def is_the_old_answer(generation: int, rid: int, kind: str, payload: object) -> bool:
        return rid in old

    # The channel's own queued answer is watched so the test knows the old one has arrived
    # (and was judged) on the GUI thread, instead of hoping it has.
    with qtbot.waitSignal(
        channel._answered, timeout=SIGNAL_TIMEOUT_MS, check_params_cb=is_the_old_answer
    ):
        old.append(channel.fetch())
        client.connect_to(fleet.targets()[:1])  # before the GUI thread got the old answer
    assert answered == []
    with qtbot.waitSignal(channel.fetched, timeout=SIGNAL_TIMEOUT_MS) as fetched:
        new = channel.fetch()
    assert answered == [new]
    assert set(fetched.args[1]) == {"web-1"}


def test_not_connected_fetch_answers_with_nothing(qtbot: QtBot, client: MeshClient) -> None:
    channel = ConfigChannel(client)
    with qtbot.waitSignal(channel.fetched, timeout=SIGNAL_TIMEOUT_MS) as fetched:
        channel.fetch()
    assert fetched.args[1] == {} and client.targets == ()


def test_submit_runs_on_the_loop_and_shutdown_cancels_what_still_runs(
    qtbot: QtBot, client: MeshClient
) -> None:
    async def whose_loop() -> str:
        return threading.current_thread().name

    assert client.submit(whose_loop).result(timeout=5) == "meshgui-client"

    async def forever() -> None:
        await asyncio.Event().wait()

    pending = client.submit(forever, name="forever")
    client.shutdown()
    with pytest.raises(concurrent.futures.CancelledError):
        pending.result(timeout=5)
