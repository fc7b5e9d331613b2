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
    __slots__ = ("_buckets", "_handle", "_loop", "_next_bucket", "resolution")

    def __init__(self, loop: asyncio.AbstractEventLoop, resolution: float = 0.01) -> None:
        self._loop = loop
        self.resolution = resolution
        self._buckets: dict[int, set[TimerTarget]] = {}
        self._next_bucket = int(loop.time() / resolution)
        self._handle: asyncio.TimerHandle | None = None

    def start(self) -> None:
        if self._handle is None:
            self._handle = self._loop.call_later(self.resolution, self._tick)

    def stop(self) -> None:
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
        else:
            bucket.add(target)
        return key

    def cancel(self, key: int, target: TimerTarget) -> None:
        bucket = self._buckets.get(key)
        if bucket is not None:
            bucket.discard(target)

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
        self._handle = self._loop.call_later(self.resolution, self._tick)

    def __len__(self) -> int:
        return sum(len(b) for b in self._buckets.values())
