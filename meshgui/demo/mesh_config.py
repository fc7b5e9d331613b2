"""The demo's mesh config and sidecar files, written as an operator would: timeouts sized to
each service, retries on connect-failure/reset/503 with the default budget and backoff, outlier
detection everywhere, and a recommendations route that already names the idle fallback at
weight 0, so moving traffic to it is one weight change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from meshgui.demo.plan import DemoInstance, DemoPlan
from proxy.config import MeshConfig, SidecarFile, parse_mesh_document, parse_sidecar_document

SIDECAR_DRAIN_TIMEOUT = "1s"
"""Short, so stopping the demo (or losing its parent) takes a second, not the default 20 s."""

RETRY_ON = ["connect-failure", "reset", "retriable-status-codes"]
OUTLIER_DETECTION = {
    "enabled": True,
    "consecutive_failures": 5,
    "base_ejection_time": "15s",
    # Two instances of inventory: ejecting one of them is exactly what should be allowed.
    "max_ejection_percent": 50,
}
ROUTE_TIMEOUTS: dict[str, tuple[str, str | None]] = {
    # service: (overall timeout, per-try timeout)
    "inventory": ("1s", "300ms"),
    "cart": ("2s", "600ms"),
    "recommendations": ("1.5s", "500ms"),
    "recommendations-lite": ("500ms", None),
    "product-tags": ("500ms", "200ms"),
}


def _retry(per_try: str | None) -> dict[str, Any]:
    retry: dict[str, Any] = {"attempts": 2, "retry_on": RETRY_ON, "retriable_status_codes": [503]}
    if per_try is not None:
        retry["per_try_timeout"] = per_try
    return retry


def _routes() -> dict[str, list[dict[str, Any]]]:
    routes: dict[str, list[dict[str, Any]]] = {}
    for service, (timeout, per_try) in ROUTE_TIMEOUTS.items():
        backends: list[dict[str, Any]] = [{"service": service}]
        if service == "recommendations":
            backends = [
                {"service": "recommendations", "weight": 100},
                {"service": "recommendations-lite", "weight": 0},
            ]
        routes[service] = [
            {
                "name": "default",
                "backends": backends,
                "timeout": timeout,
                "retry": _retry(per_try),
            }
        ]
    return routes


def mesh_document(plan: DemoPlan) -> dict[str, Any]:
    """The mesh part shared by every sidecar, as a plain document."""
    services: dict[str, Any] = {}
    for member in plan.instances:
        spec = member.spec
        entry = services.setdefault(spec.name, {"protocol": spec.protocol, "endpoints": []})
        endpoint: dict[str, Any] = {"name": member.name, "address": member.inbound_address}
        if member.labels:
            endpoint["labels"] = member.labels
        entry["endpoints"].append(endpoint)
        if spec.protocol == "http":
            entry["outlier_detection"] = OUTLIER_DETECTION
    services["inventory"]["subsets"] = {"v1": {"version": "v1"}, "v2": {"version": "v2"}}
    return {"version": 1, "services": services, "routes": _routes()}


def mesh_config(plan: DemoPlan) -> MeshConfig:
    """The mesh config, validated by the sidecar's own schema."""
    return parse_mesh_document(mesh_document(plan), source="demo mesh")


def sidecar_file(member: DemoInstance, mesh: MeshConfig, token_file: Path) -> SidecarFile:
    """The whole config file of `member`'s sidecar, validated by the sidecar's own schema."""
    address = member.address
    settings: dict[str, Any] = {
        "service": member.service,
        "instance": member.name,
        "labels": member.labels,
        "outbound": address(member.ports.outbound),
        "inbound": address(member.ports.inbound),
        "app": address(member.ports.app),
        "admin": address(member.ports.admin),
        "metrics": address(member.ports.metrics),
        "tcp_outbound": {svc: address(port) for svc, port in member.ports.tcp_outbound.items()},
        "token": {"file": str(token_file)},
        "drain_timeout": SIDECAR_DRAIN_TIMEOUT,
    }
    document = {"sidecar": settings, "mesh": mesh.model_dump(mode="json")}
    return parse_sidecar_document(document, source=f"sidecar {member.name}")


_FastDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def sidecar_yaml(config: SidecarFile) -> str:
    """The file text of `config`. libyaml's emitter, plain block style: the pretty dumper of
    `proxy.config` costs ~0.1 s of CPU per file, paid while every sidecar is starting."""
    data = {
        "sidecar": config.sidecar.model_dump(mode="json", exclude_defaults=True),
        "mesh": config.mesh.model_dump(mode="json", exclude_defaults=True),
    }
    data["mesh"]["version"] = config.mesh.version
    return yaml.dump(data, Dumper=_FastDumper, sort_keys=False, default_flow_style=False)
