"""Predicted rates per node (and per instance) after a change, from the rates now and the two
configs; TCP services in whatever unit the caller counts them."""

from __future__ import annotations

import pytest

from meshgui.model.mesh_edits import predicted_rates, reroute, set_drained
from meshgui.model.traffic_prediction import predicted_instance_rates
from proxy.config import MeshConfig
from tests.meshgui.model.demo_mesh import demo_mesh


def test_a_quarter_of_recommendations_moves_to_the_fallback() -> None:
    mesh = demo_mesh()
    change = reroute(mesh, "recommendations", "recommendations", "recommendations-lite", 0.25)
    now = {"recommendations": 8.0, "recommendations-lite": 0.0, "inventory": 20.0, "web": 5.0}
    assert predicted_rates(mesh, change.after, now) == {
        "recommendations": pytest.approx(6.0),
        "recommendations-lite": pytest.approx(2.0),
        "inventory": 20.0,
        "web": 5.0,
    }


def test_versions_are_predicted_when_the_caller_gives_them_per_version() -> None:
    mesh = demo_mesh()
    change = reroute(mesh, "inventory", "inventory@v1", "inventory@v2", 0.5)
    now = {"inventory@v1": 10.0, "inventory@v2": 12.0}
    predicted = predicted_rates(mesh, change.after, now)
    # The route now splits 25/75 by weight, whatever the balancer did before.
    assert predicted == {"inventory@v1": pytest.approx(5.5), "inventory@v2": pytest.approx(16.5)}
    assert sum(predicted.values()) == pytest.approx(sum(now.values()))


def test_all_of_a_version_moved_leaves_it_nothing() -> None:
    mesh = demo_mesh()
    change = reroute(mesh, "inventory", "inventory@v1", "inventory@v2", 1.0)
    predicted = predicted_rates(mesh, change.after, {"inventory@v1": 9.0, "inventory@v2": 11.0})
    assert predicted == {"inventory@v1": 0.0, "inventory@v2": pytest.approx(20.0)}


def test_a_drained_instance_gets_nothing_and_a_node_that_starts_receiving_is_listed() -> None:
    mesh = demo_mesh()
    drained = set_drained(mesh, "inventory", "inventory-1", True).after
    predicted = predicted_rates(mesh, drained, {"inventory@v1": 10.0, "inventory@v2": 10.0})
    assert predicted == {"inventory@v1": 0.0, "inventory@v2": pytest.approx(20.0)}
    # Service-level rates do not see the drain: the service gets the same.
    assert predicted_rates(mesh, drained, {"inventory": 20.0}) == {"inventory": 20.0}
    moved = reroute(mesh, "cart", "cart", "recommendations-lite", 0.5).after
    predicted = predicted_rates(mesh, moved, {"cart": 4.0})
    assert predicted == {"cart": pytest.approx(2.0), "recommendations-lite": pytest.approx(2.0)}


def test_an_unchanged_config_predicts_the_rates_of_now() -> None:
    mesh = demo_mesh()
    now = {"inventory@v1": 3.0, "inventory@v2": 4.0, "cart": 1.5}
    assert predicted_rates(mesh, mesh.with_version(7), now) == now


def test_a_tcp_service_is_predicted_from_its_instances() -> None:
    mesh = demo_mesh()
    drained = set_drained(mesh, "inventory-db", None, True).after
    now = {"inventory-db": 2100.0, "inventory": 125.0}
    assert predicted_rates(mesh, drained, now) == {"inventory-db": 0.0, "inventory": 125.0}
    removed = MeshConfig(version=mesh.version + 1)
    predicted = predicted_rates(mesh, removed, now)
    assert predicted["inventory-db"] == 0.0 and predicted["inventory"] == 0.0
    assert set(predicted.values()) == {0.0}  # every service that sent anywhere: nothing left


def test_a_drained_instance_hands_its_share_to_the_others_of_its_node() -> None:
    mesh = demo_mesh()
    drained = set_drained(mesh, "inventory", "inventory-1", True).after
    assert predicted_instance_rates(mesh, drained, {"inventory": 125.0}) == {
        "inventory": {"inventory-1": 0.0, "inventory-2": 125.0}
    }
    by_version = {"inventory@v1": 0.0, "inventory@v2": 125.0}
    assert predicted_instance_rates(mesh, drained, by_version) == {
        "inventory@v1": {"inventory-1": 0.0}
    }
    assert predicted_instance_rates(mesh, mesh.with_version(5), {"inventory": 125.0}) == {}


def test_an_instance_that_is_down_gets_no_share() -> None:
    mesh = demo_mesh()
    drained = set_drained(mesh, "inventory", "inventory-1", True).after
    assert predicted_instance_rates(mesh, drained, {"inventory": 125.0}, {"inventory-2"}) == {
        "inventory": {"inventory-1": 0.0, "inventory-2": 0.0}
    }
