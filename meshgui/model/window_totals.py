"""All sidecars' window increases summed per edge, per service and per instance, in numpy.

Each call is counted once. Both ends' sidecars report it; the caller's report is the one kept,
because only the caller sees the failures the mesh makes itself (no endpoint, timeouts, retries).
The callee's report is used only when the caller has no sidecar reporting right now: a client
outside the mesh ("unknown"), or a caller whose sidecar is disconnected or silent. That test is
made per caller instance when the callee knows the instance, else per caller service.

Rows are summed into the edges `row_edges` names for them (by default the service edge each row
was recorded under; with versions shown as nodes, the edge between the versions' nodes), and
edges into their canvas nodes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from meshgui.model.edge_counters import BYTES, COUNT, ERRORS, IN_FLIGHT, RETRIES, SCALARS
from meshgui.model.quantiles import histogram_quantiles
from meshgui.model.sidecar_series import BoolArray, SidecarSeries
from meshgui.model.topology_index import IntArray, TopologyIndex
from meshgui.model.types import FloatArray

QUANTILES = (0.5, 0.9, 0.99)


@dataclass(slots=True)
class WindowTotals:
    """Per edge id, node id and instance id; rates are per second, NaN-free."""

    edge_rps: FloatArray
    edge_errors_per_s: FloatArray
    edge_retries_per_s: FloatArray
    edge_bytes_per_s: FloatArray
    edge_in_flight: FloatArray
    edge_reported: BoolArray
    """True where at least one kept report covered the edge in the window."""
    edge_quantiles_ms: FloatArray
    """Shaped (len(QUANTILES), edges); NaN where the edge had no calls."""
    node_rps_in: FloatArray
    node_errors_in: FloatArray
    node_retries_in: FloatArray
    """Retries of the calls into the node: each one follows a try of it that failed."""
    node_rps_out: FloatArray
    node_bytes_in_per_s: FloatArray
    node_p99_ms: FloatArray
    instance_rps: FloatArray
    """Tries each instance served: its callers retried some of them elsewhere."""
    instance_errors_per_s: FloatArray
    """Tries that failed there, retried ones included."""


def window_totals(
    parts: Sequence[SidecarSeries],
    index: TopologyIndex,
    bounds: tuple[float, ...],
    row_edges: Callable[[SidecarSeries], IntArray] | None = None,
) -> WindowTotals:
    """Sum `parts` (the sidecars that are connected and reported within the window).
    `row_edges(part)`: the edge id of each of its rows; must not add edges to `index`."""
    edges, services, instances = index.edge_count, index.service_count, len(index.instances)
    nodes = index.node_count
    buckets = len(bounds) + 1
    rows = [part for part in parts if part.counters.rows]
    if rows:
        deltas = np.concatenate([part.counters.deltas for part in rows])
        durations = np.concatenate([part.counters.durations for part in rows])
        spans = np.concatenate([part.counters.spans for part in rows])
        metas = [part.meta for part in rows]
        edge = np.concatenate(
            [meta.edge for meta in metas]
            if row_edges is None
            else [row_edges(part) for part in rows]
        )
        keep = _kept_reports(parts, rows, services, instances)
        instance = np.concatenate([meta.destination_instance for meta in metas])[keep]
        deltas, durations, spans, edge = deltas[keep], durations[keep], spans[keep], edge[keep]
    else:
        deltas, durations = np.zeros((0, SCALARS)), np.zeros((0, buckets))
        spans, edge = np.zeros(0), np.zeros(0, dtype=np.int64)
        instance = np.zeros(0, dtype=np.int64)
    per_second = np.divide(
        deltas, spans[:, None], out=np.zeros_like(deltas), where=spans[:, None] > 0.0
    )

    def by_edge(column: int) -> FloatArray:
        return _sum_by(edge, per_second[:, column], edges)

    histograms = _sum_rows_by(edge, durations, edges)
    edge_rps, edge_errors = by_edge(COUNT), by_edge(ERRORS)
    source, destination = index.edge_node_arrays()
    node_histograms = _sum_rows_by(destination, histograms, nodes)
    placed = instance >= 0
    tries = per_second[:, COUNT] + per_second[:, RETRIES]
    failed_tries = per_second[:, ERRORS] + per_second[:, RETRIES]
    edge_retries, edge_bytes = by_edge(RETRIES), by_edge(BYTES)
    return WindowTotals(
        edge_rps=edge_rps,
        edge_errors_per_s=edge_errors,
        edge_retries_per_s=edge_retries,
        edge_bytes_per_s=edge_bytes,
        edge_in_flight=_sum_by(edge, deltas[:, IN_FLIGHT], edges),
        edge_reported=np.bincount(edge, minlength=edges) > 0,
        edge_quantiles_ms=histogram_quantiles(bounds, histograms, QUANTILES),
        node_rps_in=_sum_by(destination, edge_rps, nodes),
        node_errors_in=_sum_by(destination, edge_errors, nodes),
        node_retries_in=_sum_by(destination, edge_retries, nodes),
        node_rps_out=_sum_by(source, edge_rps, nodes),
        node_bytes_in_per_s=_sum_by(destination, edge_bytes, nodes),
        node_p99_ms=histogram_quantiles(bounds, node_histograms, (0.99,))[0],
        # Tries, not calls: a caller counts a retry on the endpoint whose try failed and the
        # call's outcome on its last try's, so an instance's tries are its calls plus its retries
        # and its failed tries its errors plus its retries (`TrafficStats.as_tries`).
        instance_rps=_sum_by(instance[placed], tries[placed], instances),
        instance_errors_per_s=_sum_by(instance[placed], failed_tries[placed], instances),
    )


def _sum_by(ids: IntArray, weights: FloatArray, size: int) -> FloatArray:
    return np.bincount(ids, weights=weights, minlength=size).astype(np.float64, copy=False)


def _sum_rows_by(ids: IntArray, rows: FloatArray, size: int) -> FloatArray:
    # A bincount per column: several times faster than np.add.at on (rows x buckets).
    summed = np.empty((size, rows.shape[1]))
    for column in range(rows.shape[1]):
        summed[:, column] = np.bincount(ids, weights=rows[:, column], minlength=size)
    return summed


def _kept_reports(
    parts: Sequence[SidecarSeries], rows: Sequence[SidecarSeries], services: int, instances: int
) -> BoolArray:
    reporting_instance = np.zeros(instances + 1, dtype=np.bool_)  # the extra slot is for -1
    reporting_service = np.zeros(services, dtype=np.bool_)
    for part in parts:
        if part.identity >= 0:
            reporting_instance[part.identity] = True
        if part.service_id >= 0:
            reporting_service[part.service_id] = True
    metas = [part.meta for part in rows]
    from_source = np.concatenate([meta.from_source for meta in metas])
    caller = np.concatenate([meta.caller_instance for meta in metas])
    caller_service = np.concatenate([meta.source_service for meta in metas])
    caller_reports = np.where(
        caller >= 0, reporting_instance[caller], reporting_service[caller_service]
    )
    keep: BoolArray = from_source | ~caller_reports
    return keep
