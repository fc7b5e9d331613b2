"""Typed results of the admin client: what a sidecar said, as immutable pydantic models.

These, not the proto messages, are what the desktop app and scripts program against. Histograms
carry their bounds (one shared tuple per snapshot), so a consumer never pairs counts with the
wrong bounds.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from proxy.config import ConfigProblem, MeshConfig, parse_mesh_document

SidecarStateName = Literal["unknown", "starting", "ready", "draining"]
ReporterName = Literal["unknown", "source", "destination"]


class Result(BaseModel):
    model_config = ConfigDict(frozen=True)


class Listener(Result):
    name: str
    address: str


class Info(Result):
    """GetInfo: who the sidecar is, where it listens, which config it runs."""

    service: str
    namespace: str
    instance: str
    labels: dict[str, str]
    sidecar_version: str
    listeners: tuple[Listener, ...]
    config_version: int
    started_at: float
    """Seconds since the Unix epoch."""
    state: SidecarStateName


class ConfigState(Result):
    """GetConfig: the running mesh config as YAML, and its version."""

    version: int
    document: str

    def mesh(self) -> MeshConfig:
        """The document parsed by the same schema the sidecar uses."""
        return parse_mesh_document(self.document, source="GetConfig")


class Workload(Result):
    service: str
    namespace: str
    version: str | None
    instance: str | None


class Histogram(Result):
    """Per-bucket counts (not cumulative), len(bounds) + 1 of them; the last is +Inf."""

    bounds: tuple[float, ...]
    counts: tuple[int, ...]
    sum: float
    count: int


class ResponseStats(Result):
    code: int
    flags: str
    count: int
    duration_ms: Histogram
    request_bytes: Histogram
    response_bytes: Histogram


class HttpEdge(Result):
    reporter: ReporterName
    source: Workload
    destination: Workload
    responses: tuple[ResponseStats, ...]
    in_flight: int
    retries: int
    recovery_ms: Histogram

    @property
    def requests(self) -> int:
        return sum(response.count for response in self.responses)


class TcpEdge(Result):
    reporter: ReporterName
    source: Workload
    destination: Workload
    opened: int
    closed: int
    in_flight: int
    sent_bytes: int
    received_bytes: int
    duration_ms: Histogram


class EndpointStatus(Result):
    """One upstream endpoint as the sidecar sees it."""

    name: str
    service: str
    address: str
    healthy: bool
    ejected_until: float | None
    """Seconds since the Unix epoch; None when not ejected."""
    ejection_count: int
    drained: bool
    pending: int
    weight: int
    labels: dict[str, str]
    rtt_estimate_ms: float


class StatsSnapshot(Result):
    """WatchStats: cumulative counters since the sidecar started, as of `taken_at`."""

    taken_at: float
    config_version: int
    http_edges: tuple[HttpEdge, ...]
    tcp_edges: tuple[TcpEdge, ...]
    endpoints: tuple[EndpointStatus, ...]


class _Event(Result):
    at: float
    missed: int = 0
    """Events dropped just before this one because the client read too slowly."""


class ConfigAppliedEvent(_Event):
    kind: Literal["config_applied"] = "config_applied"
    version: int
    by: str


class EndpointEjectedEvent(_Event):
    kind: Literal["endpoint_ejected"] = "endpoint_ejected"
    service: str
    endpoint: str
    duration_s: float


class EndpointReadmittedEvent(_Event):
    kind: Literal["endpoint_readmitted"] = "endpoint_readmitted"
    service: str
    endpoint: str


class DrainChangedEvent(_Event):
    """drained=True: a drain started; False: it finished and traffic may return."""

    kind: Literal["drain_changed"] = "drain_changed"
    target: str
    drained: bool


AdminEvent = Annotated[
    ConfigAppliedEvent | EndpointEjectedEvent | EndpointReadmittedEvent | DrainChangedEvent,
    Field(discriminator="kind"),
]

ErrorKind = Literal[
    "invalid_config",
    "stale_version",
    "unauthenticated",
    "not_found",
    "invalid_argument",
    "unavailable",
    "timeout",
    "internal",
    "other",
]


class ApplyOutcome(Result):
    """One sidecar's answer to a fanned-out apply: ok with the new version, or why not."""

    target: str
    ok: bool
    version: int | None = None
    error_kind: ErrorKind | None = None
    message: str = ""
    problems: tuple[ConfigProblem, ...] = ()
    current_version: int | None = None
    """For a stale apply: the version the sidecar runs."""
