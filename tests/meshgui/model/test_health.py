"""Health of edges, services and instances: thresholds, ejections, drains, idleness."""

from __future__ import annotations

import pytest

from meshgui.model import DEGRADED_ERROR_PCT, FAILING_ERROR_PCT, EdgeKey, MeshModel, NodeHealth
from meshgui.model.health import edge_health, health_by_errors, tries_failed_percent
from proxy.admin.models import EndpointStatus
from tests.meshgui.model.snapshots import (
    FakeClock,
    endpoint,
    http_edge,
    info,
    ok_edge,
    response,
    snapshot,
    tcp_edge,
    workload,
)

CART = workload("cart", "cart-1")
INV1, INV2 = workload("inventory", "inventory-1"), workload("inventory", "inventory-2")
CART_INV = EdgeKey("cart", "inventory", "http")


@pytest.mark.parametrize(
    ("error_pct", "expected"),
    [
        (0.0, NodeHealth.HEALTHY),
        (DEGRADED_ERROR_PCT - 0.01, NodeHealth.HEALTHY),
        (DEGRADED_ERROR_PCT, NodeHealth.DEGRADED),
        (FAILING_ERROR_PCT - 0.01, NodeHealth.DEGRADED),
        (FAILING_ERROR_PCT, NodeHealth.FAILING),
    ],
)
def test_error_thresholds(error_pct: float, expected: NodeHealth) -> None:
    assert health_by_errors(10.0, error_pct) is expected
    assert health_by_errors(0.0, error_pct) is NodeHealth.IDLE


def cart_calls(
    model: MeshModel,
    clock: FakeClock,
    *,
    failed_per_100: int = 0,
    endpoints: tuple[EndpointStatus, ...] = (),
    seconds: int = 3,
) -> None:
    for i in range(seconds):
        clock.now = 1000.0 + i
        answers = [response(200, (100 - failed_per_100) * i), response(503, failed_per_100 * i)]
        edges = [http_edge("source", CART, INV1, answers), ok_edge("source", CART, INV2, 0)]
        model.ingest("cart", snapshot(clock.now, http=edges, endpoints=endpoints))


@pytest.mark.parametrize(
    ("failed_per_100", "expected"),
    [
        (0, NodeHealth.HEALTHY),
        (1, NodeHealth.HEALTHY),
        (3, NodeHealth.DEGRADED),
        (25, NodeHealth.FAILING),
    ],
)
def test_service_and_edge_health_follow_the_error_share(
    failed_per_100: int, expected: NodeHealth
) -> None:
    clock = FakeClock()
    model = MeshModel(clock=clock)
    cart_calls(model, clock, failed_per_100=failed_per_100)
    view = model.view()
    assert view.nodes["inventory"].health is expected
    assert view.edges[CART_INV].health is expected
    assert view.nodes["inventory"].error_pct == pytest.approx(failed_per_100)


def test_an_ejected_instance_degrades_its_service() -> None:
    clock = FakeClock()
    model = MeshModel(clock=clock)
    endpoints = (
        endpoint("inventory", "inventory-1"),
        endpoint("inventory", "inventory-2", healthy=False),
    )
    cart_calls(model, clock, endpoints=endpoints)
    node = model.view().nodes["inventory"]
    assert node.health is NodeHealth.DEGRADED
    assert [i.state for i in node.instances] == ["ready", "ejected"]


@pytest.mark.parametrize(("pending", "state"), [(0, "drained"), (4, "draining")])
def test_a_service_whose_instances_are_all_drained_is_drained(pending: int, state: str) -> None:
    clock = FakeClock()
    model = MeshModel(clock=clock)
    endpoints = (
        endpoint("inventory", "inventory-1", drained=True, pending=pending),
        endpoint("inventory", "inventory-2", drained=True),
    )
    cart_calls(model, clock, endpoints=endpoints)
    node = model.view().nodes["inventory"]
    assert node.health is NodeHealth.DRAINED
    assert node.instances[0].state == state
    assert node.instances[1].state == "drained"


def test_one_drained_instance_of_two_leaves_the_service_healthy() -> None:
    clock = FakeClock()
    model = MeshModel(clock=clock)
    endpoints = (
        endpoint("inventory", "inventory-1"),
        endpoint("inventory", "inventory-2", drained=True),
    )
    cart_calls(model, clock, endpoints=endpoints)
    assert model.view().nodes["inventory"].health is NodeHealth.HEALTHY


def test_a_sidecar_shutting_down_shows_its_instance_draining() -> None:
    clock = FakeClock()
    model = MeshModel(clock=clock)
    model.set_info("inv1", info("inventory", "inventory-1", state="draining"))
    cart_calls(model, clock)
    model.ingest("inv1", snapshot(clock.now))
    states = {i.name: i.state for i in model.view().nodes["inventory"].instances}
    assert states == {"inventory-1": "draining"}


def test_no_traffic_is_idle() -> None:
    clock = FakeClock()
    model = MeshModel(clock=clock)
    for i in range(3):
        clock.now = 1000.0 + i
        model.ingest("cart", snapshot(clock.now, http=[ok_edge("source", CART, INV1, 7)]))
    view = model.view()
    assert view.nodes["inventory"].health is NodeHealth.IDLE
    assert view.nodes["cart"].health is NodeHealth.IDLE
    assert view.edges[CART_INV].health is NodeHealth.IDLE


