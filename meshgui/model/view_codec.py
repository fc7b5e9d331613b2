"""The model's values as plain JSON data and back: a topology snapshot and edge histories, as an
incident bundle stores them.

The JSON is standard (no NaN): a number the model did not know is ``null``. Decoding checks
every field and raises `CodecError` naming the path of the first bad one
(``nodes[2].health: 'purple' is not one of healthy, degraded, ...``), because a bundle may come
from another machine, another version, or a damaged disk.
"""

from __future__ import annotations

import json
import math
from dataclasses import fields
from typing import Any, get_args

import numpy as np

from meshgui.model.json_reader import CodecError, JsonReader
from meshgui.model.types import (
    EdgeHistory,
    EdgeKey,
    EdgeStats,
    EdgeView,
    FloatArray,
    InstanceState,
    InstanceView,
    NodeHealth,
    NodeView,
    Protocol,
    TopologyView,
)

HISTORY_SERIES = ("req_per_s", "error_pct", "p50_ms", "p90_ms", "p99_ms")
"""The value arrays of an encoded `EdgeHistory`, in its field order after `t`."""
TRIES_SERIES = "tries_failed_pct"
"""Optional: absent in bundles written before the model kept it."""
HISTORY_DECIMALS = 4
"""Decimals kept of each value: the model stores float32, and 0.0001 req/s is one call a day."""
_PROTOCOLS: tuple[str, ...] = get_args(Protocol)
_STATES: tuple[str, ...] = get_args(InstanceState)
_HEALTHS = {health.value: health for health in NodeHealth}
_STATS_FIELDS = tuple(f.name for f in fields(EdgeStats))


# -- encoding -----------------------------------------------------------------------------------
def view_to_json(view: TopologyView) -> dict[str, Any]:
    """`view` as JSON-ready data; nodes by name and edges by key, so the text is stable."""
    return {
        "nodes": [_node(view.nodes[name]) for name in sorted(view.nodes)],
        "edges": [_edge(view.edges[key]) for key in sorted(view.edges)],
        "newest_data_at": _number(view.newest_data_at),
        "sidecars_connected": view.sidecars_connected,
        "sidecars_total": view.sidecars_total,
    }


def history_to_json(key: EdgeKey, history: EdgeHistory) -> dict[str, Any]:
    """One edge's history: its key, ``t`` and the value series, ``null`` for NaN."""
    values = (history.rps, history.error_pct, history.p50_ms, history.p90_ms, history.p99_ms)
    encoded: dict[str, Any] = {**_key(key), "t": _series(history.t, None)}
    for name, series in zip(HISTORY_SERIES, values, strict=True):
        encoded[name] = _series(series, HISTORY_DECIMALS)
    if history.tries_failed_pct is not None:
        encoded[TRIES_SERIES] = _series(history.tries_failed_pct, HISTORY_DECIMALS)
    return encoded


def dumps(data: Any) -> str:
    """Compact, standard JSON (NaN would be a bug upstream: refuse it rather than write it)."""
    return json.dumps(data, allow_nan=False, separators=(",", ":"))


def _node(node: NodeView) -> dict[str, Any]:
    return {
        "name": node.name,
        "protocol": node.protocol,
        "instances": [
            {
                "name": i.name,
                "service": i.service,
                "version": i.version,
                "state": i.state,
                "rps": _number(i.rps),
                "error_pct": _number(i.error_pct),
                "address": i.address,
            }
            for i in node.instances
        ],
        "health": node.health.value,
        "disconnected_since": _number(node.disconnected_since),
        "rps_in": _number(node.rps_in),
        "error_pct": _number(node.error_pct),
        "p99_ms": _number(node.p99_ms),
        "service": node.service,
        "version": node.version,
        "rps_out": _number(node.rps_out),
        "bytes_in_per_s": _number(node.bytes_in_per_s),
        "retries_in": _number(node.retries_in),
    }


def _edge(edge: EdgeView) -> dict[str, Any]:
    stats = {name: _number(getattr(edge.stats, name)) for name in _STATS_FIELDS}
    return {**_key(edge.key), "stats": stats, "health": edge.health.value}


def _key(key: EdgeKey) -> dict[str, Any]:
    return {"source": key.source, "destination": key.destination, "protocol": key.protocol}


def _number(value: float | int | None) -> float | int | None:
    if value is None or isinstance(value, int) or math.isfinite(value):
        return value
    return None


