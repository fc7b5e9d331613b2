"""Admin API messages -> the client's typed models.

Stats arrive every second for every edge of a sidecar, so the stats tree is built with
`model_construct` (no re-validation: the proto has already typed every field) and histograms
share one bounds tuple per snapshot.
"""

from __future__ import annotations

from proxy.admin.models import (
    AdminEvent,
    ConfigAppliedEvent,
    DrainChangedEvent,
    EndpointEjectedEvent,
    EndpointReadmittedEvent,
    EndpointStatus,
    Histogram,
    HttpEdge,
    Info,
    Listener,
    ReporterName,
    ResponseStats,
    SidecarStateName,
    StatsSnapshot,
    TcpEdge,
    Workload,
)
from proxy.admin.v1 import admin_pb2 as pb

Bounds = tuple[float, ...]
_STATES: dict[int, SidecarStateName] = {
    pb.SIDECAR_STATE_STARTING: "starting",
    pb.SIDECAR_STATE_READY: "ready",
    pb.SIDECAR_STATE_DRAINING: "draining",
}
_REPORTERS: dict[int, ReporterName] = {
    pb.REPORTER_SOURCE: "source",
    pb.REPORTER_DESTINATION: "destination",
}


def info_from_proto(message: pb.Info) -> Info:
    return Info(
        service=message.service,
        namespace=message.namespace,
        instance=message.instance,
        labels=dict(message.labels),
        sidecar_version=message.sidecar_version,
        listeners=tuple(Listener(name=x.name, address=x.address) for x in message.listeners),
        config_version=message.config_version,
        started_at=message.started_at,
        state=_STATES.get(message.state, "unknown"),
    )


def _workload(message: pb.Workload) -> Workload:
    return Workload.model_construct(
        service=message.service,
        namespace=message.namespace,
        version=message.version or None,
        instance=message.instance or None,
    )


def _histogram(message: pb.Histogram, bounds: tuple[float, ...]) -> Histogram:
    return Histogram.model_construct(
        bounds=bounds, counts=tuple(message.counts), sum=message.sum, count=message.count
    )


def _http_edge(message: pb.HttpEdge, latency: Bounds, size: Bounds) -> HttpEdge:
    return HttpEdge.model_construct(
        reporter=_REPORTERS.get(message.reporter, "unknown"),
        source=_workload(message.source),
        destination=_workload(message.destination),
        responses=tuple(
            ResponseStats.model_construct(
                code=r.code,
                flags=r.flags,
                count=r.count,
                duration_ms=_histogram(r.duration_ms, latency),
                request_bytes=_histogram(r.request_bytes, size),
                response_bytes=_histogram(r.response_bytes, size),
            )
            for r in message.responses
        ),
        in_flight=message.in_flight,
        retries=message.retries,
        recovery_ms=_histogram(message.recovery_ms, latency),
    )


def _tcp_edge(message: pb.TcpEdge, latency: tuple[float, ...]) -> TcpEdge:
    return TcpEdge.model_construct(
        reporter=_REPORTERS.get(message.reporter, "unknown"),
        source=_workload(message.source),
        destination=_workload(message.destination),
        opened=message.opened,
        closed=message.closed,
        in_flight=message.in_flight,
        sent_bytes=message.sent_bytes,
        received_bytes=message.received_bytes,
        duration_ms=_histogram(message.duration_ms, latency),
    )


def _endpoint(message: pb.EndpointState) -> EndpointStatus:
    return EndpointStatus.model_construct(
        name=message.name,
        service=message.service,
        address=message.address,
        healthy=message.healthy,
        ejected_until=message.ejected_until or None,
        ejection_count=message.ejection_count,
        drained=message.drained,
        pending=message.pending,
        weight=message.weight,
        labels=dict(message.labels),
        rtt_estimate_ms=message.rtt_estimate_ms,
    )


def stats_from_proto(message: pb.StatsSnapshot) -> StatsSnapshot:
    latency = tuple(message.latency_bounds_ms)
    size = tuple(message.size_bounds_bytes)
    return StatsSnapshot.model_construct(
        taken_at=message.taken_at,
        config_version=message.config_version,
        http_edges=tuple(_http_edge(edge, latency, size) for edge in message.http_edges),
        tcp_edges=tuple(_tcp_edge(edge, latency) for edge in message.tcp_edges),
        endpoints=tuple(_endpoint(endpoint) for endpoint in message.endpoints),
    )


def event_from_proto(message: pb.Event) -> AdminEvent | None:
    """The event, or None for a kind this client does not know (a newer sidecar)."""
    at, missed = message.at, message.missed
    kind = message.WhichOneof("kind")
    if kind == "config_applied":
        applied = message.config_applied
        return ConfigAppliedEvent(at=at, missed=missed, version=applied.version, by=applied.by)
    if kind == "endpoint_ejected":
        ejected = message.endpoint_ejected
        return EndpointEjectedEvent(
            at=at,
            missed=missed,
            service=ejected.service,
            endpoint=ejected.endpoint,
            duration_s=ejected.duration_s,
        )
    if kind == "endpoint_readmitted":
        back = message.endpoint_readmitted
        return EndpointReadmittedEvent(
            at=at, missed=missed, service=back.service, endpoint=back.endpoint
        )
    if kind == "drain_changed":
        drain = message.drain_changed
        return DrainChangedEvent(at=at, missed=missed, target=drain.target, drained=drain.drained)
    return None
