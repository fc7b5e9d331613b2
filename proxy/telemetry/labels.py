"""Istio's label sets, rendered once per edge into Prometheus label text.

The hot path never builds labels: an edge renders its fixed labels when it is created and each
(response code, flags) counter appends its own when first seen, so `/metrics` only concatenates.
"""

from __future__ import annotations

from typing import Literal

from proxy.telemetry.workload import UNKNOWN, Workload

Reporter = Literal["source", "destination"]

# Istio's default cluster ID for a single-cluster install; Kiali reads a sample with it as coming
# from its home cluster. A multi-cluster mesh would make this a per-sidecar setting.
MESH_CLUSTER = "Kubernetes"
# No mTLS yet, so there is no SPIFFE identity to report for either side.
NO_PRINCIPAL = UNKNOWN
NO_RESPONSE_FLAGS = "-"
# Meshes without mTLS report "none" where the request is received; the calling side cannot know.
_SECURITY_POLICY: dict[str, str] = {"source": UNKNOWN, "destination": "none"}

EDGE_LABEL_NAMES: tuple[str, ...] = (
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
    "connection_security_policy",
)
"""Labels fixed per edge; the `mesh_*` series carry exactly these."""
HTTP_LABEL_NAMES: frozenset[str] = frozenset(
    (*EDGE_LABEL_NAMES, "response_code", "grpc_response_status", "response_flags")
)
"""The 25 labels of every `istio_request*` series."""
TCP_LABEL_NAMES: frozenset[str] = frozenset((*EDGE_LABEL_NAMES, "response_flags"))
"""The labels of every `istio_tcp_*` series: no response code, no gRPC status."""


def escape_label_value(value: str) -> str:
    """Escape a label value per the text format 0.0.4: backslash, double quote, newline."""
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _render(values: dict[str, str], names: tuple[str, ...]) -> str:
    return ",".join(f'{name}="{escape_label_value(values[name])}"' for name in names)


def _peer_values(side: str, peer: Workload) -> dict[str, str]:
    return {
        f"{side}_workload": peer.workload_name,
        f"{side}_workload_namespace": peer.namespace,
        f"{side}_principal": NO_PRINCIPAL,
        f"{side}_app": peer.service,
        f"{side}_version": peer.version or UNKNOWN,
        f"{side}_canonical_service": peer.service,
        f"{side}_canonical_revision": peer.version or "latest",
        f"{side}_cluster": MESH_CLUSTER,
    }


def edge_labels(
    reporter: Reporter, source: Workload, destination: Workload, protocol: str
) -> tuple[str, str]:
    """The edge's fixed labels as `(head, tail)`, to be joined with a comma around a middle part.

    The middle carries what varies within one edge (response code and flags), which keeps label
    text in the contract's order; the per-edge `mesh_*` series join head and tail directly.
    """
    values = {
        "reporter": reporter,
        **_peer_values("source", source),
        **_peer_values("destination", destination),
        "destination_service": UNKNOWN if destination.is_unknown else destination.fqdn,
        "destination_service_name": destination.service,
        "destination_service_namespace": destination.namespace,
        "request_protocol": protocol,
        "connection_security_policy": _SECURITY_POLICY[reporter],
    }
    return _render(values, EDGE_LABEL_NAMES[:-1]), _render(values, EDGE_LABEL_NAMES[-1:])


def response_labels(code: int, flags: str) -> str:
    """The middle part of an HTTP series: what one (code, flags) counter adds to its edge."""
    flags = flags or NO_RESPONSE_FLAGS
    return (
        f'response_code="{code}",grpc_response_status="",'
        f'response_flags="{escape_label_value(flags)}"'
    )


# TCP connections carry no flags yet; the label is still required by the contract's label set.
TCP_RESPONSE_LABELS = f'response_flags="{NO_RESPONSE_FLAGS}"'
