"""Properties of reroutes over generated meshes: integer weights with the same total, the share
moved is the share asked for (within rounding), the result validates, undo restores it."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meshgui.model.mesh_edits import MeshEditError, inverse, mesh_diff, move_inbound, reroute
from meshgui.model.node_ids import split_node_id
from proxy.config import MeshConfig, RouteConfig, parse_mesh_document

SERVICES = ("alpha", "beta", "gamma")
VERSIONS = ("v1", "v2", "v3")


@st.composite
def meshes(draw: st.DrawFn) -> MeshConfig:
    services: dict[str, Any] = {}
    port = 10000
    for service in SERVICES:
        versions = draw(st.lists(st.sampled_from(VERSIONS), min_size=1, max_size=3))
        endpoints = []
        for number, version in enumerate(versions, start=1):
            weight = draw(st.integers(1, 5))
            labels = {"version": version}
            name = f"{service}-{number}"
            endpoints.append(
                {"name": name, "address": f"127.0.0.1:{port}", "weight": weight, "labels": labels}
            )
            port += 1
        subsets = {v: {"version": v} for v in sorted(set(versions)) if draw(st.booleans())}
        services[service] = {"endpoints": endpoints, "subsets": subsets}
    routes: dict[str, list[dict[str, Any]]] = {}
    for destination in SERVICES:
        if draw(st.booleans()):
            continue  # the default catch-all route
        route_list = []
        for index in range(draw(st.integers(1, 2))):
            backends = []
            for _ in range(draw(st.integers(1, 4))):
                service = draw(st.sampled_from(SERVICES))
                subset = draw(st.sampled_from([None, *services[service]["subsets"]]))
                backend: dict[str, Any] = {"service": service, "weight": draw(st.integers(0, 150))}
                if subset is not None:
                    backend["subset"] = subset
                backends.append(backend)
            if sum(b["weight"] for b in backends) == 0:
                backends[0]["weight"] = 1
            route_list.append({"name": f"r{index}", "backends": backends})
        routes[destination] = route_list
    version = draw(st.integers(0, 50))
    return parse_mesh_document({"version": version, "services": services, "routes": routes})


def node_share(mesh: MeshConfig, route: RouteConfig, node: str) -> float:
    """The fraction of `route`'s traffic that reaches `node` (no drained endpoints here)."""
    service, version = split_node_id(node)
    total = sum(b.weight for b in route.backends)
    reached = 0.0
    for backend in route.backends:
        if backend.service != service:
            continue
        config = mesh.services[service]
        selected = config.endpoints_in_subset(backend.subset)
        if version is not None:
            weight = sum(e.weight for e in selected)
            matching = sum(e.weight for e in selected if e.version == version)
            reached += backend.weight / total * matching / weight
        else:
            reached += backend.weight / total
    return reached


def nodes(mesh: MeshConfig) -> list[str]:
    found = list(SERVICES)
    for service in SERVICES:
        found.extend(f"{service}@{e.version}" for e in mesh.services[service].endpoints)
    return sorted(set(found))


def disjoint(first: str, second: str) -> bool:
    (a, va), (b, vb) = split_node_id(first), split_node_id(second)
    return a != b or (va is not None and vb is not None and va != vb)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mesh=meshes(), data=st.data())
def test_a_reroute_moves_the_share_asked_for_and_keeps_integer_totals(
    mesh: MeshConfig, data: st.DataObject
) -> None:
    destination = data.draw(st.sampled_from(SERVICES))
    move_from = data.draw(st.sampled_from(nodes(mesh)))
    move_to = data.draw(st.sampled_from([n for n in nodes(mesh) if disjoint(n, move_from)]))
    share = data.draw(st.floats(0.01, 1.0))
    try:
        change = reroute(mesh, destination, move_from, move_to, share)
    except MeshEditError as exc:
        assert "sends traffic to" in str(exc)
        assert all(node_share(mesh, r, move_from) == 0 for r in mesh.routes_for(destination))
        return
    after = change.after
    assert after.version == mesh.version + 1
    assert parse_mesh_document(after.model_dump(mode="json")) == after  # it validates
    old_routes, new_routes = mesh.routes_for(destination), after.routes[destination]
    assert len(old_routes) == len(new_routes)
    for old, new in zip(old_routes, new_routes, strict=True):
        old_total = sum(b.weight for b in old.backends)
        new_total = sum(b.weight for b in new.backends)
        assert all(isinstance(b.weight, int) and b.weight >= 0 for b in new.backends)
        sent = node_share(mesh, old, move_from)
        if sent == 0:
            assert new == old
            continue
        assert new_total == (old_total if old_total >= 100 else 100)
        # Rounding moves each backend by less than one unit of the total.
        slack = len(new.backends) / new_total + 1e-9
        gained = node_share(after, new, move_to) - node_share(mesh, old, move_to)
        assert abs(gained - share * sent) <= slack, (old, new)
        kept = node_share(after, new, move_from)
        assert abs(kept - (1 - share) * sent) <= slack, (old, new)
    for other in SERVICES:
        if other != destination:
            assert after.routes_for(other) == mesh.routes_for(other)
    undo = inverse(change, after)
    assert undo.after == mesh.with_version(after.version + 1)
    assert mesh_diff(undo.after, mesh) == ""


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mesh=meshes(), data=st.data())
def test_move_inbound_touches_only_destinations_that_send_to_the_node(
    mesh: MeshConfig, data: st.DataObject
) -> None:
    move_from = data.draw(st.sampled_from(nodes(mesh)))
    move_to = data.draw(st.sampled_from([n for n in nodes(mesh) if disjoint(n, move_from)]))
    try:
        change = move_inbound(mesh, move_from, move_to, 0.5)
    except MeshEditError:
        assert all(
            node_share(mesh, r, move_from) == 0 for d in SERVICES for r in mesh.routes_for(d)
        )
        return
    for destination in SERVICES:
        sent = any(node_share(mesh, r, move_from) > 0 for r in mesh.routes_for(destination))
        unchanged = change.after.routes_for(destination) == mesh.routes_for(destination)
        assert sent or unchanged


@given(mesh=meshes(), version=st.integers(0, 1000))
def test_the_diff_of_identical_contents_is_empty(mesh: MeshConfig, version: int) -> None:
    assert mesh_diff(mesh, mesh.with_version(version)) == ""
