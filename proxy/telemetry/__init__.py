"""The sidecar's telemetry: per-edge counters and histograms, exposed with Istio's metric names.

The data plane gets an edge from `StatsRegistry` once (per endpoint) and records into it on every
request; the admin side renders `/metrics` and takes snapshots for the desktop app.
"""

from proxy.telemetry.edges import HttpEdge, ResponseCounter, TcpEdge
from proxy.telemetry.histogram import BYTES_BUCKETS, LATENCY_BUCKETS_MS, Histogram
from proxy.telemetry.labels import (
    EDGE_LABEL_NAMES,
    HTTP_LABEL_NAMES,
    MESH_CLUSTER,
    NO_RESPONSE_FLAGS,
    TCP_LABEL_NAMES,
    Reporter,
    escape_label_value,
)
from proxy.telemetry.prometheus import CONTENT_TYPE, iter_prometheus, render_prometheus
from proxy.telemetry.registry import StatsRegistry
from proxy.telemetry.snapshot import (
    HistogramSnapshot,
    HttpEdgeSnapshot,
    ResponseSnapshot,
    StatsSnapshot,
    TcpEdgeSnapshot,
)
from proxy.telemetry.workload import UNKNOWN_WORKLOAD, Workload

__all__ = [
    "BYTES_BUCKETS",
    "CONTENT_TYPE",
    "EDGE_LABEL_NAMES",
    "HTTP_LABEL_NAMES",
    "LATENCY_BUCKETS_MS",
    "MESH_CLUSTER",
    "NO_RESPONSE_FLAGS",
    "TCP_LABEL_NAMES",
    "UNKNOWN_WORKLOAD",
    "Histogram",
    "HistogramSnapshot",
    "HttpEdge",
    "HttpEdgeSnapshot",
    "Reporter",
    "ResponseCounter",
    "ResponseSnapshot",
    "StatsRegistry",
    "StatsSnapshot",
    "TcpEdge",
    "TcpEdgeSnapshot",
    "Workload",
    "escape_label_value",
    "iter_prometheus",
    "render_prometheus",
]
