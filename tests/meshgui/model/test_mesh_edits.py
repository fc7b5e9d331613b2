"""The pure edits on the demo shop's mesh: reroutes, drains, route and policy edits, undo, diff."""

from __future__ import annotations

import pytest

from meshgui.model.mesh_edits import (
    MeshEditError,
    inverse,
    mesh_diff,
    move_inbound,
    replace_routes,
    replace_service_policy,
    reroute,
    routes_left_without_targets,
    set_drained,
)
from proxy.config import (
    Backend,
    CircuitBreaker,
    ConfigError,
    MeshConfig,
    OutlierDetection,
    RouteConfig,
    parse_mesh_document,
)
from tests.meshgui.model.demo_mesh import demo_mesh


def weights(mesh: MeshConfig, destination: str) -> list[tuple[str, str | None, int]]:
    (route,) = mesh.routes[destination]
    return [(b.service, b.subset, b.weight) for b in route.backends]


def test_moving_a_version_splits_the_whole_service_backend_into_its_versions() -> None:
    mesh = demo_mesh()
    change = reroute(mesh, "inventory", "inventory@v1", "inventory@v2", 1.0)
    assert weights(change.after, "inventory") == [
        ("inventory", "v1", 0),
        ("inventory", "v2", 100),
    ]
    assert change.after.version == mesh.version + 1
    assert change.before is mesh and change.kind == "reroute"
    assert change.summary == (
        "Move 100% of the traffic for inventory from inventory@v1 to inventory@v2"
    )
    assert change.warnings == ()
    # The rest of the route (timeout, retries) is as it was.
    (old,), (new,) = mesh.routes["inventory"], change.after.routes["inventory"]
    assert (new.timeout, new.retry, new.name) == (old.timeout, old.retry, old.name)


def test_a_quarter_of_recommendations_goes_to_the_lite_fallback() -> None:
    change = reroute(
        demo_mesh(), "recommendations", "recommendations", "recommendations-lite", 0.25
    )
    assert weights(change.after, "recommendations") == [
        ("recommendations", None, 75),
        ("recommendations-lite", None, 25),
    ]
    assert "25%" in change.summary


def test_half_of_v1_splits_by_the_endpoint_weights() -> None:
    change = reroute(demo_mesh(), "inventory", "inventory@v1", "inventory@v2", 0.5)
    assert weights(change.after, "inventory") == [
        ("inventory", "v1", 25),
        ("inventory", "v2", 75),
    ]


def test_missing_version_subsets_are_added_named_after_the_version() -> None:
    document = demo_mesh().model_dump(mode="json")
    document["services"]["inventory"]["subsets"] = {}
    mesh = parse_mesh_document(document)
    change = reroute(mesh, "inventory", "inventory@v1", "inventory@v2", 1.0)
    assert change.after.services["inventory"].subsets == {
        "v1": {"version": "v1"},
        "v2": {"version": "v2"},
    }


def test_move_inbound_moves_every_route_that_sends_to_the_node() -> None:
    mesh = demo_mesh()
    change = move_inbound(mesh, "recommendations", "recommendations-lite", 0.5)
    assert weights(change.after, "recommendations") == [
        ("recommendations", None, 50),
        ("recommendations-lite", None, 50),
    ]
    assert "routes of recommendations" in change.summary
    # Only the routes that sent to the node changed.
    for destination in ("inventory", "cart", "product-tags", "recommendations-lite"):
        assert change.after.routes[destination] == mesh.routes[destination]


@pytest.mark.parametrize(
    ("destination", "move_from", "move_to", "share", "expected"),
    [
        ("inventory", "inventory@v1", "inventory@v1", 0.5, "to itself"),
        ("inventory", "inventory@v1", "inventory@v2", 0.0, "above 0%"),
        ("inventory", "inventory@v1", "inventory@v2", 1.5, "at most 100%"),
        ("inventory", "inventory@v3", "inventory@v2", 0.5, "no route of inventory sends"),
        ("inventory", "inventory@v1", "inventory@v9", 0.5, "no instance labelled version v9"),
        ("inventory", "inventory@v1", "nowhere", 0.5, "no service named nowhere"),
        ("inventory-db", "inventory@v1", "inventory@v2", 0.5, "tcp service"),
        ("cart", "inventory@v1", "inventory@v2", 0.5, "no route of cart sends"),
    ],
)
def test_impossible_reroutes_say_why(
    destination: str, move_from: str, move_to: str, share: float, expected: str
) -> None:
    with pytest.raises(MeshEditError, match=expected):
        reroute(demo_mesh(), destination, move_from, move_to, share)


def test_moving_to_a_tcp_service_is_refused() -> None:
    with pytest.raises(MeshEditError, match="inventory-db is a tcp service"):
        reroute(demo_mesh(), "inventory", "inventory", "inventory-db", 0.5)


def test_draining_the_last_instance_warns_that_the_route_is_left_without_targets() -> None:
    first = set_drained(demo_mesh(), "inventory", "inventory-1", True)
    assert first.warnings == () and first.kind == "drain"
    assert first.summary == "Drain inventory-1 (inventory)"
    assert first.after.services["inventory"].endpoints[0].drained
    second = set_drained(first.after, "inventory", "inventory-2", True)
    (warning,) = second.warnings
    assert "'default' of inventory" in warning and "503" in warning
    back = set_drained(second.after, "inventory", "inventory-2", False)
    assert back.warnings == () and back.summary == "Undrain inventory-2 (inventory)"


