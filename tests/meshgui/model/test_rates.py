"""Rates, error share and percentiles from deltas of cumulative counters over the window."""

from __future__ import annotations

import pytest

from meshgui.model import EdgeKey, MeshModel, NodeHealth
from tests.meshgui.model.snapshots import (
    FakeClock,
    http_edge,
    ok_edge,
    response,
    snapshot,
    workload,
)

WEB, CART = workload("web", "web-1"), workload("cart", "cart-1")
WEB_CART = EdgeKey("web", "cart", "http")


def feed_web(model: MeshModel, clock: FakeClock, counts: list[int], start: float = 1000.0) -> None:
    """One snapshot per second from web's sidecar with the given cumulative request counts."""
    for i, count in enumerate(counts):
        clock.now = start + i
        model.ingest("web", snapshot(clock.now, http=[ok_edge("source", WEB, CART, count)]))


def test_a_single_snapshot_is_a_baseline_not_a_rate() -> None:
    clock = FakeClock()
    model = MeshModel(clock=clock)
    feed_web(model, clock, [500])
    stats = model.view().edges[WEB_CART].stats
    assert stats.rps == 0.0
    assert stats.p50_ms is None
    assert model.view().edges[WEB_CART].health is NodeHealth.IDLE


def test_rate_is_the_increase_over_the_window_per_second() -> None:
    clock = FakeClock()
    model = MeshModel(clock=clock, window_s=5.0)
    feed_web(model, clock, [100, 150])
    assert model.view().edges[WEB_CART].stats.rps == 50.0


def test_the_window_slides_over_older_seconds() -> None:
    clock = FakeClock()
    model = MeshModel(clock=clock, window_s=5.0)
    # 50/s for five seconds, then 100/s for two: the 5 s window holds three slow seconds.
    feed_web(model, clock, [100, 150, 200, 250, 300, 350, 450, 550])
    assert model.view().edges[WEB_CART].stats.rps == pytest.approx((550 - 200) / 5.0)


def test_error_share_counts_5xx_and_mesh_failures_but_not_4xx() -> None:
    clock = FakeClock()
    model = MeshModel(clock=clock)
    for i in range(2):
        clock.now = 1000.0 + i
        n = i * 10
        edge = http_edge(
            "source",
            WEB,
            CART,
            [
                response(200, 6 * n),
                response(404, 1 * n),
                response(503, 1 * n),
                response(0, 1 * n, flags="UO"),
                response(200, 1 * n, flags="URX"),
            ],
            retries=3 * i,
            in_flight=4,
        )
        model.ingest("web", snapshot(clock.now, http=[edge]))
    stats = model.view().edges[WEB_CART].stats
    assert stats.rps == 100.0
    assert stats.error_pct == pytest.approx(30.0)
    assert stats.retries_per_s == 3.0
    assert stats.in_flight == 4
    assert stats.bytes_per_s == 100 * 200.0  # 100 bytes each way per request
    assert model.view().edges[WEB_CART].health is NodeHealth.FAILING


def test_percentiles_fall_in_the_bucket_of_the_latency() -> None:
    clock = FakeClock()
    model = MeshModel(clock=clock)
    for i in range(3):
        clock.now = 1000.0 + i
        edge = http_edge(
            "source",
            WEB,
            CART,
            [response(200, 90 * i, latency_ms=30.0), response(200, 10 * i, latency_ms=700.0)],
        )
        model.ingest("web", snapshot(clock.now, http=[edge]))
    stats = model.view().edges[WEB_CART].stats
    assert stats.p50_ms is not None and 25.0 < stats.p50_ms <= 50.0
    assert stats.p90_ms == 50.0  # the rank lands exactly on the top of (25, 50]
    assert stats.p99_ms is not None and 500.0 < stats.p99_ms <= 1000.0


def test_counter_reset_restarts_the_baseline_without_negative_rates() -> None:
    clock = FakeClock()
    model = MeshModel(clock=clock)
    feed_web(model, clock, [1000, 1100, 1200])
    assert model.view().edges[WEB_CART].stats.rps == 100.0
    # The sidecar restarted: its counters start from zero again.
    feed_web(model, clock, [30], start=1003.0)
    after_reset = model.view().edges[WEB_CART].stats
    assert after_reset.rps >= 0.0
    assert after_reset.rps == 0.0
    feed_web(model, clock, [30, 90, 150], start=1003.0)
    assert model.view().edges[WEB_CART].stats.rps == pytest.approx(60.0)


def test_silence_longer_than_the_window_restarts_the_baseline() -> None:
    clock = FakeClock()
    model = MeshModel(clock=clock, window_s=10.0)
    feed_web(model, clock, [0, 10])
    # 60 s later (a long reconnect) the counters have moved on: no rate until the next sample.
    feed_web(model, clock, [5000], start=1061.0)
    assert model.view().edges[WEB_CART].stats.rps == 0.0
    feed_web(model, clock, [5000, 5020], start=1061.0)
    assert model.view().edges[WEB_CART].stats.rps == 20.0


def test_data_older_than_the_window_stops_counting() -> None:
    clock = FakeClock()
    model = MeshModel(clock=clock, window_s=10.0)
    feed_web(model, clock, [0, 10, 20])
    assert model.view().edges[WEB_CART].stats.rps == 10.0
    clock.now += 10.5
    view = model.view()
    assert view.edges[WEB_CART].stats.rps == 0.0
    assert view.edges[WEB_CART].health is NodeHealth.IDLE


def test_a_repeated_snapshot_changes_nothing() -> None:
    clock = FakeClock()
    model = MeshModel(clock=clock)
    feed_web(model, clock, [0, 10])
    # Same taken_at as the newest snapshot (a re-sent message): ignored, whatever it says.
    model.ingest("web", snapshot(1001.0, http=[ok_edge("source", WEB, CART, 99)]))
    clock.now = 1001.5
    assert model.view().edges[WEB_CART].stats.rps == 10.0


def test_edges_appearing_later_start_from_their_own_baseline() -> None:
    clock = FakeClock()
    model = MeshModel(clock=clock)
    inventory = workload("inventory", "inventory-1")
    feed_web(model, clock, [0, 10])
    for i, count in enumerate([777, 787]):
        clock.now = 1002.0 + i
        edges = [
            ok_edge("source", WEB, CART, 20 + 10 * i),
            ok_edge("source", WEB, inventory, count),
        ]
        model.ingest("web", snapshot(clock.now, http=edges))
    stats = model.view().edges[EdgeKey("web", "inventory", "http")].stats
    assert stats.rps == 10.0  # not 787 spread over the window