def _series(values: FloatArray, decimals: int | None) -> list[float | int | None]:
    if decimals is None and bool(np.all(values == np.floor(values))):
        whole: list[int] = values.astype(np.int64).tolist()  # "1700000300", not "...300.0"
        return list(whole)
    rounded = values if decimals is None else np.round(values, decimals)
    unknown = np.isnan(rounded)
    if not unknown.any():
        return list(rounded.tolist())
    boxed = rounded.astype(object)  # None where NaN, without a Python loop over the values
    boxed[unknown] = None
    return list(boxed.tolist())


# -- decoding -----------------------------------------------------------------------------------
def view_from_json(data: Any) -> TopologyView:
    """The TopologyView `view_to_json` wrote. Raises CodecError."""
    root = JsonReader(data, "")
    nodes: dict[str, NodeView] = {}
    for reader in root.list("nodes"):
        node = _read_node(reader)
        if node.name in nodes:
            raise CodecError(f"{reader.path}.name: {node.name!r} appears twice")
        nodes[node.name] = node
    edges: dict[EdgeKey, EdgeView] = {}
    for reader in root.list("edges"):
        key = read_edge_key(reader)
        if key in edges:
            raise CodecError(f"{reader.path}: the edge {key} appears twice")
        stats = reader.child("stats")
        edges[key] = EdgeView(
            key,
            EdgeStats(
                rps=stats.number("rps"),
                error_pct=stats.number("error_pct"),
                p50_ms=stats.optional_number("p50_ms"),
                p90_ms=stats.optional_number("p90_ms"),
                p99_ms=stats.optional_number("p99_ms"),
                in_flight=stats.integer("in_flight"),
                retries_per_s=stats.number("retries_per_s"),
                bytes_per_s=stats.number("bytes_per_s"),
            ),
            _HEALTHS[reader.choice("health", tuple(_HEALTHS))],
        )
    return TopologyView(
        nodes=nodes,
        edges=edges,
        newest_data_at=root.optional_number("newest_data_at"),
        sidecars_connected=root.integer("sidecars_connected"),
        sidecars_total=root.integer("sidecars_total"),
    )


def history_from_json(data: Any, path: str = "") -> tuple[EdgeKey, EdgeHistory]:
    """The key and history `history_to_json` wrote; `path` prefixes error messages."""
    reader = JsonReader(data, path)
    key = read_edge_key(reader)
    t = reader.series("t")
    names = [*HISTORY_SERIES, *([TRIES_SERIES] if TRIES_SERIES in reader.data else [])]
    series = [reader.series(name) for name in names]
    for name, values in zip(names, series, strict=True):
        if len(values) != len(t):
            raise CodecError(f"{reader.path}.{name}: {len(values)} values for {len(t)} times")
    if np.isnan(t).any() or (len(t) > 1 and bool((np.diff(t) <= 0).any())):
        raise CodecError(f"{reader.path}.t: times must be numbers in increasing order")
    rps, error_pct, p50, p90, p99, *tries = series
    return key, EdgeHistory(t, rps, error_pct, p50, p90, p99, tries[0] if tries else None)


def read_edge_key(reader: JsonReader) -> EdgeKey:
    protocol = reader.choice("protocol", _PROTOCOLS)
    return EdgeKey(reader.text("source"), reader.text("destination"), protocol)  # type: ignore[arg-type]


def _read_node(reader: JsonReader) -> NodeView:
    name = reader.text("name")
    instances = tuple(
        InstanceView(
            name=i.text("name"),
            service=i.text("service"),
            version=i.optional_text("version"),
            state=i.choice("state", _STATES),  # type: ignore[arg-type]
            rps=i.number("rps"),
            error_pct=i.number("error_pct"),
            address=i.optional_text("address"),
        )
        for i in reader.list("instances")
    )
    return NodeView(
        name=name,
        protocol=reader.choice("protocol", _PROTOCOLS),  # type: ignore[arg-type]
        instances=instances,
        health=_HEALTHS[reader.choice("health", tuple(_HEALTHS))],
        disconnected_since=reader.optional_number("disconnected_since"),
        rps_in=reader.number("rps_in"),
        error_pct=reader.number("error_pct"),
        p99_ms=reader.optional_number("p99_ms"),
        # Absent (an older bundle): derived from the node id, as the model does.
        service=reader.optional_text("service") or "",
        version=reader.optional_text("version"),
        # Absent in bundles written before they were recorded.
        rps_out=reader.optional_number("rps_out") or 0.0,
        bytes_in_per_s=reader.optional_number("bytes_in_per_s") or 0.0,
        retries_in=reader.optional_number("retries_in") or 0.0,
    )
