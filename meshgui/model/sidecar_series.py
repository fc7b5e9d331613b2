"""Everything the model keeps about one sidecar: who it is, whether it is there, what it counted.

Snapshots arrive as typed models; this turns each one into rows of numbers for `CounterWindow`
and remembers, per row, which service edge and which instances it is about, as arrays the
aggregation can index with.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from meshgui.model.counter_window import CounterWindow
from meshgui.model.edge_counters import (
    http_durations,
    http_scalars,
    tcp_durations,
    tcp_scalars,
)
from meshgui.model.topology_index import IntArray, TopologyIndex
from meshgui.model.types import Protocol
from proxy.admin.models import HttpEdge, Info, StatsSnapshot, TcpEdge, Workload

BoolArray = npt.NDArray[np.bool_]
_RowKey = tuple[object, ...]


class RowMeta:
    """Per row of a sidecar's counters: what the aggregation needs to place it (numpy arrays)."""

    __slots__ = ("caller_instance", "destination_instance", "edge", "from_source", "source_service")

    def __init__(self, columns: list[list[int]]) -> None:
        edge, from_source, source_service, caller, destination = columns
        self.edge: IntArray = np.asarray(edge, dtype=np.int64)
        self.from_source: BoolArray = np.asarray(from_source, dtype=np.bool_)
        """True when the caller's own sidecar reported the row."""
        self.source_service: IntArray = np.asarray(source_service, dtype=np.int64)
        self.caller_instance: IntArray = np.asarray(caller, dtype=np.int64)
        """Instance id of the caller, -1 when the caller is not known by instance."""
        self.destination_instance: IntArray = np.asarray(destination, dtype=np.int64)
        """Instance id of the callee, -1 when the call reached no instance."""


