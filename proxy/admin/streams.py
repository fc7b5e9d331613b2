"""What the admin API's server streams read: shared stats snapshots and per-stream event feeds.

Both are built so that many watchers cost little and a slow one costs nothing but its own
resolution: streams wake on a shared grid and reuse one converted snapshot per tick, and each
event feed is a bounded queue that drops its oldest event (and says how many it dropped) rather
than grow.
"""

from __future__ import annotations

import asyncio
import math
from collections import deque
from collections.abc import Callable

from proxy.admin.convert import event_message, snapshot_message
from proxy.admin.v1 import admin_pb2 as pb
from proxy.events import MeshEvent
from proxy.sidecar import Sidecar

SNAPSHOT_REUSE_S = 0.05
"""A snapshot this young is good enough for any watcher; watchers on the same tick share it."""
EVENT_QUEUE_LIMIT = 1000


class SnapshotSource:
    """Converted stats snapshots of one sidecar, rebuilt at most once per SNAPSHOT_REUSE_S."""

    def __init__(self, sidecar: Sidecar, clock: Callable[[], float] | None = None) -> None:
        self._sidecar = sidecar
        self._clock = clock or asyncio.get_running_loop().time
        self._message: pb.StatsSnapshot | None = None
        self._built_at = -math.inf
        self.builds = 0
        """How many snapshots were converted (for tests of the sharing)."""

    def latest(self) -> pb.StatsSnapshot:
        now = self._clock()
        if self._message is None or now - self._built_at > SNAPSHOT_REUSE_S:
            self._message = self._build(now)
            self._built_at = now
            self.builds += 1
        return self._message

    def _build(self, now: float) -> pb.StatsSnapshot:
        sidecar = self._sidecar
        mesh = sidecar.mesh
        service_of = {
            endpoint.name: name
            for name, service in mesh.services.items()
            for endpoint in service.endpoints
        }
        return snapshot_message(
            sidecar.snapshot(),
            sidecar.endpoint_states(),
            service_of,
            config_version=mesh.version,
            now=now,
        )


def next_tick(now: float, interval: float) -> float:
    """The next multiple of `interval` after `now`: watchers with one interval wake together."""
    return (math.floor(now / interval) + 1) * interval


class EventFeed:
    """One WatchEvents stream's queue: bounded, oldest dropped first, drops counted."""

    __slots__ = ("_queue", "_ready", "missed")

    def __init__(self, limit: int = EVENT_QUEUE_LIMIT) -> None:
        self._queue: deque[MeshEvent] = deque(maxlen=limit)
        self._ready = asyncio.Event()
        self.missed = 0

    def push(self, event: MeshEvent) -> None:
        if len(self._queue) == self._queue.maxlen:
            self.missed += 1
        self._queue.append(event)
        self._ready.set()

    async def next(self) -> pb.Event:
        """The next event as a message, waiting for one; it carries the drops before it."""
        while not self._queue:
            self._ready.clear()
            await self._ready.wait()
        message = event_message(self._queue.popleft(), self.missed)
        self.missed = 0
        return message


class EventFanout:
    """Subscribes once to the sidecar's events and copies each into every open feed."""

    def __init__(self, sidecar: Sidecar, limit: int = EVENT_QUEUE_LIMIT) -> None:
        self._sidecar = sidecar
        self._limit = limit
        self._feeds: set[EventFeed] = set()

    def attach(self) -> None:
        self._sidecar.subscribers.append(self._on_event)

    def detach(self) -> None:
        if self._on_event in self._sidecar.subscribers:
            self._sidecar.subscribers.remove(self._on_event)

    def open(self) -> EventFeed:
        feed = EventFeed(self._limit)
        self._feeds.add(feed)
        return feed

    def close(self, feed: EventFeed) -> None:
        self._feeds.discard(feed)

    @property
    def open_feeds(self) -> int:
        return len(self._feeds)

    def _on_event(self, event: MeshEvent) -> None:
        # Called synchronously from the data plane (ejections) and from applies: O(feeds), no I/O.
        for feed in self._feeds:
            feed.push(event)
