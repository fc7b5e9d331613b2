"""Every export target by name, behind one call, for the CLI and the app's File > Export."""

from __future__ import annotations

from typing import Literal, get_args

from meshgui.export.common import ExportResult
from meshgui.export.envoy import export_envoy
from meshgui.export.gateway_api import export_gateway_api
from meshgui.export.istio import export_istio
from meshgui.export.native import export_native
from proxy.config import MeshConfig, SidecarSettings

Target = Literal["native", "istio", "gateway", "envoy"]
TARGETS: tuple[Target, ...] = get_args(Target)

FILE_NAMES: dict[Target, str] = {
    "native": "mesh.yaml",
    "istio": "istio.yaml",
    "gateway": "gateway-api.yaml",
    "envoy": "envoy.yaml",
}
"""The one file each target writes: a multi-document YAML stream for the Kubernetes targets."""


def export_mesh(
    mesh: MeshConfig,
    target: Target,
    *,
    namespace: str = "default",
    service_port: int = 80,
    sidecar: SidecarSettings | None = None,
) -> ExportResult:
    """`mesh` as `target` documents. `namespace` names hosts (Istio, Envoy) and objects;
    `service_port` is the Kubernetes Service port (Gateway API); `sidecar` gives Envoy its
    listener addresses and connect timeout."""
    if target == "native":
        return export_native(mesh)
    if target == "istio":
        return export_istio(mesh, namespace=namespace)
    if target == "gateway":
        return export_gateway_api(mesh, namespace=namespace, port=service_port)
    return export_envoy(mesh, namespace=namespace, sidecar=sidecar)


def render_file(result: ExportResult, source: str) -> str:
    """The text of the file a target writes: a comment saying where it came from and what the
    target could not express, then the documents. The native file is the bare mesh document,
    so it stays byte-for-byte what `dump_mesh_yaml` writes."""
    if result.target == "native":
        return result.to_yaml()
    lines = [f"# Exported by meshgui ({result.target}) from {source}."]
    if result.warnings:
        lines.append(f"# Not expressed as mesh-proxy means it ({len(result.warnings)}):")
        lines.extend(f"# - {warning}" for warning in result.warnings)
    return "\n".join(lines) + "\n" + result.to_yaml()