class SidecarSeries:
    """One sidecar of the profile, connected or not."""

    def __init__(
        self, sidecar_id: str, index: TopologyIndex, bounds: tuple[float, ...], window_s: float
    ) -> None:
        self.sidecar_id = sidecar_id
        self._index = index
        self._bounds = bounds
        self.counters = CounterWindow(window_s, len(bounds) + 1)
        self.service: str | None = None
        self.instance: str | None = None
        self.version: str | None = None
        self.address: str | None = None
        self.draining = False
        self.identity = -1
        """Instance id of the sidecar itself, -1 while unknown."""
        self.service_id = -1
        self.connected = False
        self.disconnected_at: float | None = None
        self.received_at: float | None = None
        """Model-clock time of the newest snapshot."""
        self.ejected: tuple[int, ...] = ()
        """Instance ids this sidecar's outlier detection has ejected, as of its newest snapshot."""
        self.drained: dict[int, int] = {}
        """Drained instance id -> requests still pending there, as of the newest snapshot."""
        self._rows: dict[_RowKey, int] = {}
        self._columns: list[list[int]] = [[], [], [], [], []]
        self._last_totals: list[float] = []
        self._last_hist_counts: list[float] = []
        self._meta: RowMeta | None = None

    @property
    def meta(self) -> RowMeta:
        if self._meta is None:
            self._meta = RowMeta(self._columns)
        return self._meta

    @property
    def edge_ids(self) -> list[int]:
        return self._columns[0]

    def set_info(self, info: Info) -> None:
        self._set_identity(info.service, info.instance, info.labels.get("version"))
        inbound = [listener.address for listener in info.listeners if listener.name == "inbound"]
        self.address = inbound[0] if inbound else None
        self.draining = info.state == "draining"

    def ingest(self, snapshot: StatsSnapshot, received_at: float) -> bool:
        """Take one snapshot; False when it repeated the previous one (same `taken_at`)."""
        t = snapshot.taken_at
        if not self.counters.accepts(t):
            return False
        if self.service is None:
            self._infer_identity(snapshot)
        rows, bounds = self._rows, self._snapshot_bounds(snapshot)
        # `totals` detects restarts (the main counter went down); `hist_counts` tells whether
        # the durations can have changed, so unchanged ones are not rebuilt.
        totals, hist_counts = self._last_totals, self._last_hist_counts
        scalar_rows: list[int] = []
        scalars: list[float] = []
        hist_rows: list[int] = []
        hists: list[tuple[int, ...]] = []
        reset_rows: list[int] = []
        # Rows are keyed by service and instance: the canvas shows services, not namespaces, and
        # an instance has one version.
        for edge in snapshot.http_edges:
            src, dst = edge.source, edge.destination
            key = ("http", edge.reporter, src.service, src.instance, dst.service, dst.instance)
            row = rows.get(key)
            if row is None:
                row = self._add_row(key, "http", edge.reporter == "source", src, dst)
            numbers = http_scalars(edge)
            count = numbers[0]
            scalar_rows.append(row)
            scalars.extend(numbers)
            if count != hist_counts[row]:
                if count < totals[row]:
                    reset_rows.append(row)
                totals[row] = hist_counts[row] = count
                durations = http_durations(edge, bounds)
                if durations is not None:
                    hist_rows.append(row)
                    hists.append(durations)
        for tcp in snapshot.tcp_edges:
            src, dst = tcp.source, tcp.destination
            key = ("tcp", tcp.reporter, src.service, src.instance, dst.service, dst.instance)
            row = rows.get(key)
            if row is None:
                row = self._add_row(key, "tcp", tcp.reporter == "source", src, dst)
            scalar_rows.append(row)
            scalars.extend(tcp_scalars(tcp))
            if tcp.opened < totals[row]:
                reset_rows.append(row)
            totals[row] = tcp.opened
            if tcp.closed != hist_counts[row]:
                hist_counts[row] = tcp.closed
                durations = tcp_durations(tcp, bounds)
                if durations is not None:
                    hist_rows.append(row)
                    hists.append(durations)
        self.counters.record(t, len(rows), scalar_rows, scalars, hist_rows, hists, reset_rows)
        self.received_at = received_at
        self._read_endpoints(snapshot, received_at)
        return True

    def _snapshot_bounds(self, snapshot: StatsSnapshot) -> tuple[float, ...]:
        # A snapshot shares one bounds tuple among its histograms: when it equals ours, checking
        # each histogram against that very object is an identity test instead of 19 compares.
        for edge in snapshot.http_edges:
            for response in edge.responses:
                theirs = response.duration_ms.bounds
                return theirs if theirs == self._bounds else self._bounds
        for tcp in snapshot.tcp_edges:
            theirs = tcp.duration_ms.bounds
            return theirs if theirs == self._bounds else self._bounds
        return self._bounds

    def _read_endpoints(self, snapshot: StatsSnapshot, received_at: float) -> None:
        index = self._index
        instances = index.instances
        ejected: list[int] = []
        drained: dict[int, int] = {}
        for endpoint in snapshot.endpoints:
            service = endpoint.service
            if not service:
                continue  # not listed by any service of the sidecar's config
            instance = index.instance(service, endpoint.name)
            record = instances[instance]
            record.listed_at = received_at
            record.address = endpoint.address
            if record.version is None:
                record.version = endpoint.labels.get("version")
            if not endpoint.healthy:
                ejected.append(instance)
            if endpoint.drained:
                drained[instance] = endpoint.pending
        self.ejected = tuple(ejected)
        self.drained = drained

    def _add_row(
        self, key: _RowKey, protocol: Protocol, from_source: bool, src: Workload, dst: Workload
    ) -> int:
        index = self._index
        row = len(self._rows)
        self._rows[key] = row
        edge, source, caller, callee = (
            index.edge(src.service, dst.service, protocol),
            index.service(src.service),
            self._instance_of(src),
            self._instance_of(dst),
        )
        for column, value in zip(
            self._columns, (edge, int(from_source), source, caller, callee), strict=True
        ):
            column.append(value)
        self._last_totals.append(0.0)
        self._last_hist_counts.append(-1.0)
        self._meta = None
        return row

    def _instance_of(self, workload: Workload) -> int:
        if not workload.instance:
            return -1
        instance = self._index.instance(workload.service, workload.instance)
        record = self._index.instances[instance]
        if record.version is None:
            record.version = workload.version
        return instance

    def _infer_identity(self, snapshot: StatsSnapshot) -> None:
        # Without Info, a sidecar is whoever its own reports name on its side of the call.
        edges: tuple[HttpEdge | TcpEdge, ...] = (*snapshot.http_edges, *snapshot.tcp_edges)
        for edge in edges:
            local = edge.source if edge.reporter == "source" else edge.destination
            if local.instance:
                self._set_identity(local.service, local.instance, local.version)
                return

    def _set_identity(self, service: str, instance: str, version: str | None) -> None:
        self.service, self.instance, self.version = service, instance, version
        self.identity = self._index.instance(service, instance) if instance else -1
        self.service_id = self._index.service(service)
