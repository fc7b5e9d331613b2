"""Warnings for changes that drop what carries traffic: every service at once, a service, a
route; and TCP services left with no instance to connect to."""

from __future__ import annotations

from typing import Any

from meshgui.model.drain_warnings import left_without_targets, removal_warnings
from meshgui.model.mesh_edits import reroute, set_drained
from meshgui.model.traffic_forecast import BYTES, Traffic
from proxy.config import MeshConfig, parse_mesh_document
from tests.meshgui.model.demo_mesh import demo_mesh

TRAFFIC = {
    "web": Traffic(54.0),
    "cart": Traffic(54.0),
    "inventory": Traffic(125.0),
    "inventory-db": Traffic(2100.0, BYTES),
    "recommendations": Traffic(36.0),
    "recommendations-lite": Traffic(0.0),
    "product-tags": Traffic(36.0),
}


def without(*services: str) -> MeshConfig:
    document: dict[str, Any] = demo_mesh().model_dump(mode="json")
    for service in services:
        del document["services"][service]
        document["routes"].pop(service, None)
    return parse_mesh_document(document)


def with_inventory_routes(*routes: dict[str, Any]) -> MeshConfig:
    document: dict[str, Any] = demo_mesh().model_dump(mode="json")
    document["routes"]["inventory"] = list(routes)
    return parse_mesh_document(document)


def test_removing_every_service_is_one_loud_warning_with_the_traffic_now() -> None:
    mesh = demo_mesh()
    [warning] = removal_warnings(mesh, MeshConfig(), TRAFFIC)
    assert warning.startswith("This removes every service from the mesh (all 7)")
    assert "every call between services would fail" in warning
    # Busiest first, HTTP before TCP; idle recommendations-lite is not listed.
    assert warning.endswith(
        "Traffic now: inventory (125 req/s), web (54 req/s), cart (54 req/s), "
        "recommendations (36 req/s), product-tags (36 req/s), inventory-db (2.1 kB/s)."
    )
    [unknown] = removal_warnings(mesh, MeshConfig(), None)
    assert unknown.endswith("Their traffic now is unknown.")
    assert removal_warnings(MeshConfig(), MeshConfig(), TRAFFIC) == []


def test_a_removed_service_is_named_only_while_it_carries_traffic() -> None:
    mesh = demo_mesh()
    assert removal_warnings(mesh, without("product-tags"), TRAFFIC) == [
        "This removes product-tags (36 req/s now): calls to it would fail with 404 (no route)."
    ]
    assert removal_warnings(mesh, without("inventory-db"), TRAFFIC) == [
        "This removes inventory-db (TCP, 2.1 kB/s now): new connections to it would be closed "
        "at once."
    ]
    document = mesh.model_dump(mode="json")  # drop recommendations-lite (idle, weight 0)
    document["routes"]["recommendations"][0]["backends"] = [{"service": "recommendations"}]
    del document["services"]["recommendations-lite"], document["routes"]["recommendations-lite"]
    assert removal_warnings(mesh, parse_mesh_document(document), TRAFFIC) == []
    [blind] = removal_warnings(mesh, without("product-tags"), None)
    assert "product-tags (traffic now unknown)" in blind


def test_many_removed_services_are_one_sentence() -> None:
    [warning] = removal_warnings(
        demo_mesh(), without("web", "product-tags", "inventory-db"), TRAFFIC
    )
    assert warning.startswith(
        "This removes 3 services that receive traffic now: web (54 req/s), "
        "product-tags (36 req/s), inventory-db (2.1 kB/s)."
    )


def test_a_dropped_route_of_a_busy_service_is_named_with_what_happens_to_its_requests() -> None:
    mesh = demo_mesh()
    api_only = with_inventory_routes(
        {"name": "api", "match": {"path_prefix": "/api"}, "backends": [{"service": "inventory"}]}
    )
    assert removal_warnings(mesh, api_only, TRAFFIC) == [
        "Route 'default' of inventory (matching every request) is removed while inventory "
        "receives 125 req/s: the requests it matched would fail with 404 (no route) unless "
        "another route matches them."
    ]
    api_first = with_inventory_routes(
        {"name": "api", "match": {"path_prefix": "/api"}, "backends": [{"service": "inventory"}]},
        {"name": "rest", "backends": [{"service": "inventory"}]},
    )
    [warning] = removal_warnings(mesh, api_first, TRAFFIC)
    assert warning.endswith("would go to the routes of inventory that are left.")
    quiet = {**TRAFFIC, "inventory": Traffic(0.0)}
    assert removal_warnings(mesh, api_only, quiet) == []


def test_reweighting_or_draining_removes_nothing() -> None:
    mesh = demo_mesh()
    moved = reroute(mesh, "inventory", "inventory@v1", "inventory@v2", 0.5).after
    assert removal_warnings(mesh, moved, TRAFFIC) == []
    assert removal_warnings(mesh, set_drained(mesh, "inventory", None, True).after, None) == []


def test_a_tcp_service_with_no_instance_left_is_a_dead_end() -> None:
    mesh = demo_mesh()
    assert not [w for w in left_without_targets(mesh, ()) if "inventory-db" in w]
    drained = set_drained(mesh, "inventory-db", None, True)
    assert drained.warnings == (
        "inventory-db (TCP) would have no instance left to connect to: every instance of it is "
        "drained or unavailable, so new connections to it would be closed at once.",
    )
    assert any("inventory-db (TCP)" in w for w in left_without_targets(mesh, {"inventory-db-1"}))
