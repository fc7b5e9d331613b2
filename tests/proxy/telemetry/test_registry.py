"""The registry: get-or-create edges, snapshots that are copies, and sums that add up."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proxy.telemetry import StatsRegistry, Workload
from tests.proxy.telemetry.prom_text import parse

WEB = Workload("web", version="v1", instance="web-0")
INVENTORY = Workload("inventory", version="v1", instance="10.0.0.2:8080")
DB = Workload("inventory-db")


class FakeWallClock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_edges_are_created_once_and_reused() -> None:
    stats = StatsRegistry(WEB)
    edge = stats.http_edge("source", WEB, INVENTORY)
    assert (
        stats.http_edge("source", WEB, Workload("inventory", "default", "v1", "10.0.0.2:8080"))
        is edge
    )
    assert stats.http_edge("destination", WEB, INVENTORY) is not edge
    assert stats.tcp_edge("source", WEB, DB) is stats.tcp_edge("source", WEB, DB)
    assert stats.http_edges() == [edge, stats.http_edge("destination", WEB, INVENTORY)]
    assert len(stats.tcp_edges()) == 1


def test_a_bad_reporter_is_refused() -> None:
    stats = StatsRegistry(WEB)
    with pytest.raises(ValueError, match="reporter"):
        stats.http_edge("client", WEB, INVENTORY)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="reporter"):
        stats.tcp_edge("server", WEB, DB)  # type: ignore[arg-type]


def test_snapshot_copies_every_counter() -> None:
    clock = FakeWallClock(1_700_000_000.0)
    stats = StatsRegistry(WEB, wall_clock=clock)
    edge = stats.http_edge("source", WEB, INVENTORY)
    edge.record(200, "-", 4.0, 10, 20)
    edge.add_retry()
    edge.record_recovery(50.0)
    edge.in_flight = 2
    tcp = stats.tcp_edge("source", WEB, DB)
    tcp.connection_opened()
    tcp.add_sent(5)

    before = stats.snapshot()
    clock.now += 10
    edge.record(200, "-", 4.0, 10, 20)
    edge.record(500, "-", 4.0, 10, 20)
    edge.add_retry()
    edge.record_recovery(50.0)
    edge.in_flight = 0
    tcp.connection_closed(100.0)
    tcp.add_sent(5)
    after = stats.snapshot()

    assert before.taken_at == 1_700_000_000.0
    assert after.taken_at == 1_700_000_010.0
    (http,) = before.http_edges
    assert (http.reporter, http.source, http.destination) == ("source", WEB, INVENTORY)
    assert [(r.code, r.count) for r in http.responses] == [(200, 1)]
    assert http.responses[0].duration.counts[2] == 1
    assert http.responses[0].duration.count == 1
    assert http.responses[0].request_bytes.sum == 10
    assert (http.retries, http.in_flight, http.recovery.count) == (1, 2, 1)
    (tcp_before,) = before.tcp_edges
    assert (tcp_before.opened, tcp_before.closed, tcp_before.sent_bytes) == (1, 0, 5)
    assert tcp_before.duration.count == 0

    (http_after,) = after.http_edges
    assert [(r.code, r.count) for r in http_after.responses] == [(200, 2), (500, 1)]
    assert (http_after.retries, http_after.in_flight) == (2, 0)
    assert after.tcp_edges[0].sent_bytes == 10


def test_snapshot_keeps_instances_apart() -> None:
    stats = StatsRegistry(WEB)
    other = Workload("inventory", version="v1", instance="10.0.0.3:8080")
    stats.http_edge("source", WEB, INVENTORY).record(200, "-", 1.0, 0, 0)
    stats.http_edge("source", WEB, other).record(200, "-", 1.0, 0, 0)
    instances = {edge.destination.instance for edge in stats.snapshot().http_edges}
    assert instances == {"10.0.0.2:8080", "10.0.0.3:8080"}


_request = st.tuples(
    st.integers(0, 2),  # which instance
    st.sampled_from([200, 404, 503]),
    st.floats(0, 100_000, allow_nan=False),
    st.integers(0, 50_000),
)


@settings(max_examples=50, deadline=None)
@given(st.lists(_request, max_size=40))
def test_rendered_totals_equal_what_was_recorded(
    requests: list[tuple[int, int, float, int]],
) -> None:
    stats = StatsRegistry(WEB)
    instances = [Workload("inventory", version="v1", instance=f"10.0.0.{i}:80") for i in range(3)]
    for instance, code, duration, size in requests:
        stats.http_edge("source", WEB, instances[instance]).record(code, "-", duration, size, size)
    page = parse(stats.render_prometheus())

    totals = {s.labels["response_code"]: s.value for s in page.named("istio_requests_total")}
    expected: dict[str, int] = {}
    for _, code, _, _ in requests:
        expected[str(code)] = expected.get(str(code), 0) + 1
    assert totals == expected
    for label, count in expected.items():
        buckets = [
            s.value
            for s in page.named("istio_request_duration_milliseconds_bucket")
            if s.labels["response_code"] == label
        ]
        assert buckets == sorted(buckets)
        assert buckets[-1] == count
        (size_sum,) = [
            s.value
            for s in page.named("istio_response_bytes_sum")
            if s.labels["response_code"] == label
        ]
        assert size_sum == sum(size for _, c, _, size in requests if str(c) == label)
