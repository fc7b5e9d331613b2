"""Synthetic admin snapshots with known answers, and a clock the tests move by hand."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence

from proxy.admin.models import (
    EndpointStatus,
    Histogram,
    HttpEdge,
    Info,
    Listener,
    ResponseStats,
    StatsSnapshot,
    TcpEdge,
    Workload,
)
from proxy.telemetry import LATENCY_BUCKETS_MS

BOUNDS = LATENCY_BUCKETS_MS
UNKNOWN = Workload(service="unknown", namespace="unknown", version=None, instance=None)


class FakeClock:
    def __init__(self, now: float = 1_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def workload(service: str, instance: str | None = None, version: str | None = None) -> Workload:
    return Workload(service=service, namespace="default", version=version, instance=instance)


def histogram(
    values: Iterable[tuple[float, int]] = (), bounds: Sequence[float] = BOUNDS
) -> Histogram:
    """`values`: (observed value, how many times)."""
    counts = [0] * (len(bounds) + 1)
    total = 0.0
    n = 0
    for value, times in values:
        counts[bisect_left(bounds, value)] += times
        total += value * times
        n += times
    return Histogram(bounds=tuple(bounds), counts=tuple(counts), sum=total, count=n)


def response(
    code: int, count: int, *, flags: str = "-", latency_ms: float = 10.0, size: float = 100.0
) -> ResponseStats:
    return ResponseStats(
        code=code,
        flags=flags,
        count=count,
        duration_ms=histogram([(latency_ms, count)]),
        request_bytes=histogram([(size, count)]),
        response_bytes=histogram([(size, count)]),
    )


def http_edge(
    reporter: str,
    source: Workload,
    destination: Workload,
    responses: Sequence[ResponseStats],
    *,
    retries: int = 0,
    in_flight: int = 0,
) -> HttpEdge:
    return HttpEdge(
        reporter=reporter,  # type: ignore[arg-type]
        source=source,
        destination=destination,
        responses=tuple(responses),
        in_flight=in_flight,
        retries=retries,
        recovery_ms=histogram(),
    )


def ok_edge(
    reporter: str, source: Workload, destination: Workload, count: int, latency_ms: float = 10.0
) -> HttpEdge:
    return http_edge(reporter, source, destination, [response(200, count, latency_ms=latency_ms)])


def tcp_edge(
    reporter: str,
    source: Workload,
    destination: Workload,
    *,
    opened: int,
    closed: int | None = None,
    in_flight: int = 0,
    sent: int = 0,
    received: int = 0,
    duration_ms: float = 100.0,
) -> TcpEdge:
    closed = opened if closed is None else closed
    return TcpEdge(
        reporter=reporter,  # type: ignore[arg-type]
        source=source,
        destination=destination,
        opened=opened,
        closed=closed,
        in_flight=in_flight,
        sent_bytes=sent,
        received_bytes=received,
        duration_ms=histogram([(duration_ms, closed)]),
    )


def endpoint(
    service: str,
    name: str,
    *,
    healthy: bool = True,
    drained: bool = False,
    pending: int = 0,
    version: str | None = None,
) -> EndpointStatus:
    return EndpointStatus(
        name=name,
        service=service,
        address=f"10.0.0.1:{abs(hash(name)) % 50000 + 1000}",
        healthy=healthy,
        ejected_until=None if healthy else 9e9,
        ejection_count=0 if healthy else 1,
        drained=drained,
        pending=pending,
        weight=1,
        labels={"version": version} if version else {},
        rtt_estimate_ms=1.0,
    )


def snapshot(
    taken_at: float,
    http: Sequence[HttpEdge] = (),
    tcp: Sequence[TcpEdge] = (),
    endpoints: Sequence[EndpointStatus] = (),
) -> StatsSnapshot:
    return StatsSnapshot(
        taken_at=taken_at,
        config_version=1,
        http_edges=tuple(http),
        tcp_edges=tuple(tcp),
        endpoints=tuple(endpoints),
    )


def info(service: str, instance: str, *, version: str | None = None, state: str = "ready") -> Info:
    return Info(
        service=service,
        namespace="default",
        instance=instance,
        labels={"version": version} if version else {},
        sidecar_version="test",
        listeners=(Listener(name="inbound", address=f"127.0.0.1:7{len(instance):03d}"),),
        config_version=1,
        started_at=0.0,
        state=state,  # type: ignore[arg-type]
    )
