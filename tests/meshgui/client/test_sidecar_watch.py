"""Watching one sidecar, with a fake admin client and a fake clock: connected on the first
snapshot, disconnected when snapshots stop (since the last one), failures reported."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from typing import Any

from meshgui.client.sidecar_watch import Liveness, SidecarWatch
from meshgui.client.targets import SidecarTarget
from proxy.admin.errors import UnauthenticatedError


class Clock:
    def __init__(self, now: float = 100.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class RecordingSink:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str, Any]] = []
        self.failed_once = asyncio.Event()

    def _record(self, kind: str, sidecar_id: str, payload: Any) -> None:
        self.calls.append((kind, sidecar_id, payload))

    def snapshot(self, sidecar_id: str, snapshot: Any) -> None:
        self._record("snapshot", sidecar_id, snapshot)

    def event(self, sidecar_id: str, event: Any) -> None:
        self._record("event", sidecar_id, event)

    def info(self, sidecar_id: str, info: Any) -> None:
        self._record("info", sidecar_id, info)

    def connected(self, sidecar_id: str, at: float) -> None:
        self._record("connected", sidecar_id, at)

    def disconnected(self, sidecar_id: str, at: float) -> None:
        self._record("disconnected", sidecar_id, at)

    def failed(self, sidecar_id: str, message: str) -> None:
        self._record("failed", sidecar_id, message)
        self.failed_once.set()

    def kinds(self) -> list[str]:
        return [kind for kind, _, _ in self.calls]


class FakeAdminClient:
    """Two snapshots and one event, then the stats stream is refused (a bad token, say)."""

    def __init__(self) -> None:
        self.closed = False
        self.on_stream_retry: object = None  # AdminClient's hook; this stream never retries

    async def watch_stats(self, interval: float) -> AsyncGenerator[str, None]:
        yield "snapshot-1"
        yield "snapshot-2"
        raise UnauthenticatedError("127.0.0.1:1", "bad token")

    async def watch_events(self) -> AsyncGenerator[str, None]:
        yield "event-1"
        await asyncio.Event().wait()

    async def get_info(self) -> str:
        return "info"

    async def close(self) -> None:
        self.closed = True


def test_liveness_turns_connected_with_data_and_disconnected_when_it_stops() -> None:
    live = Liveness(stale_after=3.0, now=0.0, wall_now=1000.0)
    assert live.connected is None
    assert live.lost_since(2.9) is None
    assert live.seen(1.0, 1001.0) is True
    assert live.seen(2.0, 1002.0) is False  # already connected: said once
    assert live.lost_since(4.9) is None
    assert live.lost_since(5.0) == 1002.0  # since the last snapshot, not since noticing
    assert live.lost_since(9.0) is None  # said once
    assert live.seen(9.5, 1009.5) is True


def test_a_sidecar_never_heard_from_is_disconnected_since_the_start() -> None:
    live = Liveness(stale_after=3.0, now=0.0, wall_now=500.0)
    assert live.lost_since(3.0) == 500.0
    assert live.connected is False


async def test_a_watch_reports_data_then_the_failure_and_closes_its_client() -> None:
    sink, client = RecordingSink(), FakeAdminClient()
    clock = Clock()
    target = SidecarTarget("web-1", "127.0.0.1:1", "t0ken")
    watch = SidecarWatch(
        target, sink, client_factory=lambda _t: client, monotonic=clock, wall_clock=clock
    )
    task = asyncio.create_task(watch.run(), name="watch-under-test")
    await asyncio.wait_for(sink.failed_once.wait(), 5)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    kinds = sink.kinds()
    assert kinds[:3] == ["connected", "snapshot", "snapshot"]
    assert kinds.count("connected") == 1
    assert ("snapshot", "web-1", "snapshot-2") in sink.calls
    failure = next(payload for kind, _, payload in sink.calls if kind == "failed")
    assert "bad token" in failure and "t0ken" not in failure
    assert client.closed


def test_a_target_never_shows_its_token() -> None:
    assert "s3cret" not in repr(SidecarTarget("web-1", "127.0.0.1:1", "s3cret"))
