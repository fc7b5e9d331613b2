"""Sums the registry's edges into Prometheus series, keyed by their rendered label text.

Two edges share label text when they differ only by instance; Istio reports such edges as one
series, so their counters and histograms are added here before rendering.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from proxy.telemetry.edges import HttpEdge, TcpEdge
from proxy.telemetry.histogram import Histogram


@dataclass(slots=True)
class EdgeTotals:
    """Label text -> summed value, one mapping per metric family."""

    requests: dict[str, float] = field(default_factory=dict)
    durations: dict[str, Histogram] = field(default_factory=dict)
    req_sizes: dict[str, Histogram] = field(default_factory=dict)
    resp_sizes: dict[str, Histogram] = field(default_factory=dict)
    in_flight: dict[str, float] = field(default_factory=dict)
    retries: dict[str, float] = field(default_factory=dict)
    recoveries: dict[str, Histogram] = field(default_factory=dict)
    tcp_sent: dict[str, float] = field(default_factory=dict)
    tcp_received: dict[str, float] = field(default_factory=dict)
    tcp_opened: dict[str, float] = field(default_factory=dict)
    tcp_closed: dict[str, float] = field(default_factory=dict)
    tcp_in_flight: dict[str, float] = field(default_factory=dict)
    tcp_durations: dict[str, Histogram] = field(default_factory=dict)


def _add(totals: dict[str, float], labels: str, value: float) -> None:
    totals[labels] = totals.get(labels, 0) + value


def _add_histogram(series: dict[str, Histogram], labels: str, hist: Histogram) -> None:
    previous = series.get(labels)
    if previous is None:
        # The live histogram itself: most label texts are unique, and copying 1000s is waste.
        series[labels] = hist
    else:
        merged = previous.copy()  # never fold into a live histogram
        merged.merge(hist)
        series[labels] = merged


def collect(http_edges: Iterable[HttpEdge], tcp_edges: Iterable[TcpEdge]) -> EdgeTotals:
    """Sum every edge into per-family series (histograms of unique series are live, not copied)."""
    totals = EdgeTotals()
    for edge in http_edges:
        for counter in edge.responses():
            labels = counter.labels
            _add(totals.requests, labels, counter.count)
            _add_histogram(totals.durations, labels, counter.duration)
            _add_histogram(totals.req_sizes, labels, counter.request_bytes)
            _add_histogram(totals.resp_sizes, labels, counter.response_bytes)
        _add(totals.in_flight, edge.edge_labels, edge.in_flight)
        _add(totals.retries, edge.edge_labels, edge.retries)
        _add_histogram(totals.recoveries, edge.edge_labels, edge.recovery)
    for tcp in tcp_edges:
        _add(totals.tcp_sent, tcp.labels, tcp.sent_bytes)
        _add(totals.tcp_received, tcp.labels, tcp.received_bytes)
        _add(totals.tcp_opened, tcp.labels, tcp.opened)
        _add(totals.tcp_closed, tcp.labels, tcp.closed)
        _add(totals.tcp_in_flight, tcp.edge_labels, tcp.in_flight)
        _add_histogram(totals.tcp_durations, tcp.edge_labels, tcp.duration)
    return totals
