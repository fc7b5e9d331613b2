"""The `/metrics` page's structure: families, label sets, buckets, sums, streaming."""

from __future__ import annotations

import pytest

from proxy.telemetry import StatsRegistry
from tests.proxy.telemetry.contract import (
    EDGE_LABELS,
    HTTP_HISTOGRAMS,
    INVENTORY_A,
    INVENTORY_B,
    ISTIO_LABELS,
    LES,
    TCP_LABELS,
    WEB,
    busy_registry,
    page_of,
)
from tests.proxy.telemetry.prom_text import Sample


def _without_le(sample: Sample) -> set[str]:
    return set(sample.labels) - {"le"}


def test_every_istio_http_series_has_exactly_the_25_labels() -> None:
    assert len(ISTIO_LABELS) == 25
    page = page_of(busy_registry())
    http = [s for s in page.samples if s.name.startswith(("istio_request", "istio_response"))]
    assert len(http) == 4 * (1 + 3 * (len(LES) + 2))
    for sample in http:
        assert _without_le(sample) == ISTIO_LABELS, sample.name


def test_tcp_series_have_the_tcp_label_set() -> None:
    page = page_of(busy_registry())
    tcp = [s for s in page.samples if s.name.startswith("istio_tcp_")]
    assert {s.name for s in tcp} == {
        "istio_tcp_sent_bytes_total",
        "istio_tcp_received_bytes_total",
        "istio_tcp_connections_opened_total",
        "istio_tcp_connections_closed_total",
    }
    for sample in tcp:
        assert set(sample.labels) == TCP_LABELS, sample.name
        assert sample.labels["request_protocol"] == "tcp"
    values = {s.name: s.value for s in tcp}
    assert values["istio_tcp_sent_bytes_total"] == 300
    assert values["istio_tcp_received_bytes_total"] == 10
    assert values["istio_tcp_connections_opened_total"] == 1


def test_mesh_series_carry_the_edge_labels() -> None:
    page = page_of(busy_registry())
    mesh = [s for s in page.samples if s.name.startswith("mesh_")]
    assert {
        s.name.removesuffix("_bucket").removesuffix("_sum").removesuffix("_count") for s in mesh
    } >= {
        "mesh_requests_in_flight",
        "mesh_request_retries_total",
        "mesh_recovery_time_milliseconds",
        "mesh_tcp_connections_in_flight",
        "mesh_tcp_connection_duration_milliseconds",
    }
    for sample in mesh:
        assert _without_le(sample) == EDGE_LABELS, sample.name
    outbound = [s for s in mesh if s.labels["reporter"] == "source"]
    assert [s.value for s in outbound if s.name == "mesh_request_retries_total"] == [1]
    assert [s.value for s in outbound if s.name == "mesh_requests_in_flight"] == [3]


def test_families_are_declared_with_their_types() -> None:
    page = page_of(busy_registry())
    assert page.types["istio_requests_total"] == "counter"
    for name in HTTP_HISTOGRAMS:
        assert page.types[name] == "histogram"
    assert page.types["istio_tcp_sent_bytes_total"] == "counter"
    assert page.types["istio_build"] == "gauge"
    assert set(page.helps) == set(page.types)


def test_istio_build_reports_the_version() -> None:
    (build,) = page_of(busy_registry()).named("istio_build")
    assert build.labels == {"component": "proxy", "tag": "1.2.3"}
    assert build.value == 1


@pytest.mark.parametrize("name", HTTP_HISTOGRAMS)
def test_buckets_are_cumulative_and_inf_equals_count(name: str) -> None:
    stats = StatsRegistry(WEB)
    edge = stats.http_edge("source", WEB, INVENTORY_A)
    for i, value in enumerate((0, 0.5, 3, 9, 9, 700, 42_000, 5_000_000)):
        edge.record(200, "-", value, int(value) + i, int(value) * 2)
    page = page_of(stats)
    buckets = page.named(f"{name}_bucket")
    assert [b.labels["le"] for b in buckets] == LES
    counts = [b.value for b in buckets]
    assert counts == sorted(counts)
    (count,) = page.named(f"{name}_count")
    assert counts[-1] == count.value == 8
    assert counts[0] > 0 and counts[-2] < counts[-1]


def test_edges_that_differ_only_by_instance_are_summed() -> None:
    stats = StatsRegistry(WEB)
    stats.http_edge("source", WEB, INVENTORY_A).record(200, "-", 3.0, 0, 100)
    stats.http_edge("source", WEB, INVENTORY_B).record(200, "-", 30.0, 0, 100)
    stats.http_edge("source", WEB, INVENTORY_B).record(200, "-", 30.0, 0, 100)
    stats.http_edge("source", WEB, INVENTORY_B).add_retry()
    page = page_of(stats)
    assert [s.value for s in page.named("istio_requests_total")] == [3]
    assert [s.value for s in page.named("istio_request_duration_milliseconds_sum")] == [63.0]
    buckets = {
        b.labels["le"]: b.value for b in page.named("istio_request_duration_milliseconds_bucket")
    }
    assert (buckets["5"], buckets["25"], buckets["50"], buckets["+Inf"]) == (1, 1, 3, 3)
    assert [s.value for s in page.named("mesh_request_retries_total")] == [1]
    # Summing copies: the live edges keep their own counts.
    assert stats.http_edge("source", WEB, INVENTORY_A).responses()[0].count == 1


def test_streamed_chunks_make_the_samepage_of() -> None:
    stats = busy_registry()
    chunks = list(stats.iter_prometheus())
    assert len(chunks) > 10
    assert "".join(chunks) == stats.render_prometheus()


def test_an_idle_sidecar_still_reports_its_build() -> None:
    page = page_of(StatsRegistry(WEB, version="0.1.0"))
    assert [s.name for s in page.samples] == ["istio_build"]
