"""Versions as nodes: with `set_split_versions(True)` a service whose instances carry a version
label is one node per version, and calls go to and from those nodes; off, nothing changes."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from meshgui.model import EdgeKey, MeshModel, NodeHealth, NodeView
from meshgui.model.node_ids import node_id, split_node_id
from proxy.admin.models import StatsSnapshot
from tests.meshgui.model.snapshots import (
    FakeClock,
    endpoint,
    info,
    ok_edge,
    snapshot,
    tcp_edge,
    workload,
)

WEB = workload("web", "web-1")
CART = workload("cart", "cart-1")
INV1 = workload("inventory", "inventory-1", "v1")
INV2 = workload("inventory", "inventory-2", "v2")
INV2_UNLABELLED = workload("inventory", "inventory-2")  # as a caller may see it
NO_ENDPOINT = workload("inventory")
DB = workload("inventory-db", "db-1")

Feed = dict[str, Callable[[float, int], StatsSnapshot]]


def run(model: MeshModel, clock: FakeClock, feed: Feed, seconds: int, first: int = 0) -> None:
    """Every sidecar reports once a second from second `first` on, and the app refreshes."""
    for i in range(first, first + seconds):
        clock.now = 1000.0 + i
        for sidecar_id, make in feed.items():
            model.ingest(sidecar_id, make(clock.now, i))
        model.view()


def web(t: float, i: int) -> StatsSnapshot:
    return snapshot(t, http=[ok_edge("source", WEB, CART, 50 * i)])


def cart(t: float, i: int) -> StatsSnapshot:
    return snapshot(
        t,
        http=[
            ok_edge("destination", WEB, CART, 50 * i),
            ok_edge("source", CART, INV1, 30 * i),
            # The caller's endpoint list has no labels for inventory-2: only its own sidecar's
            # reports (destination side) say it is v2.
            ok_edge("source", CART, INV2_UNLABELLED, 10 * i),
        ],
        endpoints=[
            endpoint("inventory", "inventory-1", version="v1"),
            endpoint("inventory", "inventory-2"),
        ],
    )


def inventory(me: str) -> Callable[[float, int], StatsSnapshot]:
    local, rate = (INV1, 30) if me == "inventory-1" else (INV2, 10)

    def make(t: float, i: int) -> StatsSnapshot:
        return snapshot(
            t,
            http=[ok_edge("destination", CART, local, rate * i)],
            tcp=[tcp_edge("source", local, DB, opened=rate // 10 * i)],
        )

    return make


MESH: Feed = {
    "web": web,
    "cart": cart,
    "inv1": inventory("inventory-1"),
    "inv2": inventory("inventory-2"),
}


def split_model(seconds: int = 5) -> tuple[MeshModel, FakeClock]:
    clock = FakeClock()
    model = MeshModel(clock=clock)
    model.set_split_versions(True)
    run(model, clock, MESH, seconds)
    return model, clock


def test_node_ids_join_and_split() -> None:
    assert node_id("inventory", "v1") == "inventory@v1"
    assert node_id("inventory", None) == node_id("inventory", "") == "inventory"
    assert split_node_id("inventory@v1") == ("inventory", "v1")
    assert split_node_id("inventory") == ("inventory", None)
    assert split_node_id("inventory@") == ("inventory", None)


def test_off_by_default_a_service_is_one_node() -> None:
    clock = FakeClock()
    model = MeshModel(clock=clock)
    run(model, clock, MESH, 5)
    view = model.view()
    assert not model.split_versions
    assert set(view.nodes) == {"web", "cart", "inventory", "inventory-db"}
    assert view.edges[EdgeKey("cart", "inventory", "http")].stats.rps == 40.0
    node = view.nodes["inventory"]
    assert (node.service, node.version, len(node.instances)) == ("inventory", None, 2)


def test_each_version_is_a_node_with_its_own_calls_and_instances() -> None:
    model, _ = split_model()
    view = model.view()
    assert set(view.nodes) == {"web", "cart", "inventory@v1", "inventory@v2", "inventory-db"}
    assert view.edges[EdgeKey("cart", "inventory@v1", "http")].stats.rps == 30.0
    assert view.edges[EdgeKey("cart", "inventory@v2", "http")].stats.rps == 10.0
    assert EdgeKey("cart", "inventory", "http") not in view.edges
    assert view.edges[EdgeKey("web", "cart", "http")].stats.rps == 50.0  # unversioned: as before
    v1, v2 = view.nodes["inventory@v1"], view.nodes["inventory@v2"]
    assert (v1.service, v1.version, v1.rps_in) == ("inventory", "v1", 30.0)
    assert (v2.service, v2.version, v2.rps_in) == ("inventory", "v2", 10.0)
    assert [i.name for i in v1.instances] == ["inventory-1"]
    assert [i.name for i in v2.instances] == ["inventory-2"]
    assert view.nodes["cart"].version is None


def test_calls_from_versions_leave_from_their_nodes() -> None:
    model, _ = split_model()
    edges = model.view().edges
    assert edges[EdgeKey("inventory@v1", "inventory-db", "tcp")].stats.rps == 3.0
    assert edges[EdgeKey("inventory@v2", "inventory-db", "tcp")].stats.rps == 1.0


def test_calls_that_reached_no_instance_stay_on_the_service_node() -> None:
    clock = FakeClock()
    model = MeshModel(clock=clock)
    model.set_split_versions(True)

    def cart_failing(t: float, i: int) -> StatsSnapshot:
        base = cart(t, i)
        failed = ok_edge("source", CART, NO_ENDPOINT, 2 * i)
        return base.model_copy(update={"http_edges": (*base.http_edges, failed)})

    run(model, clock, {**MESH, "cart": cart_failing}, 5)
    view = model.view()
    assert view.edges[EdgeKey("cart", "inventory", "http")].stats.rps == 2.0
    assert view.nodes["inventory"].instances == ()
    assert view.nodes["inventory@v1"].rps_in == 30.0


def test_switching_back_restores_service_edges_and_reports_the_change() -> None:
    model, clock = split_model()
    model.changed_edges()
    model.set_split_versions(False)
    changed = model.changed_edges()
    view = model.view()
    assert set(view.nodes) == {"web", "cart", "inventory", "inventory-db"}
    assert view.edges[EdgeKey("cart", "inventory", "http")].stats.rps == 40.0
    assert {EdgeKey("cart", "inventory", "http"), EdgeKey("cart", "inventory@v1", "http")} <= (
        changed
    )
    assert EdgeKey("web", "cart", "http") not in changed  # same key, same numbers
    run(model, clock, MESH, 3, first=5)
    # The edge between two unversioned services kept its history through both switches.
    history = model.history(EdgeKey("web", "cart", "http"), 7)
    assert np.allclose(history.rps[-6:], 50.0)


def test_a_version_whose_sidecars_went_away_is_grey_alone() -> None:
    model, clock = split_model()
    model.sidecar_disconnected("inv1", at=1004.5)
    clock.now = 1005.0
    nodes = model.view().nodes
    assert nodes["inventory@v1"].health is NodeHealth.DISCONNECTED
    assert nodes["inventory@v1"].disconnected_since == 1004.5
    assert nodes["inventory@v2"].health is not NodeHealth.DISCONNECTED


def test_a_drained_version_is_drained_while_the_service_is_not() -> None:
    clock = FakeClock()
    model = MeshModel(clock=clock)
    model.set_split_versions(True)

    def cart_draining_v1(t: float, i: int) -> StatsSnapshot:
        base = cart(t, i)
        endpoints = (
            endpoint("inventory", "inventory-1", version="v1", drained=True),
            endpoint("inventory", "inventory-2"),
        )
        return base.model_copy(update={"endpoints": endpoints})

    run(model, clock, {**MESH, "cart": cart_draining_v1}, 5)
    nodes = model.view().nodes
    assert nodes["inventory@v1"].health is NodeHealth.DRAINED
    assert nodes["inventory@v2"].health is NodeHealth.HEALTHY
    model.set_split_versions(False)
    assert model.view().nodes["inventory"].health is not NodeHealth.DRAINED


@pytest.mark.parametrize("split", [False, True])
def test_a_version_known_only_from_the_sidecars_info_splits_its_node(split: bool) -> None:
    clock = FakeClock()
    model = MeshModel(clock=clock)
    model.set_split_versions(split)
    model.set_info("web", info("web", "web-1", version="v7"))
    run(model, clock, MESH, 3)
    name = "web@v7" if split else "web"
    assert model.view().nodes[name].version == ("v7" if split else None)
    assert model.view().edges[EdgeKey(name, "cart", "http")].stats.rps == 50.0


def test_a_node_view_built_by_name_alone_knows_its_service_and_version() -> None:
    # Views made the old way (positionally, without service and version) still say both.
    node = NodeView("inventory@v1", "http", (), NodeHealth.IDLE, None, 0.0, 0.0, None)
    assert (node.service, node.version) == ("inventory", "v1")
    plain = NodeView("cart", "http", (), NodeHealth.IDLE, None, 0.0, 0.0, None)
    assert (plain.service, plain.version) == ("cart", None)
