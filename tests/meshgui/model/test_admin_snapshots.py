"""The model fed through the sidecar's own telemetry and the admin API's wire conversion."""

from __future__ import annotations

import pytest

from meshgui.model import EdgeKey, MeshModel
from proxy.admin.convert import snapshot_message
from proxy.admin.from_proto import stats_from_proto
from proxy.admin.models import StatsSnapshot
from proxy.telemetry import StatsRegistry, Workload
from tests.meshgui.model.snapshots import FakeClock

WEB = Workload("web", "default", "v1", "web-1")
CART = Workload("cart", "default", "v1", "cart-1")


def over_the_wire(registry: StatsRegistry) -> StatsSnapshot:
    message = snapshot_message(registry.snapshot(), [], {}, config_version=3, now=0.0)
    return stats_from_proto(message)


def test_rates_and_percentiles_from_real_sidecar_counters() -> None:
    clock = FakeClock(2000.0)
    web = StatsRegistry(WEB, wall_clock=clock)
    cart = StatsRegistry(CART, wall_clock=clock)
    outbound = web.http_edge("source", WEB, CART)
    inbound = cart.http_edge("destination", WEB, CART)
    no_route = web.http_edge("source", WEB, Workload("unknown", "unknown"))
    model = MeshModel(clock=clock)
    for second in range(6):
        clock.now = 2000.0 + second
        for _ in range(20):
            outbound.record(200, "-", 40.0, 10, 200)
            inbound.record(200, "-", 38.0, 10, 200)
        outbound.record(0, "UH", 0.2, 10, 0)  # no healthy upstream: only the caller knows
        no_route.record(404, "NR", 0.1, 0, 0)
        model.ingest("web", over_the_wire(web))
        model.ingest("cart", over_the_wire(cart))
    view = model.view()
    stats = view.edges[EdgeKey("web", "cart", "http")].stats
    assert stats.rps == 21.0
    assert stats.error_pct == pytest.approx(100 / 21)
    assert stats.p50_ms is not None and 25.0 < stats.p50_ms <= 50.0
    assert stats.bytes_per_s == 20 * 210.0 + 10.0
    assert view.edges[EdgeKey("web", "unknown", "http")].stats.error_pct == 100.0
    assert {i.name for i in view.nodes["cart"].instances} == {"cart-1"}
