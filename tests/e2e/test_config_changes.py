"""Config changes under load fail no request: drains and route changes by file + SIGHUP."""

from __future__ import annotations

import asyncio
import copy
from typing import Any

import pytest

from tests.harness.load import drive
from tests.harness.processes import ProcessPool
from tests.harness.topology import LiveMesh, start_mesh

pytestmark = pytest.mark.e2e
SUBSETS = {"v1": {"version": "v1"}, "v2": {"version": "v2"}}


def with_drain(mesh: LiveMesh, endpoint: str, drained: bool) -> dict[str, Any]:
    doc = copy.deepcopy(mesh.mesh)
    doc["version"] += 1
    for ep in doc["services"]["inventory"]["endpoints"]:
        if ep["name"] == endpoint:
            ep["drained"] = drained
    return doc


async def wait_version(mesh: LiveMesh, version: int, timeout: float = 5.0) -> None:
    """The sidecar logs each applied version; wait (bounded) until this one shows."""
    deadline = asyncio.get_running_loop().time() + timeout
    marker = f"ConfigApplied(version={version},"
    while marker not in mesh.client.log():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"version {version} not applied:\n{mesh.client.log()}")
        await asyncio.sleep(0.05)


async def test_drain_undrain_cycles_fail_nothing(processes: ProcessPool) -> None:
    mesh = start_mesh(processes, [("inventory-1", {}), ("inventory-2", {})])
    stop = asyncio.Event()
    load = asyncio.create_task(
        drive(mesh.url, host="inventory", stop=stop, duration=60, concurrency=6), name="load"
    )
    try:
        for _ in range(10):
            mesh.rewrite_mesh(with_drain(mesh, "inventory-1", True))
            await wait_version(mesh, mesh.mesh["version"])
            burst = await drive(mesh.url, host="inventory", requests=40, concurrency=2)
            assert burst.served_by["inventory-1"] == 0, burst  # drained: no new requests
            mesh.rewrite_mesh(with_drain(mesh, "inventory-1", False))
            await wait_version(mesh, mesh.mesh["version"])
            await asyncio.sleep(0.5)
    finally:
        stop.set()
        result = await load
    assert result.total > 500, result
    assert result.failed == 0, result
    assert result.served_by["inventory-1"] > 0 and result.served_by["inventory-2"] > 0


async def test_fifty_route_changes_under_load_fail_nothing(processes: ProcessPool) -> None:
    routes = [
        {
            "backends": [
                {"service": "inventory", "subset": "v1", "weight": 100},
                {"service": "inventory", "subset": "v2", "weight": 0},
            ]
        }
    ]
    mesh = start_mesh(
        processes,
        [("inventory-1", {"version": "v1"}), ("inventory-2", {"version": "v2"})],
        service_extra={"subsets": SUBSETS},
        routes=routes,
    )
    stop = asyncio.Event()
    load = asyncio.create_task(
        drive(mesh.url, host="inventory", stop=stop, duration=60, concurrency=6), name="load"
    )
    try:
        for i in range(50):
            doc = copy.deepcopy(mesh.mesh)
            doc["version"] += 1
            v2 = (i * 37) % 101
            doc["routes"]["inventory"][0]["backends"][0]["weight"] = 100 - v2
            doc["routes"]["inventory"][0]["backends"][1]["weight"] = v2
            if v2 == 100:
                doc["routes"]["inventory"][0]["backends"][0]["weight"] = 1
            mesh.rewrite_mesh(doc)
            await wait_version(mesh, doc["version"])
    finally:
        stop.set()
        result = await load
    assert result.total > 300, result
    assert result.failed == 0, result
    assert result.served_by["inventory-2"] > 0


async def test_bad_config_file_is_refused_and_running_config_stays(
    processes: ProcessPool,
) -> None:
    mesh = start_mesh(processes, [("inventory-1", {})])
    broken = copy.deepcopy(mesh.mesh)
    broken["version"] += 1
    broken["services"]["inventory"]["endpoints"][0]["weight"] = -5
    mesh.rewrite_mesh(broken)
    deadline = asyncio.get_running_loop().time() + 5
    while "config reload refused" not in mesh.client.log():
        assert asyncio.get_running_loop().time() < deadline, mesh.client.log()
        await asyncio.sleep(0.05)
    assert "endpoints[0].weight" in mesh.client.log()
    result = await drive(mesh.url, host="inventory", requests=50, concurrency=2)
    assert result.failed == 0 and result.served_by["inventory-1"] == 50, result