def test_changed_edges_names_only_what_changed_in_either_call_order() -> None:
    clock = FakeClock()
    model = MeshModel(clock=clock)
    other = EdgeKey("cart", "payments", "http")
    payments = workload("payments", "payments-1")

    def second(i: int, payments_calls: int) -> None:
        clock.now = 1000.0 + i
        edges = [
            ok_edge("source", CART, INV1, 10 * i),
            ok_edge("source", CART, payments, payments_calls),
        ]
        model.ingest("cart", snapshot(clock.now, http=edges))

    for i, calls in enumerate([0, 5, 10]):
        second(i, calls)
    assert model.changed_edges() == {CART_INV, other}  # first call: everything
    model.view()
    assert model.changed_edges() == set()
    second(3, 15)  # both rates unchanged
    model.view()
    assert model.changed_edges() == set()
    second(4, 100)  # payments jumps
    assert model.changed_edges() == {other}
    same = model.view().edges[CART_INV]
    second(5, 200)
    view = model.view()
    assert model.changed_edges() == {other}
    assert view.edges[CART_INV] is same  # unchanged views are handed out again


@pytest.mark.parametrize(
    ("rps", "error_pct", "retries_per_s", "expected"),
    [
        (100.0, 0.0, 0.0, NodeHealth.HEALTHY),
        (100.0, 0.0, 1.0, NodeHealth.HEALTHY),  # 1 failed try in 101
        (100.0, 0.0, 15.0, NodeHealth.DEGRADED),  # retries hid 15 failures from the caller
        (100.0, 0.0, 40.0, NodeHealth.FAILING),
        (100.0, 25.0, 0.0, NodeHealth.FAILING),
    ],
)
def test_an_edge_is_coloured_by_its_failed_tries_retried_ones_included(
    rps: float, error_pct: float, retries_per_s: float, expected: NodeHealth
) -> None:
    assert edge_health(rps, error_pct, an_end_disconnected=False, retries_per_s=retries_per_s) is (
        expected
    )


def test_failed_tries_count_each_retry_as_a_failed_try() -> None:
    assert tries_failed_percent(90.0, 10.0, 10.0) == pytest.approx(100.0 * (9.0 + 10.0) / 100.0)
    assert tries_failed_percent(0.0, 0.0, 0.0) == 0.0


def test_retried_failures_the_callers_never_saw_still_turn_the_service_and_its_edge_amber() -> None:
    clock = FakeClock()
    model = MeshModel(clock=clock)
    for i in range(3):
        clock.now = 1000.0 + i
        # 100 calls a second all answered 200, but 15 of their first tries failed and were retried.
        edges = [http_edge("source", CART, INV1, [response(200, 100 * i)], retries=15 * i)]
        model.ingest("cart", snapshot(clock.now, http=edges))
    view = model.view()
    assert view.edges[CART_INV].stats.error_pct == 0.0
    assert view.edges[CART_INV].health is NodeHealth.DEGRADED
    assert view.nodes["inventory"].error_pct == 0.0
    assert view.nodes["inventory"].health is NodeHealth.DEGRADED
    assert view.nodes["inventory"].retries_in == pytest.approx(15.0)  # the dock's header says it


def test_one_lost_sidecar_of_two_degrades_its_service() -> None:
    clock = FakeClock()
    model = MeshModel(clock=clock)
    model.set_info("inv1", info("inventory", "inventory-1"))
    model.set_info("inv2", info("inventory", "inventory-2"))
    cart_calls(model, clock)
    for sidecar in ("inv1", "inv2"):
        model.ingest(sidecar, snapshot(clock.now))
    assert model.view().nodes["inventory"].health is NodeHealth.HEALTHY
    model.sidecar_disconnected("inv2", clock.now)
    node = model.view().nodes["inventory"]
    assert node.health is NodeHealth.DEGRADED
    assert {i.name: i.state for i in node.instances}["inventory-2"] == "disconnected"


def test_a_tcp_service_whose_pooled_connections_carry_bytes_is_not_idle() -> None:
    clock = FakeClock()
    model = MeshModel(clock=clock)
    db = workload("inventory-db", "inventory-db-1")
    for i in range(3):
        clock.now = 1000.0 + i
        # One connection opened long ago, still open: no new ones, bytes flowing.
        tcp = [tcp_edge("source", INV1, db, opened=1, closed=0, sent=4000 * i, received=900 * i)]
        model.ingest("inv1", snapshot(clock.now, tcp=tcp))
    node = model.view().nodes["inventory-db"]
    assert node.rps_in == 0.0
    assert node.bytes_in_per_s > 0.0
    assert node.health is NodeHealth.HEALTHY


def test_a_caller_outside_the_mesh_shows_the_calls_it_makes() -> None:
    clock = FakeClock()
    model = MeshModel(clock=clock)
    cart_calls(model, clock)
    cart = model.view().nodes["cart"]
    assert cart.rps_in == 0.0
    assert cart.rps_out == pytest.approx(100.0)
