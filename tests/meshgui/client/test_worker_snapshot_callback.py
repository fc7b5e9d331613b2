"""`MeshClient.connect_to(..., on_snapshot=...)`: the callback runs on the client's own thread,
before the snapshot is signalled to the GUI thread; a failing callback ends neither the watch nor
the signal. A fake admin client: no network."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncGenerator, Iterator

import pytest
from pytestqt.qtbot import QtBot

from meshgui.client import MeshClient, SidecarTarget

SIGNAL_TIMEOUT_MS = 5_000
TARGET = SidecarTarget("web-1", "10.0.0.1:15000", "secret-token")


class TwoSnapshots:
    """Streams two snapshots, then nothing."""

    on_stream_retry: object = None  # AdminClient's hook; this stream never retries

    async def watch_stats(self, interval: float) -> AsyncGenerator[str, None]:
        yield "snapshot-1"
        yield "snapshot-2"
        await asyncio.Event().wait()

    async def watch_events(self) -> AsyncGenerator[str, None]:
        await asyncio.Event().wait()
        yield "never"

    async def get_info(self) -> str:
        return "info"

    async def close(self) -> None:
        pass


@pytest.fixture
def client(qtbot: QtBot) -> Iterator[MeshClient]:
    client = MeshClient(interval=0.2, stale_after=5.0, client_factory=lambda _t: TwoSnapshots())
    yield client
    client.shutdown()
    assert not client.running


def test_the_callback_runs_on_the_client_thread_before_the_signal(
    qtbot: QtBot, client: MeshClient
) -> None:
    called: list[tuple[str, str, str]] = []  # sidecar, snapshot, thread name
    signalled: list[tuple[str, object, int]] = []  # sidecar, snapshot, callbacks made by then

    def on_snapshot(sidecar_id: str, snapshot: object) -> None:
        called.append((sidecar_id, str(snapshot), threading.current_thread().name))

    client.snapshot_received.connect(lambda s, p: signalled.append((s, p, len(called))))
    assert client.accepts_snapshot_callback
    client.connect_to([TARGET], on_snapshot=on_snapshot)
    qtbot.waitUntil(lambda: len(signalled) == 2, timeout=SIGNAL_TIMEOUT_MS)
    assert called == [
        ("web-1", "snapshot-1", "meshgui-client"),
        ("web-1", "snapshot-2", "meshgui-client"),
    ]
    # Each signal found its snapshot already handed to the callback.
    assert [(s, p) for s, p, _ in signalled] == [("web-1", "snapshot-1"), ("web-1", "snapshot-2")]
    assert all(made >= n for n, (_, _, made) in enumerate(signalled, 1))


def test_a_failing_callback_is_logged_and_the_snapshots_still_arrive(
    qtbot: QtBot, client: MeshClient, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(sidecar_id: str, snapshot: object) -> None:
        raise ValueError("the model choked")

    seen: list[object] = []
    client.snapshot_received.connect(lambda _s, p: seen.append(p))
    with caplog.at_level(logging.ERROR, logger="meshgui.client.worker"):
        client.connect_to([TARGET], on_snapshot=broken)
        qtbot.waitUntil(lambda: len(seen) == 2, timeout=SIGNAL_TIMEOUT_MS)
    assert seen == ["snapshot-1", "snapshot-2"]  # the watch went on after the first failure
    failures = [r for r in caplog.records if "web-1" in r.getMessage()]
    assert len(failures) == 2
    assert "the model choked" in (failures[0].exc_text or "")


def test_without_a_callback_snapshots_only_go_to_the_signal(
    qtbot: QtBot, client: MeshClient
) -> None:
    with qtbot.waitSignal(client.snapshot_received, timeout=SIGNAL_TIMEOUT_MS) as got:
        client.connect_to([TARGET])
    assert got.args == ["web-1", "snapshot-1"]
