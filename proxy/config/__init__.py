"""The mesh-proxy config schema: the single source of truth for sidecar and mesh config.

A sidecar file has two parts: the sidecar's own settings (`SidecarSettings`) and the mesh config
shared by every sidecar (`MeshConfig`), which the admin API replaces as a whole document.
Everything loads through pydantic models that refuse unknown keys and are immutable; problems
come out as one `ConfigError` listing each with its path, e.g. ``mesh.routes.inventory[0].timeout``.
"""

from proxy.config.errors import ConfigError, ConfigProblem
from proxy.config.loading import (
    check_config_main,
    dump_mesh_yaml,
    dump_sidecar_yaml,
    load_sidecar_file,
    parse_mesh_document,
    parse_sidecar_document,
)
from proxy.config.mesh import EndpointConfig, MeshConfig, ServiceConfig
from proxy.config.policies import CircuitBreaker, OutlierDetection, RetryPolicy
from proxy.config.routes import Backend, RouteConfig, RouteMatch
from proxy.config.sidecar import Limits, SidecarFile, SidecarSettings, TokenSource
from proxy.config.types import (
    Address,
    Duration,
    PositiveDuration,
    format_duration,
    parse_duration,
    split_address,
)

__all__ = [
    "Address",
    "Backend",
    "CircuitBreaker",
    "ConfigError",
    "ConfigProblem",
    "Duration",
    "EndpointConfig",
    "Limits",
    "MeshConfig",
    "OutlierDetection",
    "PositiveDuration",
    "RetryPolicy",
    "RouteConfig",
    "RouteMatch",
    "ServiceConfig",
    "SidecarFile",
    "SidecarSettings",
    "TokenSource",
    "check_config_main",
    "dump_mesh_yaml",
    "dump_sidecar_yaml",
    "format_duration",
    "load_sidecar_file",
    "parse_duration",
    "parse_mesh_document",
    "parse_sidecar_document",
    "split_address",
]
