"""Immutable copies of the registry's counters, for the admin API and the desktop app.

Values are cumulative since the sidecar started; consumers compute rates and percentiles from
deltas between two snapshots. Nothing here aliases live counters, so a snapshot never changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from proxy.telemetry.edges import HttpEdge, ResponseCounter, TcpEdge
from proxy.telemetry.histogram import Histogram
from proxy.telemetry.labels import Reporter
from proxy.telemetry.workload import Workload


@dataclass(frozen=True, slots=True)
class HistogramSnapshot:
    """`counts` are per bucket (not cumulative), one more than `bounds` (the last is +Inf)."""

    bounds: tuple[float, ...]
    counts: tuple[int, ...]
    sum: float
    count: int

    @classmethod
    def of(cls, histogram: Histogram) -> HistogramSnapshot:
        counts = tuple(histogram.counts)
        # Derived from the copied buckets so the two can never disagree.
        return cls(histogram.bounds, counts, histogram.sum, sum(counts))


@dataclass(frozen=True, slots=True)
class ResponseSnapshot:
    """Requests on one edge that ended with one (code, flags) pair."""

    code: int
    flags: str
    count: int
    duration: HistogramSnapshot
    request_bytes: HistogramSnapshot
    response_bytes: HistogramSnapshot

    @classmethod
    def of(cls, counter: ResponseCounter) -> ResponseSnapshot:
        duration = HistogramSnapshot.of(counter.duration)
        return cls(
            code=counter.code,
            flags=counter.flags,
            count=duration.count,
            duration=duration,
            request_bytes=HistogramSnapshot.of(counter.request_bytes),
            response_bytes=HistogramSnapshot.of(counter.response_bytes),
        )


@dataclass(frozen=True, slots=True)
class HttpEdgeSnapshot:
    """One HTTP edge, per instance (not summed like the Prometheus series)."""

    reporter: Reporter
    source: Workload
    destination: Workload
    responses: tuple[ResponseSnapshot, ...]
    """Sorted by (code, flags)."""
    in_flight: int
    retries: int
    recovery: HistogramSnapshot

    @classmethod
    def of(cls, edge: HttpEdge) -> HttpEdgeSnapshot:
        responses = sorted(edge.responses(), key=lambda counter: (counter.code, counter.flags))
        return cls(
            reporter=edge.reporter,
            source=edge.source,
            destination=edge.destination,
            responses=tuple(ResponseSnapshot.of(counter) for counter in responses),
            in_flight=edge.in_flight,
            retries=edge.retries,
            recovery=HistogramSnapshot.of(edge.recovery),
        )


@dataclass(frozen=True, slots=True)
class TcpEdgeSnapshot:
    """One TCP edge; `sent_bytes`/`received_bytes` follow Istio's directions (see `TcpEdge`)."""

    reporter: Reporter
    source: Workload
    destination: Workload
    opened: int
    closed: int
    in_flight: int
    sent_bytes: int
    received_bytes: int
    duration: HistogramSnapshot

    @classmethod
    def of(cls, edge: TcpEdge) -> TcpEdgeSnapshot:
        return cls(
            reporter=edge.reporter,
            source=edge.source,
            destination=edge.destination,
            opened=edge.opened,
            closed=edge.closed,
            in_flight=edge.in_flight,
            sent_bytes=edge.sent_bytes,
            received_bytes=edge.received_bytes,
            duration=HistogramSnapshot.of(edge.duration),
        )


@dataclass(frozen=True, slots=True)
class StatsSnapshot:
    """Everything one sidecar has recorded, as of `taken_at` (wall clock, seconds since epoch)."""

    taken_at: float
    http_edges: tuple[HttpEdgeSnapshot, ...]
    tcp_edges: tuple[TcpEdgeSnapshot, ...]
