"""ProxyAdmin over a real gRPC server and a real in-process sidecar: every call, every error."""

from __future__ import annotations

import asyncio
import json

import pytest

from proxy.admin.errors import (
    InvalidArgumentError,
    InvalidConfigError,
    NotFoundError,
    VersionConflictError,
)
from proxy.admin.models import ConfigAppliedEvent, DrainChangedEvent
from proxy.config import dump_mesh_yaml, parse_mesh_document
from proxy.state import STATE_FILE
from tests.proxy.admin.conftest import LiveAdmin, mesh_document

pytestmark = pytest.mark.timeout(30)


async def test_get_info_describes_the_sidecar(live: LiveAdmin) -> None:
    info = await live.client.get_info()
    assert (info.service, info.namespace, info.instance) == ("web", "default", "web-1")
    assert info.labels == {"version": "v1"}
    assert info.state == "ready"
    assert info.config_version == 1
    assert info.started_at == pytest.approx(live.sidecar.started_at)
    listeners = {listener.name: listener.address for listener in info.listeners}
    assert listeners["admin"] == live.target
    assert set(listeners) >= {"outbound", "metrics", "admin", "tcp:inventory-db"}


async def test_get_config_round_trips_through_the_schema(live: LiveAdmin) -> None:
    state = await live.client.get_config()
    assert state.version == 1
    assert state.mesh() == live.sidecar.mesh


async def test_apply_bumps_the_version_persists_and_names_the_operator(live: LiveAdmin) -> None:
    events = live.server.events.open()
    doc = mesh_document(version=1)
    doc["services"]["inventory"]["endpoints"][1]["weight"] = 5
    version = await live.client.apply_config(json.dumps(doc), expected_version=1)
    assert version == 2  # the document said 1: the sidecar moves on to current + 1
    assert live.sidecar.mesh.services["inventory"].endpoints[1].weight == 5
    state_dir = live.sidecar.settings.state_dir
    assert state_dir is not None
    assert parse_mesh_document((state_dir / STATE_FILE).read_text()).version == 2
    event = await asyncio.wait_for(events.next(), 5)
    assert event.config_applied.version == 2 and event.config_applied.by == "tester"
    assert await live.client.apply_config(json.dumps(mesh_document(version=40)), None) == 40


async def test_a_stale_version_is_refused_naming_the_current_one(live: LiveAdmin) -> None:
    document = dump_mesh_yaml(live.sidecar.mesh)
    await live.client.apply_config(document, expected_version=1)
    with pytest.raises(VersionConflictError) as caught:
        await live.client.apply_config(document, expected_version=1)
    assert caught.value.current_version == 2
    assert "current one is 2" in caught.value.message
    assert live.sidecar.mesh.version == 2


async def test_a_bad_document_lists_every_problem_and_changes_nothing(live: LiveAdmin) -> None:
    before = live.sidecar.mesh
    doc = mesh_document(version=9)
    doc["services"]["inventory"]["endpoints"][0]["weight"] = 0
    doc["services"]["inventory"]["load_balancer"] = "random"
    doc["services"]["inventory"]["endpoints"][1]["adress"] = "x"
    with pytest.raises(InvalidConfigError) as caught:
        await live.client.apply_config(json.dumps(doc), expected_version=1)
    paths = {problem.path for problem in caught.value.problems}
    assert paths == {
        "services.inventory.endpoints[0].weight",
        "services.inventory.load_balancer",
        "services.inventory.endpoints[1].adress",
    }
    assert all(problem.reason for problem in caught.value.problems)
    assert "services.inventory.load_balancer" in caught.value.message
    assert live.sidecar.mesh is before


async def test_yaml_syntax_errors_and_non_mappings_are_invalid_configs(live: LiveAdmin) -> None:
    for document in ("services: [unclosed", "- a list", ""):
        with pytest.raises(InvalidConfigError) as caught:
            await live.client.apply_config(document, expected_version=None)
        assert caught.value.problems, document
    assert live.sidecar.mesh.version == 1


async def test_a_config_without_this_sidecars_tcp_destination_is_refused(live: LiveAdmin) -> None:
    doc = mesh_document(version=2)
    del doc["services"]["inventory-db"]
    with pytest.raises(InvalidConfigError) as caught:
        await live.client.apply_config(json.dumps(doc), expected_version=None)
    assert [problem.path for problem in caught.value.problems] == ["services.inventory-db"]


async def test_set_drain_endpoint_service_and_self(live: LiveAdmin) -> None:
    assert await live.client.set_drain("inventory-1", True) == 2
    assert live.sidecar.mesh.services["inventory"].endpoints[0].drained
    assert await live.client.set_drain("inventory", True) == 3
    assert live.sidecar.mesh.services["inventory"].drained
    assert await live.client.set_drain("self", True) == 3  # no config change for self
    assert (await live.client.get_info()).state == "draining"
    # The overall health follows readiness; the admin service itself stays up.
    assert await live.client.health() == "NOT_SERVING"
    assert await live.client.health("mesh.admin.v1.ProxyAdmin") == "SERVING"
    await live.client.set_drain("self", False)
    assert (await live.client.get_info()).state == "ready"
    assert await live.client.health() == "SERVING"


async def test_set_drain_refuses_unknown_and_empty_targets(live: LiveAdmin) -> None:
    with pytest.raises(NotFoundError):
        await live.client.set_drain("nobody", True)
    with pytest.raises(InvalidArgumentError):
        await live.client.set_drain("  ", True)
    assert live.sidecar.mesh.version == 1


async def test_watch_stats_sends_the_first_snapshot_at_once(live: LiveAdmin) -> None:
    stream = live.client.watch_stats(interval=3600)
    first = await asyncio.wait_for(anext(stream), 5)  # an hour's interval: only "at once" fits
    await stream.aclose()
    assert first.config_version == 1
    assert {endpoint.name for endpoint in first.endpoints} == {"inventory-1", "inventory-2", "db-1"}
    by_name = {endpoint.name: endpoint for endpoint in first.endpoints}
    assert by_name["inventory-2"].service == "inventory"
    assert by_name["db-1"].service == "inventory-db"
    assert by_name["inventory-1"].healthy and not by_name["inventory-1"].drained


async def test_watch_stats_refuses_a_silly_interval(live: LiveAdmin) -> None:
    stream = live.client.watch_stats(interval=0.001)
    with pytest.raises(InvalidArgumentError):
        await asyncio.wait_for(anext(stream), 5)


async def test_watch_events_reports_applies_and_drains(live: LiveAdmin) -> None:
    stream = live.client.watch_events()
    first = asyncio.ensure_future(anext(stream))
    for _ in range(100):  # the server registers the feed when the call arrives
        if live.server.events.open_feeds:
            break
        await asyncio.sleep(0.01)
    await live.client.set_drain("inventory-2", True)
    applied = await asyncio.wait_for(first, 5)
    drained = await asyncio.wait_for(anext(stream), 5)
    await stream.aclose()
    assert isinstance(applied, ConfigAppliedEvent)
    assert (applied.version, applied.by) == (2, "drain by tester")
    assert isinstance(drained, DrainChangedEvent)
    assert (drained.target, drained.drained) == ("inventory-2", True)


async def test_a_stopping_sidecar_reports_not_serving_but_still_answers(live: LiveAdmin) -> None:
    await live.server.mark_stopping()
    assert await live.client.health() == "NOT_SERVING"
    assert (await live.client.get_info()).instance == "web-1"
