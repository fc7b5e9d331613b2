"""A coarse timer wheel for per-request deadlines.

`loop.call_later` plus `cancel` costs ~4.5 µs on uvloop here — a quarter of the sidecar's whole
per-request budget — while request timeouts need only ~10 ms precision. Deadlines go into
buckets of `resolution` seconds; one recurring tick fires what is due. Adding and removing is a
set operation.
"""

from __future__ import annotations

import asyncio
from typing import Protocol


class TimerTarget(Protocol):
    def on_timer(self, now: float) -> None:
        """Called at or after a scheduled deadline; the target checks which of its own
        deadlines passed (it may have several) and re-arms if it needs to."""


class TimerWheel:
    __slots__ = ("_buckets", "_handle", "_loop", "_next_bucket", "_running", "resolution")

    def __init__(self, loop: asyncio.AbstractEventLoop, resolution: float = 0.01) -> None:
        self._loop = loop
        self.resolution = resolution
        self._buckets: dict[int, set[TimerTarget]] = {}
        self._next_bucket = int(loop.time() / resolution)
        self._handle: asyncio.TimerHandle | None = None
        self._running = False

    def start(self) -> None:
        """Allow ticking; the wheel ticks only while something is scheduled, so an idle
        sidecar does not wake up a hundred times a second."""
        self._running = True
        if self._buckets and self._handle is None:
            self._handle = self._loop.call_later(self.resolution, self._tick)

    def stop(self) -> None:
        self._running = False
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def schedule(self, deadline: float, target: TimerTarget) -> int:
        """Arm `target` for `deadline` (loop time); returns the key `cancel` needs."""
        key = int(deadline / self.resolution) + 1  # never early: the bucket after the deadline
        key = max(key, self._next_bucket)
        bucket = self._buckets.get(key)
        if bucket is None:
            self._buckets[key] = {target}
            if self._handle is None and self._running:
                self._next_bucket = int(self._loop.time() / self.resolution)
                self._handle = self._loop.call_later(self.resolution, self._tick)
        else:
            bucket.add(target)
        return key

    def cancel(self, key: int, target: TimerTarget) -> None:
        bucket = self._buckets.get(key)
        if bucket is not None:
            bucket.discard(target)
            if not bucket:  # so that an idle wheel stops ticking
                del self._buckets[key]

    def fire_due(self, now: float) -> None:
        last = int(now / self.resolution)
        buckets = self._buckets
        key = self._next_bucket
        while key <= last:
            due = buckets.pop(key, None)
            if due:
                for target in due:
                    target.on_timer(now)
            key += 1
        self._next_bucket = key

    def _tick(self) -> None:
        self.fire_due(self._loop.time())
        if self._buckets and self._running:
            self._handle = self._loop.call_later(self.resolution, self._tick)
        else:
            self._handle = None

    def __len__(self) -> int:
        return sum(len(b) for b in self._buckets.values())
