"""Sidecar state -> admin API messages: stats snapshots, endpoint states and events.

Pure functions over the sidecar's own immutable snapshots, so they can be tested without a
server. Times leave the sidecar as wall-clock seconds since the epoch: the loop's monotonic clock
means nothing to another process.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from proxy.admin.v1 import admin_pb2 as pb
from proxy.events import (
    ConfigApplied,
    DrainChanged,
    EndpointEjected,
    EndpointReadmitted,
    MeshEvent,
)
from proxy.policy.endpoint import EndpointState
from proxy.telemetry import (
    BYTES_BUCKETS,
    LATENCY_BUCKETS_MS,
    HistogramSnapshot,
    HttpEdgeSnapshot,
    StatsSnapshot,
    TcpEdgeSnapshot,
    Workload,
)

_REPORTERS: dict[str, pb.Reporter] = {
    "source": pb.REPORTER_SOURCE,
    "destination": pb.REPORTER_DESTINATION,
}


class BoundsMismatchError(ValueError):
    """A histogram whose bounds differ from the ones the snapshot declares once for all."""


def workload_message(workload: Workload) -> pb.Workload:
    return pb.Workload(
        service=workload.service,
        namespace=workload.namespace,
        version=workload.version or "",
        instance=workload.instance or "",
    )


def histogram_message(histogram: HistogramSnapshot, bounds: tuple[float, ...]) -> pb.Histogram:
    if histogram.bounds is not bounds and histogram.bounds != bounds:
        raise BoundsMismatchError(f"histogram bounds {histogram.bounds} are not {bounds}")
    return pb.Histogram(counts=histogram.counts, sum=histogram.sum, count=histogram.count)


def http_edge_message(edge: HttpEdgeSnapshot) -> pb.HttpEdge:
    return pb.HttpEdge(
        reporter=_REPORTERS[edge.reporter],
        source=workload_message(edge.source),
        destination=workload_message(edge.destination),
        responses=[
            pb.ResponseStats(
                code=response.code,
                flags=response.flags,
                count=response.count,
                duration_ms=histogram_message(response.duration, LATENCY_BUCKETS_MS),
                request_bytes=histogram_message(response.request_bytes, BYTES_BUCKETS),
                response_bytes=histogram_message(response.response_bytes, BYTES_BUCKETS),
            )
            for response in edge.responses
        ],
        in_flight=edge.in_flight,
        retries=edge.retries,
        recovery_ms=histogram_message(edge.recovery, LATENCY_BUCKETS_MS),
    )


def tcp_edge_message(edge: TcpEdgeSnapshot) -> pb.TcpEdge:
    return pb.TcpEdge(
        reporter=_REPORTERS[edge.reporter],
        source=workload_message(edge.source),
        destination=workload_message(edge.destination),
        opened=edge.opened,
        closed=edge.closed,
        in_flight=edge.in_flight,
        sent_bytes=edge.sent_bytes,
        received_bytes=edge.received_bytes,
        duration_ms=histogram_message(edge.duration, LATENCY_BUCKETS_MS),
    )


def endpoint_message(
    endpoint: EndpointState, service: str, *, now: float, wall_now: float
) -> pb.EndpointState:
    """`now` is the loop clock the endpoint's times are on; `wall_now` the same instant as
    wall-clock time."""
    ejected = endpoint.is_ejected(now)
    return pb.EndpointState(
        name=endpoint.name,
        service=service,
        address=f"{endpoint.host}:{endpoint.port}",
        healthy=not ejected,
        ejected_until=wall_now + (endpoint.ejected_until - now) if ejected else 0.0,
        ejection_count=endpoint.ejection_count,
        drained=endpoint.drained,
        pending=endpoint.pending,
        weight=endpoint.weight,
        labels=endpoint.labels,
        rtt_estimate_ms=endpoint.rtt_estimate(now) * 1000.0,
    )


def snapshot_message(
    snapshot: StatsSnapshot,
    endpoints: Iterable[EndpointState],
    service_of: Mapping[str, str],
    *,
    config_version: int,
    now: float,
) -> pb.StatsSnapshot:
    """One WatchStats message. `service_of` maps endpoint names to the services that list them;
    `now` is the loop clock at `snapshot.taken_at`."""
    wall_now = snapshot.taken_at
    return pb.StatsSnapshot(
        taken_at=wall_now,
        config_version=config_version,
        latency_bounds_ms=LATENCY_BUCKETS_MS,
        size_bounds_bytes=BYTES_BUCKETS,
        http_edges=[http_edge_message(edge) for edge in snapshot.http_edges],
        tcp_edges=[tcp_edge_message(edge) for edge in snapshot.tcp_edges],
        endpoints=[
            endpoint_message(ep, service_of.get(ep.name, ""), now=now, wall_now=wall_now)
            for ep in endpoints
        ],
    )


def event_message(event: MeshEvent, missed: int = 0) -> pb.Event:
    """One WatchEvents message; `missed` counts events dropped just before this one."""
    message = pb.Event(at=event.at, missed=missed)
    if isinstance(event, ConfigApplied):
        message.config_applied.CopyFrom(pb.ConfigApplied(version=event.version, by=event.by))
    elif isinstance(event, EndpointEjected):
        message.endpoint_ejected.CopyFrom(
            pb.EndpointEjected(
                service=event.service, endpoint=event.endpoint, duration_s=event.until_s
            )
        )
    elif isinstance(event, EndpointReadmitted):
        message.endpoint_readmitted.CopyFrom(
            pb.EndpointReadmitted(service=event.service, endpoint=event.endpoint)
        )
    elif isinstance(event, DrainChanged):
        message.drain_changed.CopyFrom(pb.DrainChanged(target=event.target, drained=event.drained))
    return message
