"""Watches one sidecar: its stats and event streams, and whether it is there at all.

The admin client reconnects its streams by itself (capped backoff), so a sidecar going away is
not an exception here; the gap in the snapshots says it. A sidecar that sent nothing for
`stale_after` seconds is reported disconnected — since its last snapshot, which is when it was
last known alive — and connected again with its next snapshot. Why there is a gap (connection
refused, say) the client tells through its stream-retry hook: each failed try of the stats
stream is reported as `failed` with the delay before the next, so an operator sees why a sidecar
is missing while it is still being retried. Qt-free: results go to a `WatchSink`, which the
worker thread turns into queued Qt signals.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from typing import Any, Protocol

from meshgui.client.failure_text import failure_line
from meshgui.client.targets import SidecarTarget
from proxy.admin.client import AdminClient
from proxy.admin.errors import AdminError

RETRY_AFTER_ERROR_S = 10.0
"""After a failure the client does not retry itself (a refused token, say): try again this late."""


class WatchSink(Protocol):
    def snapshot(self, sidecar_id: str, snapshot: Any) -> None: ...
    def event(self, sidecar_id: str, event: Any) -> None: ...
    def info(self, sidecar_id: str, info: Any) -> None: ...
    def connected(self, sidecar_id: str, at: float) -> None: ...
    def disconnected(self, sidecar_id: str, at: float) -> None: ...
    def failed(self, sidecar_id: str, message: str) -> None:
        """`message` starts with the sidecar's address and says when it is retried."""


ClientFactory = Callable[[SidecarTarget], Any]


def admin_client_for(target: SidecarTarget) -> AdminClient:
    return AdminClient(target.address, target.token, ca_file=target.ca_file, operator="meshgui")


class Liveness:
    """Connected / disconnected from the times snapshots arrive; no I/O, so tests drive it."""

    def __init__(self, stale_after: float, now: float, wall_now: float) -> None:
        self.stale_after = stale_after
        self.connected: bool | None = None
        """None until the first snapshot or the first timeout."""
        self._last_seen = now
        self._last_seen_wall = wall_now

    def seen(self, now: float, wall_now: float) -> bool:
        """A snapshot arrived; True when that turns the sidecar connected."""
        self._last_seen, self._last_seen_wall = now, wall_now
        if self.connected:
            return False
        self.connected = True
        return True

    def lost_since(self, now: float) -> float | None:
        """The wall time the sidecar was last known alive, when it has just gone stale."""
        if self.connected is False or now - self._last_seen < self.stale_after:
            return None
        self.connected = False
        return self._last_seen_wall


class SidecarWatch:
    """Runs until cancelled; owns its admin client and the tasks reading its streams."""

    def __init__(
        self,
        target: SidecarTarget,
        sink: WatchSink,
        *,
        interval: float = 1.0,
        stale_after: float = 3.5,
        client_factory: ClientFactory = admin_client_for,
        monotonic: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.target = target
        self._sink = sink
        self._interval = interval
        self._client_factory = client_factory
        self._monotonic = monotonic
        self._wall = wall_clock
        self.liveness = Liveness(stale_after, monotonic(), wall_clock())

    async def run(self) -> None:
        sid = self.target.sidecar_id
        watchdog = asyncio.create_task(self._watchdog(), name=f"watchdog:{sid}")
        try:
            while True:
                try:
                    await self._watch_once()
                except AdminError as exc:
                    self._failed(exc.message, RETRY_AFTER_ERROR_S)
                except (OSError, ValueError) as exc:  # an unreadable CA file, a bad address
                    self._failed(str(exc), RETRY_AFTER_ERROR_S)
                await asyncio.sleep(RETRY_AFTER_ERROR_S)
        finally:
            watchdog.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watchdog

    def _failed(self, message: str, retry_in: float | None) -> None:
        self._sink.failed(
            self.target.sidecar_id, failure_line(self.target.address, message, retry_in)
        )

    def _stream_retrying(self, stream: str, error: AdminError, delay: float) -> None:
        # The stats stream alone: it decides liveness, and the events stream fails alike.
        if stream == "WatchStats":
            self._failed(error.message, delay)

    async def _watch_once(self) -> None:
        client = self._client_factory(self.target)
        client.on_stream_retry = self._stream_retrying
        sid = self.target.sidecar_id
        events = asyncio.create_task(self._read_events(client), name=f"events:{sid}")
        info: asyncio.Task[None] | None = None
        try:
            async for snapshot in client.watch_stats(self._interval):
                if self.liveness.seen(self._monotonic(), self._wall()):
                    self._sink.connected(sid, self._wall())
                    if info is None or info.done():
                        info = asyncio.create_task(self._read_info(client), name=f"info:{sid}")
                self._sink.snapshot(sid, snapshot)
        finally:
            for task in (events, info):
                if task is not None:
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError, AdminError):
                        await task
            await client.close()

    async def _read_events(self, client: Any) -> None:
        async for event in client.watch_events():
            self._sink.event(self.target.sidecar_id, event)

    async def _read_info(self, client: Any) -> None:
        with contextlib.suppress(AdminError):  # only nice to have: the stats carry what matters
            self._sink.info(self.target.sidecar_id, await client.get_info())

    async def _watchdog(self) -> None:
        period = self.liveness.stale_after / 4
        while True:
            await asyncio.sleep(period)
            since = self.liveness.lost_since(self._monotonic())
            if since is not None:
                self._sink.disconnected(self.target.sidecar_id, since)
