"""What the desktop app's views read from the model: immutable, Qt-free values.

The views are built against exactly these names. Everything here is a frozen value, so a view
may keep an object from one refresh and compare it (`is` or `==`) with the next one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Literal, NamedTuple

import numpy as np
import numpy.typing as npt

from meshgui.model.node_ids import split_node_id

Protocol = Literal["http", "tcp"]
InstanceState = Literal["ready", "draining", "drained", "ejected", "disconnected"]
FloatArray = npt.NDArray[np.float64]


class EdgeKey(NamedTuple):
    """Calls from one service to another over one protocol (instances summed).

    A NamedTuple rather than a frozen dataclass: a refresh at 5,000 edges hashes tens of
    thousands of keys, and a tuple hashes in C (about half the dataclass's Python `__hash__`).
    Equality and ordering are the same field by field; it also equals a plain tuple of its
    fields, which nothing relies on.
    """

    source: str
    destination: str
    protocol: Protocol


@dataclass(frozen=True, slots=True)
class EdgeStats:
    """One edge over the model's sliding window.

    For TCP edges `rps` counts connections opened per second, errors are connections the caller's
    sidecar could not place (no endpoint), and the percentiles are connection durations.
    """

    rps: float
    error_pct: float
    p50_ms: float | None
    p90_ms: float | None
    p99_ms: float | None
    in_flight: int
    retries_per_s: float
    bytes_per_s: float


class NodeHealth(Enum):
    HEALTHY = "healthy"
    DEGRADED = "degraded"
    FAILING = "failing"
    DRAINED = "drained"
    DISCONNECTED = "disconnected"
    IDLE = "idle"


@dataclass(frozen=True, slots=True)
class InstanceView:
    """One instance of a service; `rps`/`error_pct` are the calls it received in the window."""

    name: str
    service: str
    version: str | None
    state: InstanceState
    rps: float
    error_pct: float
    address: str | None


@dataclass(frozen=True, slots=True)
class NodeView:
    """One canvas node: a service, or one version of it when versions are shown as nodes.
    `rps_in`, `error_pct` and `p99_ms` are over the calls it received.

    `name` is the node id (`node_ids`: "inventory" or "inventory@v1"); `service` and `version`
    are its parts, filled in from `name` when not given.
    """

    name: str
    protocol: Protocol
    instances: tuple[InstanceView, ...]
    health: NodeHealth
    disconnected_since: float | None
    rps_in: float
    error_pct: float
    p99_ms: float | None
    rps_out: float = 0.0
    """Calls it made: all there is of a caller outside the mesh ("unknown")."""
    bytes_in_per_s: float = 0.0
    """Bytes of the calls it received, both ways: a TCP service's traffic when its pooled
    connections open no new ones."""
    retries_in: float = 0.0
    """Retries per second of the calls it received (each follows a try of it that failed)."""
    service: str = ""
    version: str | None = None

    def __post_init__(self) -> None:
        if not self.service:
            service, version = split_node_id(self.name)
            # Frozen: the only way to derive a field is to set it once, here.
            object.__setattr__(self, "service", service)
            object.__setattr__(self, "version", self.version or version)


@dataclass(frozen=True, slots=True)
class EdgeView:
    key: EdgeKey
    stats: EdgeStats
    health: NodeHealth
    """By error rate, counting tries that failed and were retried; IDLE without calls;
    DISCONNECTED when idle because an end went away."""


class EdgeChanges(set[EdgeKey]):
    """The edges whose numbers changed, or that came or went, since the previous refresh, and
    among them the ones the canvas must redraw: `restyled` when zoomed out (health or width
    step changed; every edge that came or went) and `relabelled` up close (`restyled`, or the
    label reads differently, or the edge went idle or busy). Equal to a plain set of the same
    keys; an edge in neither subset looks as it did."""

    def __init__(
        self,
        changed: Iterable[EdgeKey] = (),
        restyled: Iterable[EdgeKey] = (),
        relabelled: Iterable[EdgeKey] = (),
    ) -> None:
        super().__init__(changed)
        self.restyled: set[EdgeKey] = set(restyled)
        self.relabelled: set[EdgeKey] = set(relabelled)

    def merge(self, later: EdgeChanges) -> None:
        """Add the changes of a later refresh (one refresh's worth, when two arrive at once)."""
        self.update(later)
        self.restyled.update(later.restyled)
        self.relabelled.update(later.relabelled)


@dataclass(frozen=True, slots=True)
class TopologyView:
    nodes: Mapping[str, NodeView]
    edges: Mapping[EdgeKey, EdgeView]
    newest_data_at: float | None
    """The model clock's time when the newest snapshot arrived; None before the first."""
    sidecars_connected: int
    sidecars_total: int


@dataclass(frozen=True, slots=True, eq=False)
class EdgeHistory:
    """One edge's past on a time grid (seconds since the epoch); NaN where nothing was known.

    The grid is `resolution_s` apart for the recent part and coarser further back (see
    `MeshModel`); `error_pct` and the percentiles are NaN when the edge carried no calls.
    """

    t: FloatArray
    rps: FloatArray
    error_pct: FloatArray
    p50_ms: FloatArray
    p90_ms: FloatArray
    p99_ms: FloatArray
    tries_failed_pct: FloatArray | None = None
    """Share of the tries that failed, retried ones included; None where not recorded."""
