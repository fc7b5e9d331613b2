"""What the hot path records on an edge."""

from __future__ import annotations

from proxy.telemetry import HttpEdge, TcpEdge, Workload

WEB = Workload("web", version="v1")
INVENTORY = Workload("inventory", version="v2", instance="10.0.0.7:8080")


def _by_outcome(edge: HttpEdge) -> dict[tuple[int, str], int]:
    return {(counter.code, counter.flags): counter.count for counter in edge.responses()}


def test_requests_are_counted_per_code_and_flags() -> None:
    edge = HttpEdge("source", WEB, INVENTORY)
    edge.record(200, "-", 3.0, 10, 200)
    edge.record(200, "-", 7.0, 0, 100)
    edge.record(503, "UO", 0.2, 0, 0)
    edge.record(0, "UF", 1.0, 0, 0)
    assert _by_outcome(edge) == {(200, "-"): 2, (503, "UO"): 1, (0, "UF"): 1}


def test_each_outcome_keeps_its_own_histograms() -> None:
    edge = HttpEdge("source", WEB, INVENTORY)
    edge.record(200, "-", 3.0, 10, 200)
    edge.record(200, "-", 7.0, 0, 100)
    edge.record(500, "-", 40.0, 1, 1)
    ok = next(counter for counter in edge.responses() if counter.code == 200)
    assert (ok.duration.sum, ok.duration.count) == (10.0, 2)
    assert (ok.request_bytes.sum, ok.response_bytes.sum) == (10, 300)
    assert (ok.duration.counts[2], ok.duration.counts[3]) == (1, 1)  # 3 ms -> le 5, 7 ms -> le 10
    failed = next(counter for counter in edge.responses() if counter.code == 500)
    assert (failed.count, failed.duration.sum) == (1, 40.0)


def test_retries_recovery_and_in_flight() -> None:
    edge = HttpEdge("source", WEB, INVENTORY)
    edge.in_flight += 2
    edge.in_flight -= 1
    edge.add_retry()
    edge.add_retry()
    edge.record_recovery(120.0)
    assert (edge.in_flight, edge.retries) == (1, 2)
    assert edge.recovery.counts[7] == 1  # 120 ms falls in (100, 250]
    assert (edge.recovery.sum, edge.recovery.count) == (120.0, 1)


def test_responses_is_a_new_list_each_time() -> None:
    edge = HttpEdge("source", WEB, INVENTORY)
    edge.record(200, "-", 1.0, 0, 0)
    seen = edge.responses()
    edge.record(404, "-", 1.0, 0, 0)
    assert len(seen) == 1
    assert len(edge.responses()) == 2


def test_tcp_edge_counts_connections_and_bytes_by_istio_direction() -> None:
    edge = TcpEdge("source", WEB, Workload("inventory-db"))
    edge.connection_opened()
    edge.connection_opened()
    edge.add_received(100)  # source -> destination: the request direction
    edge.add_sent(4000)  # destination -> source: the response direction
    edge.add_sent(96)
    edge.connection_closed(2500.0)
    assert (edge.opened, edge.closed, edge.in_flight) == (2, 1, 1)
    assert (edge.sent_bytes, edge.received_bytes) == (4096, 100)
    assert edge.duration.counts[10] == 1  # 2500 ms falls in (1000, 2500]
