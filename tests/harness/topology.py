"""A small real mesh for end-to-end tests: one client sidecar (`web-1`, no app of its own) and
upstream instances of one service, each an app process behind its own sidecar."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tests.harness.processes import Managed, ProcessPool, RunningSidecar, SidecarPorts


@dataclass
class Instance:
    name: str
    labels: dict[str, str]
    ports: SidecarPorts
    app: Managed | None = None
    sidecar: RunningSidecar | None = None


@dataclass
class LiveMesh:
    client: RunningSidecar
    instances: list[Instance]
    mesh: dict[str, Any]
    service: str

    @property
    def url(self) -> str:
        return self.client.outbound_url

    def rewrite_mesh(self, mesh: dict[str, Any]) -> None:
        """Replace the client's mesh config file and SIGHUP it (the file-based change path)."""
        self.mesh = mesh
        path: Path = self.client.config_path
        doc = yaml.safe_load(path.read_text())
        doc["mesh"] = mesh
        path.write_text(yaml.safe_dump(doc, sort_keys=False))
        self.client.reload()


def endpoint(instance: Instance) -> dict[str, Any]:
    return {
        "name": instance.name,
        "address": f"127.0.0.1:{instance.ports.inbound}",
        "labels": instance.labels,
    }


def build_mesh(
    service: str,
    instances: list[Instance],
    client_ports: SidecarPorts,
    *,
    version: int = 1,
    service_extra: dict[str, Any] | None = None,
    routes: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    svc: dict[str, Any] = {"endpoints": [endpoint(i) for i in instances]}
    svc.update(service_extra or {})
    mesh: dict[str, Any] = {
        "version": version,
        "services": {
            "web": {
                "endpoints": [{"name": "web-1", "address": f"127.0.0.1:{client_ports.inbound}"}]
            },
            service: svc,
        },
    }
    if routes is not None:
        mesh["routes"] = {service: routes}
    return mesh


def start_mesh(
    processes: ProcessPool,
    instances: list[tuple[str, dict[str, str]]],
    *,
    service: str = "inventory",
    service_extra: dict[str, Any] | None = None,
    routes: list[dict[str, Any]] | None = None,
    client_settings: dict[str, Any] | None = None,
    app_module: str = "tests.harness.test_app",
) -> LiveMesh:
    members = [Instance(name, labels, SidecarPorts.allocate()) for name, labels in instances]
    client_ports = SidecarPorts.allocate()
    mesh = build_mesh(service, members, client_ports, service_extra=service_extra, routes=routes)
    for member in members:
        member.app = processes.start_app(member.name, member.ports.app, app_module)
        member.sidecar = processes.start_sidecar(
            {"service": service, "instance": member.name, "labels": member.labels},
            mesh,
            member.ports,
        )
    client = processes.start_sidecar(
        {"service": "web", "instance": "web-1", "app": None, **(client_settings or {})},
        mesh,
        client_ports,
    )
    return LiveMesh(client, members, mesh, service)
