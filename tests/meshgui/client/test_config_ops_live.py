"""Config fetch and apply against real sidecars: every sidecar applies; one changed meanwhile is
stale; a wrong token is denied and named while the others apply; a dead or silent sidecar is
unreachable within a bounded time."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from meshgui.client import ConfigChannel, MeshClient, config_ops
from meshgui.client.config_ops import (
    ApplyProgress,
    SidecarConfig,
    apply_change,
    base_config,
    fetch_configs,
    lagging,
)
from meshgui.client.targets import SidecarTarget
from meshgui.demo.ports import free_ports
from meshgui.model.mesh_change import MeshChange
from meshgui.model.mesh_edits import reroute
from proxy.config import MeshConfig
from tests.harness.admin import ADMIN_TOKEN, admin_client, admin_settings
from tests.harness.processes import ProcessPool, RunningSidecar, SidecarPorts

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(90)]
INSTANCES = {"web-1": ("web", {}), "inventory-1": ("inventory", {"version": "v1"})}
INSTANCES["inventory-2"] = ("inventory", {"version": "v2"})


def mesh_document(ports: dict[str, SidecarPorts]) -> dict[str, Any]:
    services: dict[str, Any] = {}
    for name, (service, labels) in INSTANCES.items():
        endpoint = {"name": name, "address": f"127.0.0.1:{ports[name].inbound}", "labels": labels}
        services.setdefault(service, {"endpoints": []})["endpoints"].append(endpoint)
    services["inventory"]["subsets"] = {"v1": {"version": "v1"}, "v2": {"version": "v2"}}
    routes = {"inventory": [{"name": "default", "backends": [{"service": "inventory"}]}]}
    return {"version": 1, "services": services, "routes": routes}


@pytest.fixture(scope="module")
def sidecars(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, RunningSidecar]]:
    """Three sidecars with the admin API (no apps: only their config is exercised)."""
    pool = ProcessPool(tmp_path_factory.mktemp("config-ops"))
    try:
        ports = {name: SidecarPorts.allocate() for name in INSTANCES}
        mesh = mesh_document(ports)
        started = {}
        for name, (service, labels) in INSTANCES.items():
            settings = {"service": service, "instance": name, "labels": labels, "app": None}
            settings.update(admin_settings(pool.workdir))
            started[name] = pool.start_sidecar(settings, mesh, ports[name])
        yield started
    finally:
        pool.stop_all()


def target(sidecar: RunningSidecar, token: str = ADMIN_TOKEN) -> SidecarTarget:
    return SidecarTarget(sidecar.name, f"127.0.0.1:{sidecar.ports.admin}", token)


def targets(sidecars: dict[str, RunningSidecar]) -> list[SidecarTarget]:
    return [target(sidecar) for sidecar in sidecars.values()]


async def fresh_change(
    chosen: list[SidecarTarget],
) -> tuple[dict[str, SidecarConfig], MeshConfig, dict[str, int], MeshChange]:
    configs = await fetch_configs(chosen)
    base, versions = base_config(configs)
    assert base is not None, configs
    change = reroute(base, "inventory", "inventory@v1", "inventory@v2", 0.25)
    return configs, base, versions, change


async def test_fetch_and_apply_on_every_sidecar(sidecars: dict[str, RunningSidecar]) -> None:
    configs, base, versions, change = await fresh_change(targets(sidecars))
    assert set(configs) == set(INSTANCES)
    assert all(c.error is None and c.mesh == base for c in configs.values()), configs
    assert lagging(configs) == []
    heard: list[ApplyProgress] = []
    report = await apply_change(targets(sidecars), change, versions, heard.append)
    assert report.ok, report.results
    assert sorted(p.sidecar_id for p in heard) == sorted(INSTANCES)
    after = await fetch_configs(targets(sidecars))
    for sid, config in after.items():
        assert config.version == report.results[sid].version == base.version + 1
        assert config.mesh == change.after, sid


async def test_a_sidecar_changed_meanwhile_is_stale_while_the_others_apply(
    sidecars: dict[str, RunningSidecar],
) -> None:
    _, _, versions, change = await fresh_change(targets(sidecars))
    async with admin_client(sidecars["inventory-2"]) as client:  # another operator, meanwhile
        await client.set_drain("inventory-1", True)
        moved_on = await client.set_drain("inventory-1", False)
    report = await apply_change(targets(sidecars), change, versions, lambda _: None)
    assert report.stale == ["inventory-2"] and report.failed == []
    stale = report.results["inventory-2"]
    assert stale.version == moved_on == versions["inventory-2"] + 2
    assert f"not {versions['inventory-2']}" in stale.message
    assert report.applied == ["inventory-1", "web-1"]
    assert lagging(await fetch_configs(targets(sidecars))) == ["inventory-1", "web-1"]


async def test_a_wrong_token_is_denied_and_named_while_the_others_apply(
    sidecars: dict[str, RunningSidecar],
) -> None:
    chosen = targets(sidecars)
    _, _, versions, change = await fresh_change(chosen)
    chosen[1] = target(sidecars["inventory-1"], token="not-the-token")
    report = await apply_change(chosen, change, versions, lambda _: None)
    denied = report.results["inventory-1"]
    assert denied.state == "denied"
    assert "inventory-1" in denied.message and "refused the admin token" in denied.message
    assert "not-the-token" not in denied.message
    assert report.applied == ["inventory-2", "web-1"]


async def test_dead_and_silent_sidecars_are_unreachable_within_a_bound(
    sidecars: dict[str, RunningSidecar], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(config_ops, "OPERATION_TIMEOUT_S", 3.0)
    _, _, versions, change = await fresh_change(targets(sidecars))
    (closed_port,) = free_ports(1)  # nothing listens there: a sidecar that died
    silent = socket.create_server(("127.0.0.1", 0))  # accepts, never answers: one that hangs
    try:
        dead = SidecarTarget("dead-1", f"127.0.0.1:{closed_port}", ADMIN_TOKEN)
        hung = SidecarTarget("hung-1", f"127.0.0.1:{silent.getsockname()[1]}", ADMIN_TOKEN)
        started = time.monotonic()
        report = await apply_change(
            [*targets(sidecars), dead, hung],
            change,
            {**versions, "dead-1": 1, "hung-1": 1},
            lambda _: None,
        )
        elapsed = time.monotonic() - started
    finally:
        silent.close()
    assert elapsed < config_ops.RETRY_FOR_S + 3.0 + 2.0, elapsed
    assert report.results["dead-1"].state == "unreachable", report.results["dead-1"]
    assert report.results["hung-1"].state == "unreachable", report.results["hung-1"]
    assert "dead-1 (127.0.0.1:" in report.results["dead-1"].message
    assert report.applied == sorted(INSTANCES)


def test_the_channel_reads_and_applies_through_the_apps_client(
    qtbot: QtBot, sidecars: dict[str, RunningSidecar]
) -> None:
    client = MeshClient(interval=0.5)
    try:
        channel = ConfigChannel(client)
        client.connect_to(targets(sidecars))
        with qtbot.waitSignal(channel.fetched, timeout=15_000) as fetched:
            channel.fetch()
        base, versions = base_config(fetched.args[1])
        assert base is not None and set(versions) == set(INSTANCES)
        change = reroute(base, "inventory", "inventory@v2", "inventory@v1", 0.5)
        with qtbot.waitSignal(channel.applied, timeout=15_000) as applied:
            channel.apply(change, versions)
        assert applied.args[1].ok, applied.args[1].results
    finally:
        client.shutdown()
