"""The sidecar's registry of edges: get-or-create, Prometheus rendering and snapshots."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

from proxy import __version__
from proxy.telemetry.edges import HttpEdge, TcpEdge
from proxy.telemetry.labels import Reporter
from proxy.telemetry.prometheus import iter_prometheus, render_prometheus
from proxy.telemetry.snapshot import HttpEdgeSnapshot, StatsSnapshot, TcpEdgeSnapshot
from proxy.telemetry.workload import Workload

_EdgeKey = tuple[Reporter, Workload, Workload]
_REPORTERS: frozenset[str] = frozenset(("source", "destination"))


class StatsRegistry:
    """All edges one sidecar records, keyed by (reporter, source, destination).

    Lookups hash two Workloads, so the hot path should keep the returned edge (per endpoint, per
    route) instead of asking again for every request. Not thread-safe: record, render and
    snapshot on the proxy's event loop thread.
    """

    def __init__(
        self,
        local: Workload,
        version: str = __version__,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.local = local
        """This sidecar's own workload: the source of outbound edges, the destination of inbound."""
        self.version = version
        self._wall_clock = wall_clock
        self._http: dict[_EdgeKey, HttpEdge] = {}
        self._tcp: dict[_EdgeKey, TcpEdge] = {}

    def http_edge(self, reporter: Reporter, source: Workload, destination: Workload) -> HttpEdge:
        """The HTTP edge for this triple, created on first use."""
        key = (reporter, source, destination)
        edge = self._http.get(key)
        if edge is None:
            _check_reporter(reporter)
            edge = self._http[key] = HttpEdge(reporter, source, destination)
        return edge

    def tcp_edge(self, reporter: Reporter, source: Workload, destination: Workload) -> TcpEdge:
        """The TCP edge for this triple, created on first use."""
        key = (reporter, source, destination)
        edge = self._tcp.get(key)
        if edge is None:
            _check_reporter(reporter)
            edge = self._tcp[key] = TcpEdge(reporter, source, destination)
        return edge

    def http_edges(self) -> list[HttpEdge]:
        """Every HTTP edge so far, in creation order."""
        return list(self._http.values())

    def tcp_edges(self) -> list[TcpEdge]:
        """Every TCP edge so far, in creation order."""
        return list(self._tcp.values())

    def render_prometheus(self) -> str:
        """The `/metrics` page (text format 0.0.4, Istio's metric and label names)."""
        return render_prometheus(self.http_edges(), self.tcp_edges(), self.version)

    def iter_prometheus(self) -> Iterator[str]:
        """The same page in per-series chunks; large pages stream much cheaper than one string."""
        return iter_prometheus(self.http_edges(), self.tcp_edges(), self.version)

    def snapshot(self) -> StatsSnapshot:
        """A deep, immutable copy of every edge's cumulative counters, per instance."""
        return StatsSnapshot(
            taken_at=self._wall_clock(),
            http_edges=tuple(HttpEdgeSnapshot.of(edge) for edge in self._http.values()),
            tcp_edges=tuple(TcpEdgeSnapshot.of(edge) for edge in self._tcp.values()),
        )


def _check_reporter(reporter: str) -> None:
    if reporter not in _REPORTERS:
        raise ValueError(f"reporter must be 'source' or 'destination', not {reporter!r}")
