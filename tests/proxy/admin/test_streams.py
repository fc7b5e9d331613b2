"""Shared snapshots and bounded event feeds."""

from __future__ import annotations

import asyncio
from typing import Any, cast

import pytest

from proxy.admin.streams import SNAPSHOT_REUSE_S, EventFanout, EventFeed, SnapshotSource, next_tick
from proxy.config import parse_mesh_document
from proxy.events import ConfigApplied, DrainChanged, MeshEvent
from proxy.sidecar import Sidecar
from proxy.telemetry import StatsRegistry, Workload


class FakeSidecar:
    def __init__(self) -> None:
        self.mesh = parse_mesh_document(
            {"version": 4, "services": {"a": {"endpoints": [{"name": "a-1", "address": "h:1"}]}}}
        )
        self.stats = StatsRegistry(Workload("web"), wall_clock=lambda: 10.0)
        self.subscribers: list[Any] = []
        self.snapshots_taken = 0

    def snapshot(self) -> Any:
        self.snapshots_taken += 1
        return self.stats.snapshot()

    def endpoint_states(self) -> list[Any]:
        return []

    def emit(self, event: MeshEvent) -> None:
        for subscriber in list(self.subscribers):
            subscriber(event)


def test_watchers_on_one_tick_share_one_snapshot() -> None:
    fake = FakeSidecar()
    now = [100.0]
    source = SnapshotSource(cast(Sidecar, fake), clock=lambda: now[0])
    first = source.latest()
    now[0] += SNAPSHOT_REUSE_S / 2
    assert source.latest() is first
    now[0] += SNAPSHOT_REUSE_S
    second = source.latest()
    assert second is not first and second.config_version == 4
    assert (source.builds, fake.snapshots_taken) == (2, 2)


@pytest.mark.parametrize(
    ("now", "interval", "expected"),
    [(0.0, 1.0, 1.0), (10.2, 1.0, 11.0), (10.0, 1.0, 11.0), (3.1, 0.5, 3.5)],
)
def test_next_tick_is_on_a_shared_grid(now: float, interval: float, expected: float) -> None:
    assert next_tick(now, interval) == pytest.approx(expected)


async def test_a_feed_drops_its_oldest_events_and_counts_them() -> None:
    feed = EventFeed(limit=3)
    for version in range(1, 6):
        feed.push(ConfigApplied(version, "x"))
    first = await feed.next()
    assert (first.config_applied.version, first.missed) == (3, 2)
    second = await feed.next()
    assert (second.config_applied.version, second.missed) == (4, 0)


async def test_a_feed_waits_for_the_next_event() -> None:
    feed = EventFeed()
    waiting = asyncio.ensure_future(feed.next())
    await asyncio.sleep(0)
    assert not waiting.done()
    feed.push(DrainChanged("self", True))
    message = await asyncio.wait_for(waiting, 1)
    assert message.drain_changed.target == "self"


async def test_the_fanout_copies_each_event_to_every_open_feed_only() -> None:
    fake = FakeSidecar()
    fanout = EventFanout(cast(Sidecar, fake))
    fanout.attach()
    one, two = fanout.open(), fanout.open()
    fanout.close(two)
    fake.emit(ConfigApplied(9, "y"))
    assert (await one.next()).config_applied.version == 9
    assert fanout.open_feeds == 1
    fanout.detach()
    assert fake.subscribers == []
