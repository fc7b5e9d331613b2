"""WatchStats and WatchEvents on real sidecars: many streams at bounded memory, cumulative
counters, and the events of a real ejection, readmission and drain."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import pytest

from proxy.admin.models import (
    AdminEvent,
    ConfigAppliedEvent,
    DrainChangedEvent,
    EndpointEjectedEvent,
    EndpointReadmittedEvent,
    StatsSnapshot,
)
from tests.harness.admin import admin_client, admin_settings, rss_kb
from tests.harness.load import drive
from tests.harness.processes import ProcessPool
from tests.harness.topology import start_mesh

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(90)]
STREAMS = 50
WATCH_S = 5.0
INTERVAL_S = 0.2


async def test_fifty_stats_streams_stay_cumulative_at_bounded_memory(
    processes: ProcessPool,
) -> None:
    mesh = start_mesh(
        processes, [("inventory-1", {})], client_settings=admin_settings(processes.workdir)
    )
    pid = mesh.client.proc.pid
    stop = asyncio.Event()
    load = asyncio.create_task(
        drive(mesh.url, host="inventory", stop=stop, duration=30, concurrency=2), name="load"
    )
    received: list[list[StatsSnapshot]] = [[] for _ in range(STREAMS)]
    rss: list[int] = []

    async with admin_client(mesh.client) as client:

        async def watch(index: int) -> None:
            async for snapshot in client.watch_stats(INTERVAL_S):
                received[index].append(snapshot)
                if index == 0 and len(received[0]) <= 3:
                    await asyncio.sleep(2.0)  # a slow reader: the sidecar must not pile up

        started = time.monotonic()
        tasks = [asyncio.create_task(watch(i), name=f"watch {i}") for i in range(STREAMS)]
        try:
            await asyncio.sleep(1.0)
            rss.append(rss_kb(pid))
            await asyncio.sleep(WATCH_S - 1.0)
            rss.append(rss_kb(pid))
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            stop.set()
            await load
        elapsed = time.monotonic() - started
    assert all(received), "every stream got its first snapshot"
    expected = elapsed / INTERVAL_S
    fast = [len(snapshots) for snapshots in received[1:]]
    assert min(fast) >= expected * 0.6, fast
    assert len(received[0]) < min(fast), "the slow reader got fewer, not a backlog"
    assert rss[1] - rss[0] < 8 * 1024, f"sidecar RSS grew {rss[0]} -> {rss[1]} kB"
    totals = [_requests(snapshot) for snapshot in received[1]]
    assert totals == sorted(totals) and totals[-1] > totals[0], "cumulative, and moving"


def _requests(snapshot: StatsSnapshot) -> int:
    return sum(edge.requests for edge in snapshot.http_edges if edge.reporter == "source")


async def test_events_report_ejection_readmission_and_drain(processes: ProcessPool) -> None:
    outlier = {"consecutive_failures": 2, "base_ejection_time": "1s", "max_ejection_percent": 50}
    mesh = start_mesh(
        processes,
        [("inventory-1", {}), ("inventory-2", {})],
        service_extra={"outlier_detection": outlier},
        client_settings=admin_settings(processes.workdir),
    )
    broken = mesh.instances[1].app
    assert broken is not None
    broken.stop()  # its sidecar now answers 503: the client sidecar should eject it
    events: list[AdminEvent] = []
    async with admin_client(mesh.client) as client:

        async def collect() -> None:
            async for event in client.watch_events():
                events.append(event)

        collector = asyncio.create_task(collect(), name="collect events")
        try:
            await asyncio.sleep(0.3)
            await drive(mesh.url, host="inventory", requests=40, concurrency=2)
            await _until(lambda: any(isinstance(e, EndpointReadmittedEvent) for e in events))
            await client.set_drain("inventory-1", True)
            await _until(lambda: any(isinstance(e, DrainChangedEvent) for e in events))
        finally:
            collector.cancel()
            await asyncio.gather(collector, return_exceptions=True)
    ejected = [e for e in events if isinstance(e, EndpointEjectedEvent)]
    assert ejected and ejected[0].endpoint == "inventory-2" and ejected[0].service == "inventory"
    assert ejected[0].duration_s == pytest.approx(1.0, abs=0.1)
    readmitted = next(e for e in events if isinstance(e, EndpointReadmittedEvent))
    assert readmitted.endpoint == "inventory-2" and readmitted.at >= ejected[0].at
    applied = [e for e in events if isinstance(e, ConfigAppliedEvent)]
    assert [(e.version, e.by) for e in applied] == [(2, "drain by e2e")]
    drain = next(e for e in events if isinstance(e, DrainChangedEvent))
    assert (drain.target, drain.drained) == ("inventory-1", True)


async def _until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)