def test_draining_a_whole_service_and_the_errors_of_drains() -> None:
    change = set_drained(demo_mesh(), "product-tags", None, True)
    assert change.after.services["product-tags"].drained
    assert any("product-tags" in warning for warning in change.warnings)
    with pytest.raises(MeshEditError, match="already drained"):
        set_drained(change.after, "product-tags", None, True)
    with pytest.raises(MeshEditError, match="no instance named inventory-9"):
        set_drained(demo_mesh(), "inventory", "inventory-9", True)
    with pytest.raises(MeshEditError, match="already in service"):
        set_drained(demo_mesh(), "inventory", "inventory-1", False)


def test_routes_left_without_targets_counts_unavailable_instances_and_ignores_idle_backends() -> (
    None
):
    mesh = demo_mesh()
    assert routes_left_without_targets(mesh, ()) == []
    lines = routes_left_without_targets(mesh, ["inventory-1", "inventory-2"])
    assert len(lines) == 1 and "of inventory" in lines[0]
    # recommendations-lite has weight 0 on the recommendations route: losing it does not matter
    # to that route, only to recommendations-lite's own.
    lines = routes_left_without_targets(mesh, ["recommendations-lite-1"])
    assert len(lines) == 1 and "of recommendations-lite" in lines[0]


def test_replace_routes_validates_and_an_empty_list_means_the_default_route() -> None:
    mesh = demo_mesh()
    route = RouteConfig(
        name="split", backends=(Backend(service="inventory", subset="v2", weight=1),)
    )
    change = replace_routes(mesh, "inventory", [route])
    assert change.after.routes["inventory"] == (route,) and change.kind == "routes"
    assert "inventory" not in replace_routes(mesh, "inventory", []).after.routes
    broken = RouteConfig(backends=(Backend(service="inventory", subset="v7"),))
    with pytest.raises(ConfigError, match="no subset 'v7'"):
        replace_routes(mesh, "inventory", [broken])


def test_replace_service_policy_names_what_changed() -> None:
    mesh = demo_mesh()
    inventory = mesh.services["inventory"]
    breaker = CircuitBreaker(max_requests=10)
    change = replace_service_policy(mesh, "inventory", inventory.outlier_detection, breaker)
    assert change.summary == "Change the circuit breaker of inventory"
    assert change.after.services["inventory"].circuit_breaker == breaker
    both = replace_service_policy(mesh, "inventory", OutlierDetection(enabled=False), breaker)
    assert both.summary == "Change the outlier detection and circuit breaker of inventory"


def test_inverse_restores_the_content_at_the_next_version() -> None:
    mesh = demo_mesh()
    change = reroute(mesh, "inventory", "inventory@v1", "inventory@v2", 1.0)
    undo = inverse(change, change.after)
    assert undo.after == mesh.with_version(change.after.version + 1)
    assert undo.before == change.after and undo.kind == "undo" and undo.warnings == ()
    assert undo.summary == f"Undo: {change.summary}"
    redo = inverse(undo, undo.after)
    assert redo.summary == f"Redo: {change.summary}" and redo.kind == "redo"
    assert mesh_diff(redo.after, change.after) == ""


def test_inverse_warns_when_the_config_changed_since() -> None:
    mesh = demo_mesh()
    change = reroute(mesh, "inventory", "inventory@v1", "inventory@v2", 1.0)
    later = set_drained(change.after, "cart", "cart-1", True).after
    undo = inverse(change, later)
    assert undo.after.version == later.version + 1
    assert any("changed after this edit" in warning for warning in undo.warnings)


def test_mesh_diff_leaves_out_the_version_and_shows_the_weights() -> None:
    mesh = demo_mesh()
    assert mesh_diff(mesh, mesh) == ""
    assert mesh_diff(mesh, mesh.with_version(9)) == ""
    change = reroute(mesh, "recommendations", "recommendations", "recommendations-lite", 0.25)
    diff = mesh_diff(change.before, change.after)
    assert "-    - {service: recommendations, weight: 100}" in diff
    assert "+    - {service: recommendations-lite, weight: 25}" in diff
    assert "version:" not in diff.replace("--- version", "").replace("+++ version", "")


def test_draining_the_only_instance_of_a_weighted_subset_warns_about_its_share() -> None:
    mesh = reroute(demo_mesh(), "inventory", "inventory@v1", "inventory@v2", 0.5).after
    change = set_drained(mesh, "inventory", "inventory-1", True)
    [warning] = [w for w in change.warnings if "inventory (v1)" in w]
    assert "25% of its requests" in warning and "503" in warning  # v1 kept half of its 50 %


def test_a_split_by_version_that_leaves_out_a_drained_version_says_so() -> None:
    drained = set_drained(demo_mesh(), "inventory", "inventory-1", True).after
    change = reroute(drained, "inventory", "inventory@v2", "product-tags", 0.5)
    [warning] = [w for w in change.warnings if "no longer includes" in w]
    assert "inventory v1" in warning and "undrained later" in warning
    healthy = reroute(demo_mesh(), "inventory", "inventory@v2", "product-tags", 0.5)
    assert not [w for w in healthy.warnings if "no longer includes" in w]
