"""What the Kubernetes targets (Istio, Gateway API) share: object metadata, service host names,
and the warnings about endpoints, which Kubernetes finds for itself rather than reading a list.

In Kubernetes a service's endpoints are the pods its Service selects, so the exported objects name
services, never addresses; per-endpoint weights and drains have no place there.
"""

from __future__ import annotations

from typing import Any

from meshgui.export.common import ExportWarning, warning_at
from proxy.config import MeshConfig

MANAGED_BY = {"app.kubernetes.io/managed-by": "meshgui"}


def service_host(service: str, namespace: str) -> str:
    """``inventory.default.svc.cluster.local``: the name a sidecar also answers to."""
    return f"{service}.{namespace}.svc.cluster.local"


def object_metadata(name: str, namespace: str) -> dict[str, Any]:
    return {"name": name, "namespace": namespace, "labels": dict(MANAGED_BY)}


def endpoint_warnings(mesh: MeshConfig, target: str) -> list[ExportWarning]:
    """One warning per service with endpoints, and one per endpoint weight or drain."""
    warnings: list[ExportWarning] = []
    for name, service in mesh.services.items():
        if service.endpoints:
            hint = " (label them as the subsets expect)" if service.subsets else ""
            message = (
                f"not exported: {target} sends to the pods that the Kubernetes Service "
                f"{name!r} selects{hint}"
            )
            warnings.append(warning_at(("services", name, "endpoints"), message))
        if service.drained:
            warnings.append(
                warning_at(
                    ("services", name, "drained"),
                    f"{target} cannot drain a service; scale it down or remove its routes",
                )
            )
        for index, endpoint in enumerate(service.endpoints):
            loc = ("services", name, "endpoints", index)
            if endpoint.weight != 1:
                warnings.append(
                    warning_at(
                        (*loc, "weight"),
                        f"{target} has no per-pod weight; {endpoint.name} gets an equal share",
                    )
                )
            if endpoint.drained:
                warnings.append(
                    warning_at(
                        (*loc, "drained"),
                        f"{target} cannot drain one pod; relabel or delete {endpoint.name} instead",
                    )
                )
    return warnings
