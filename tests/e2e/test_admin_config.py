"""The admin API changes config on real sidecars: under load without failing a request, never on
a stale version or a bad document, and a restarted sidecar comes back as it was left."""

from __future__ import annotations

import asyncio
import copy
import json
from pathlib import Path
from typing import Any

import pytest

from proxy.admin.errors import InvalidConfigError, VersionConflictError
from tests.harness.admin import admin_client, admin_settings
from tests.harness.load import drive
from tests.harness.processes import ProcessPool
from tests.harness.topology import LiveMesh, start_mesh

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(90)]


def start_admin_mesh(processes: ProcessPool, count: int) -> LiveMesh:
    settings = admin_settings(processes.workdir, state_dir=str(processes.workdir / "state"))
    instances = [(f"inventory-{i}", {"version": f"v{i}"}) for i in range(1, count + 1)]
    return start_mesh(processes, instances, client_settings=settings)


def with_changes(mesh: dict[str, Any], *, drained: str | None, weight: int) -> str:
    doc = copy.deepcopy(mesh)
    for endpoint in doc["services"]["inventory"]["endpoints"]:
        endpoint["drained"] = endpoint["name"] == drained
        endpoint["weight"] = weight if endpoint["name"] == "inventory-2" else 1
    return json.dumps(doc)


async def test_applies_under_load_fail_no_request(processes: ProcessPool) -> None:
    mesh = start_admin_mesh(processes, 2)
    stop = asyncio.Event()
    load = asyncio.create_task(
        drive(mesh.url, host="inventory", stop=stop, duration=60, concurrency=6), name="load"
    )
    try:
        async with admin_client(mesh.client) as client:
            version = (await client.get_config()).version
            for round_ in range(12):
                drained = "inventory-1" if round_ % 2 == 0 else None
                document = with_changes(mesh.mesh, drained=drained, weight=1 + round_)
                version = await client.apply_config(document, expected_version=version)
                if drained:
                    burst = await drive(mesh.url, host="inventory", requests=30, concurrency=2)
                    assert burst.served_by["inventory-1"] == 0, burst
                await asyncio.sleep(0.2)
            assert (await client.get_info()).config_version == version
    finally:
        stop.set()
        result = await load
    assert result.total > 300, result
    assert result.failed == 0, result
    assert result.served_by["inventory-1"] > 0 and result.served_by["inventory-2"] > 0


async def test_stale_and_bad_documents_leave_the_running_config(processes: ProcessPool) -> None:
    mesh = start_admin_mesh(processes, 1)
    async with admin_client(mesh.client) as client:
        before = await client.get_config()
        with pytest.raises(VersionConflictError) as stale:
            await client.apply_config(before.document, expected_version=before.version - 1)
        assert stale.value.current_version == before.version
        bad = copy.deepcopy(mesh.mesh)
        bad["services"]["inventory"]["endpoints"][0]["address"] = "no-port"
        bad["routes"] = {"inventory": [{"backends": [{"service": "inventroy"}]}]}
        bad["services"]["inventory"]["circuit_breaker"] = {"max_requests": -1}
        with pytest.raises(InvalidConfigError) as invalid:
            await client.apply_config(json.dumps(bad), expected_version=before.version)
        paths = {problem.path for problem in invalid.value.problems}
        assert {
            "services.inventory.endpoints[0].address",
            "services.inventory.circuit_breaker.max_requests",
        } <= paths, invalid.value.problems
        after = await client.get_config()
    assert after == before
    result = await drive(mesh.url, host="inventory", requests=20, concurrency=2)
    assert result.statuses[200] == 20, result


async def test_a_restarted_sidecar_comes_back_with_its_config_and_drains(
    processes: ProcessPool,
) -> None:
    mesh = start_admin_mesh(processes, 2)
    async with admin_client(mesh.client) as client:
        await client.set_drain("inventory-1", True)
        applied = await client.get_config()
    assert Path(processes.workdir / "state" / "mesh-config.json").exists()
    mesh.client = processes.restart_sidecar(mesh.client)
    async with admin_client(mesh.client) as client:
        restored = await client.get_config()
        info = await client.get_info()
    assert restored == applied and info.config_version == applied.version
    assert restored.mesh().services["inventory"].endpoints[0].drained
    result = await drive(mesh.url, host="inventory", requests=40, concurrency=4)
    assert result.served_by == {"inventory-2": 40}, result
