"""What the Istio metrics contract fixes (/work/shared/ISTIO-METRICS.md), and a registry to check.

Written out from the contract rather than imported from the code, so a wrong name there fails.
"""

from __future__ import annotations

from proxy.telemetry import UNKNOWN_WORKLOAD, StatsRegistry, Workload
from tests.proxy.telemetry.prom_text import Exposition, parse

ISTIO_LABELS = frozenset(
    (
        "reporter",
        "source_workload",
        "source_workload_namespace",
        "source_principal",
        "source_app",
        "source_version",
        "source_canonical_service",
        "source_canonical_revision",
        "source_cluster",
        "destination_workload",
        "destination_workload_namespace",
        "destination_principal",
        "destination_app",
        "destination_version",
        "destination_service",
        "destination_service_name",
        "destination_service_namespace",
        "destination_canonical_service",
        "destination_canonical_revision",
        "destination_cluster",
        "request_protocol",
        "response_code",
        "grpc_response_status",
        "response_flags",
        "connection_security_policy",
    )
)
TCP_LABELS = ISTIO_LABELS - {"response_code", "grpc_response_status"}
EDGE_LABELS = TCP_LABELS - {"response_flags"}
LES = ["0.5", "1", "5", "10", "25", "50", "100", "250", "500", "1000", "2500", "5000", "10000",
       "30000", "60000", "300000", "600000", "1800000", "3600000", "+Inf"]  # fmt: skip
HTTP_HISTOGRAMS = (
    "istio_request_duration_milliseconds",
    "istio_request_bytes",
    "istio_response_bytes",
)

WEB = Workload("web", version="v1", instance="10.0.0.1:8080")
INVENTORY_A = Workload("inventory", version="v1", instance="10.0.0.2:8080")
INVENTORY_B = Workload("inventory", version="v1", instance="10.0.0.3:8080")
DB = Workload("inventory-db", namespace="data")


def busy_registry() -> StatsRegistry:
    """One sidecar with an outbound, an inbound (unknown caller) and a TCP edge, failures too."""
    stats = StatsRegistry(WEB, version="1.2.3")
    out = stats.http_edge("source", WEB, INVENTORY_A)
    out.record(200, "-", 4.0, 0, 512)
    out.record(503, "UO", 0.3, 0, 0)
    out.record(0, "UF", 1.0, 20, 0)
    out.add_retry()
    out.record_recovery(80.0)
    out.in_flight = 3
    stats.http_edge("destination", UNKNOWN_WORKLOAD, WEB).record(200, "-", 9.0, 64, 64)
    tcp = stats.tcp_edge("source", WEB, DB)
    tcp.connection_opened()
    tcp.add_received(10)
    tcp.add_sent(300)
    return stats


def page_of(stats: StatsRegistry) -> Exposition:
    return parse(stats.render_prometheus())
