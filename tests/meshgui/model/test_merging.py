"""Merging sidecars: each call counted once, unknown callers, TCP, instances, connection state."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from meshgui.model import EdgeKey, MeshModel, NodeHealth
from proxy.admin.models import StatsSnapshot
from tests.meshgui.model.snapshots import (
    UNKNOWN,
    FakeClock,
    endpoint,
    info,
    ok_edge,
    snapshot,
    tcp_edge,
    workload,
)

WEB1, WEB2 = workload("web", "web-1"), workload("web", "web-2")
CART = workload("cart", "cart-1")
INV1, INV2 = workload("inventory", "inventory-1"), workload("inventory", "inventory-2")
DB = workload("inventory-db", "db-1")
NO_DB_ENDPOINT = workload("inventory-db")

Feed = dict[str, Callable[[float, int], StatsSnapshot]]


def run(
    model: MeshModel, clock: FakeClock, feed: Feed, seconds: int, start: float = 1000.0
) -> None:
    """Every sidecar in `feed` reports once a second; `feed[id](t, i)` is its i-th snapshot."""
    for i in range(seconds):
        clock.now = start + i
        for sidecar_id, make in feed.items():
            model.ingest(sidecar_id, make(clock.now, i))


def web_reports(t: float, i: int) -> StatsSnapshot:
    return snapshot(
        t,
        http=[
            ok_edge("destination", UNKNOWN, WEB1, 30 * i),
            ok_edge("source", WEB1, CART, 50 * i),
        ],
    )


def cart_reports(t: float, i: int) -> StatsSnapshot:
    return snapshot(
        t,
        http=[
            # The callee sees fewer calls than the caller sent (some failed in the mesh).
            ok_edge("destination", WEB1, CART, 40 * i),
            ok_edge("source", CART, INV1, 30 * i),
            ok_edge("source", CART, INV2, 10 * i),
        ],
        tcp=[
            tcp_edge("source", CART, DB, opened=5 * i, sent=100 * i, received=900 * i),
            tcp_edge("source", CART, NO_DB_ENDPOINT, opened=1 * i),
        ],
        endpoints=[
            endpoint("inventory", "inventory-1", version="v1"),
            endpoint("inventory", "inventory-2", version="v2"),
            endpoint("inventory-db", "db-1"),
        ],
    )


def inventory_reports(me: str) -> Callable[[float, int], StatsSnapshot]:
    local = INV1 if me == "inventory-1" else INV2
    rate = 30 if me == "inventory-1" else 10
    return lambda t, i: snapshot(t, http=[ok_edge("destination", CART, local, rate * i)])


FULL_MESH: Feed = {
    "web": web_reports,
    "cart": cart_reports,
    "inv1": inventory_reports("inventory-1"),
    "inv2": inventory_reports("inventory-2"),
}


def test_each_call_is_counted_once_preferring_the_callers_report() -> None:
    clock = FakeClock()
    model = MeshModel(clock=clock)
    run(model, clock, FULL_MESH, 5)
    edges = model.view().edges
    assert edges[EdgeKey("web", "cart", "http")].stats.rps == 50.0
    assert edges[EdgeKey("cart", "inventory", "http")].stats.rps == 40.0
    assert model.view().nodes["inventory"].rps_in == 40.0


def test_callers_without_a_sidecar_are_counted_from_the_callee() -> None:
    clock = FakeClock()
    model = MeshModel(clock=clock)
    run(model, clock, FULL_MESH, 5)
    view = model.view()
    assert view.edges[EdgeKey("unknown", "web", "http")].stats.rps == 30.0
    assert view.nodes["unknown"].instances == ()
    assert view.nodes["unknown"].health is NodeHealth.HEALTHY  # it calls, so it is not idle


def test_callee_report_takes_over_when_the_caller_goes_away() -> None:
    clock = FakeClock()
    model = MeshModel(clock=clock)
    run(model, clock, FULL_MESH, 5)
    model.sidecar_disconnected("web", at=1004.5)
    rest = {k: v for k, v in FULL_MESH.items() if k != "web"}
    run(model, clock, rest, 5, start=1005.0)
    view = model.view()
    assert view.edges[EdgeKey("web", "cart", "http")].stats.rps == 40.0
    web = view.nodes["web"]
    assert web.health is NodeHealth.DISCONNECTED
    assert web.disconnected_since == 1004.5
    assert web.instances[0].state == "disconnected"
    # web's inbound calls were only known from web's own sidecar.
    assert view.edges[EdgeKey("unknown", "web", "http")].health is NodeHealth.DISCONNECTED
    assert view.sidecars_connected == 3 and view.sidecars_total == 4


def test_fallback_is_per_caller_instance_when_the_callee_knows_it() -> None:
    clock = FakeClock()
    model = MeshModel(clock=clock)

    def web2(t: float, i: int) -> StatsSnapshot:
        return snapshot(t, http=[ok_edge("source", WEB2, CART, 20 * i)])

    def cart(t: float, i: int) -> StatsSnapshot:
        both = [
            ok_edge("destination", WEB1, CART, 50 * i),
            ok_edge("destination", WEB2, CART, 20 * i),
        ]
        return snapshot(t, http=both)

    def web1(t: float, i: int) -> StatsSnapshot:
        return snapshot(t, http=[ok_edge("source", WEB1, CART, 50 * i)])

    run(model, clock, {"web1": web1, "web2": web2, "cart": cart}, 5)
    assert model.view().edges[EdgeKey("web", "cart", "http")].stats.rps == 70.0
    model.sidecar_disconnected("web2", at=1004.5)
    run(model, clock, {"web1": web1, "cart": cart}, 5, start=1005.0)
    view = model.view()
    assert view.edges[EdgeKey("web", "cart", "http")].stats.rps == 70.0
    assert view.nodes["web"].health is not NodeHealth.DISCONNECTED  # web-1 is still there


def test_tcp_edges_count_connections_bytes_and_unplaced_connections() -> None:
    clock = FakeClock()
    model = MeshModel(clock=clock)
    run(model, clock, FULL_MESH, 5)
    view = model.view()
    db = view.edges[EdgeKey("cart", "inventory-db", "tcp")].stats
    assert db.rps == 6.0  # five placed, one the sidecar had no endpoint for
    assert db.error_pct == pytest.approx(100.0 / 6.0)
    assert db.bytes_per_s == 1000.0
    assert db.p50_ms is not None and 50.0 < db.p50_ms <= 100.0
    assert view.nodes["inventory-db"].protocol == "tcp"
    assert view.nodes["inventory"].protocol == "http"


def test_instances_come_from_endpoints_and_sidecars_with_their_own_rates() -> None:
    clock = FakeClock()
    model = MeshModel(clock=clock)
    model.set_info("web", info("web", "web-1", version="v7"))
    run(model, clock, FULL_MESH, 5)
    view = model.view()
    inventory = {i.name: i for i in view.nodes["inventory"].instances}
    assert set(inventory) == {"inventory-1", "inventory-2"}
    assert inventory["inventory-1"].rps == 30.0 and inventory["inventory-2"].rps == 10.0
    assert inventory["inventory-2"].version == "v2"
    assert inventory["inventory-1"].address is not None
    (web,) = view.nodes["web"].instances
    assert (web.name, web.version, web.state) == ("web-1", "v7", "ready")
    assert web.address == info("web", "web-1").listeners[0].address


def test_profile_counts_sidecars_and_ignores_others() -> None:
    clock = FakeClock()
    model = MeshModel(clock=clock)
    model.set_sidecars(["web", "cart", "inv1", "inv2", "never-connected"])
    run(model, clock, {**FULL_MESH, "stranger": web_reports}, 3)
    view = model.view()
    assert (view.sidecars_connected, view.sidecars_total) == (4, 5)
    assert view.newest_data_at == 1002.0
    assert view.edges[EdgeKey("web", "cart", "http")].stats.rps == 50.0  # stranger ignored


def test_a_reconnected_sidecar_recovers_by_itself() -> None:
    clock = FakeClock()
    model = MeshModel(clock=clock)
    run(model, clock, FULL_MESH, 3)
    model.sidecar_disconnected("cart", at=1002.5)
    clock.now = 1003.0
    assert model.view().nodes["cart"].health is NodeHealth.DISCONNECTED
    model.sidecar_connected("cart", at=1010.0)
    run(model, clock, FULL_MESH, 3, start=1010.0)
    cart = model.view().nodes["cart"]
    assert cart.health is NodeHealth.HEALTHY
    assert cart.disconnected_since is None
