"""The admin API's control-plane figures, on real mesh-proxy processes.

A plain script, not a test: `python tests/perf/bench_control.py` (`make bench-control`).

- apply20_p99_ms: one config applied to 20 sidecars at once with `apply_to_many`; the time until
  the last one acknowledged, p99 over 20 applies (target <= 250 ms).
- drain_effect_ms: with traffic flowing, SetDrain(endpoint); the latest send time of a request
  that still reached the drained endpoint, after the acknowledgement (target <= 100 ms; 0 means
  no request sent after the ack got there). Worst of DRAIN_CYCLES drains.
- watch50_cpu_pct: a sidecar's CPU while 50 WatchStats streams at 1 s run for 30 s (target < 5%).

Prints one line per figure and, last, one JSON line with all of them.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))  # run as a script: the shared test harness lives in tests/

import aiohttp  # noqa: E402

from proxy.admin.client import AdminClient  # noqa: E402
from proxy.admin.fanout import apply_to_many  # noqa: E402
from tests.harness.admin import admin_client, admin_settings  # noqa: E402
from tests.harness.processes import (  # noqa: E402
    ProcessPool,
    RunningSidecar,
    SidecarPorts,
    wait_ready,
)
from tests.harness.topology import LiveMesh, start_mesh  # noqa: E402

SIDECARS = 20
APPLIES = 20
DRAIN_CYCLES = 10
WATCH_STREAMS = 50
WATCH_S = 30.0
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def p99(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def fleet_mesh(version: int, weight: int) -> dict[str, Any]:
    endpoints = [
        {"name": f"inventory-{i}", "address": f"127.0.0.1:{20000 + i}", "weight": weight}
        for i in range(1, 5)
    ]
    return {
        "version": version,
        "services": {"inventory": {"endpoints": endpoints}},
        "routes": {"inventory": [{"backends": [{"service": "inventory"}], "timeout": "2s"}]},
    }


def start_fleet(pool: ProcessPool) -> list[RunningSidecar]:
    sidecars = []
    for index in range(SIDECARS):
        settings = {"service": "web", "instance": f"web-{index}", "app": None}
        settings |= admin_settings(pool.workdir, state_dir=str(pool.workdir / f"state-{index}"))
        ports = SidecarPorts.allocate()
        sidecars.append(pool.start_sidecar(settings, fleet_mesh(1, 1), ports, wait=False))
    for sidecar in sidecars:
        wait_ready(f"{sidecar.metrics_url}/ready", sidecar)
    return sidecars


async def bench_apply(pool: ProcessPool) -> list[float]:
    sidecars = start_fleet(pool)
    clients = [admin_client(sidecar) for sidecar in sidecars]
    try:
        await asyncio.gather(*(client.get_info() for client in clients))  # connect first
        times = []
        for round_ in range(APPLIES):
            document = json.dumps(fleet_mesh(2 + round_, 1 + round_ % 5))
            started = time.perf_counter()
            outcomes = await apply_to_many(clients, document, expected_version=1 + round_)
            times.append((time.perf_counter() - started) * 1000)
            failed = [outcome for outcome in outcomes if not outcome.ok]
            if failed:
                raise SystemExit(f"apply failed: {failed[0]}")
        return times
    finally:
        for client in clients:
            await client.close()
        for sidecar in sidecars:
            sidecar.stop()


async def bench_drain(mesh: LiveMesh, client: AdminClient) -> tuple[list[float], list[float]]:
    sent_to: list[tuple[float, str]] = []
    stop = asyncio.Event()

    async def traffic(session: aiohttp.ClientSession) -> None:
        while not stop.is_set():
            sent = time.perf_counter()
            async with session.get(mesh.url + "/", headers={"Host": "inventory"}) as resp:
                await resp.read()
                sent_to.append((sent, resp.headers.get("x-served-by", "")))

    effects, acks = [], []
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
        workers = [asyncio.create_task(traffic(session), name=f"traffic {i}") for i in range(4)]
        try:
            for _ in range(DRAIN_CYCLES):
                await asyncio.sleep(0.3)
                asked = time.perf_counter()
                await client.set_drain("inventory-1", True)
                acked = time.perf_counter()
                acks.append((acked - asked) * 1000)
                await asyncio.sleep(0.3)
                late = [t for t, name in sent_to if name == "inventory-1" and t > asked]
                effects.append(max(0.0, max(late, default=acked) - acked) * 1000)
                await client.set_drain("inventory-1", False)
        finally:
            stop.set()
            await asyncio.gather(*workers, return_exceptions=True)
    return effects, acks


async def bench_watch(mesh: LiveMesh, client: AdminClient) -> tuple[float, float]:
    pid = mesh.client.proc.pid
    idle_start = cpu_seconds(pid)
    await asyncio.sleep(5.0)
    idle_pct = (cpu_seconds(pid) - idle_start) / 5.0 * 100

    async def watch() -> None:
        async for _ in client.watch_stats(1.0):
            pass

    tasks = [asyncio.create_task(watch(), name=f"watch {i}") for i in range(WATCH_STREAMS)]
    await asyncio.sleep(1.0)  # every stream open and past its first snapshot
    start, started = cpu_seconds(pid), time.monotonic()
    await asyncio.sleep(WATCH_S)
    busy_pct = (cpu_seconds(pid) - start) / (time.monotonic() - started) * 100
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return busy_pct, idle_pct


async def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="bench-control-"))
    pool = ProcessPool(workdir)
    try:
        apply_ms = await bench_apply(pool)
        print(
            f"apply to {SIDECARS} sidecars      p50 {statistics.median(apply_ms):7.1f} ms"
            f"   p99 {p99(apply_ms):7.1f} ms  ({APPLIES} applies; target p99 <= 250 ms)"
        )
        mesh = start_mesh(
            pool,
            [("inventory-1", {}), ("inventory-2", {})],
            client_settings=admin_settings(workdir),
        )
        async with admin_client(mesh.client) as client:
            effects, acks = await bench_drain(mesh, client)
            print(
                f"drain effect after ack       max {max(effects):7.1f} ms"
                f"   (ack p50 {statistics.median(acks):.1f} ms, max {max(acks):.1f} ms;"
                f" {DRAIN_CYCLES} drains under traffic; target <= 100 ms)"
            )
            busy, idle = await bench_watch(mesh, client)
            print(
                f"sidecar CPU, {WATCH_STREAMS} WatchStats @1s  {busy:7.2f} %"
                f"   (idle {idle:.2f} %; {WATCH_S:.0f} s; target < 5% of a core)"
            )
    finally:
        pool.stop_all()
    print(
        json.dumps(
            {
                "apply20_p99_ms": round(p99(apply_ms), 1),
                "apply20_p50_ms": round(statistics.median(apply_ms), 1),
                "drain_effect_ms": round(max(effects), 1),
                "drain_ack_p50_ms": round(statistics.median(acks), 1),
                "watch50_cpu_pct": round(busy, 2),
                "idle_cpu_pct": round(idle, 2),
            }
        )
    )


if __name__ == "__main__":
    asyncio.run(main())
