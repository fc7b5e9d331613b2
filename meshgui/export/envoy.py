"""Envoy: a static bootstrap that does what one mesh-proxy sidecar's outbound side does.

One listener on the sidecar's outbound address with an http_connection_manager (the routes, see
`meshgui.export.envoy_routes`), one tcp_proxy listener per TCP destination the sidecar has a
local port for, and the clusters: one per service and one per subset of an HTTP service, each
with its endpoints (STATIC, or STRICT_DNS where an address is a host name), load balancing
policy, outlier detection and circuit breaker thresholds.

Choices that keep Envoy's behaviour close to mesh-proxy's: drained endpoints are DRAINING (never
picked), the panic threshold is 0 (mesh-proxy never falls back to unhealthy endpoints),
success-rate ejection is off (mesh-proxy ejects on consecutive failures only), and max_retries and
max_connections follow max_requests, because Envoy's defaults (3 and 1024) would add limits
mesh-proxy does not have.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from meshgui.export.common import (
    ExportDocument,
    ExportResult,
    ExportWarning,
    bounded,
    dedupe,
    warning_at,
)
from meshgui.export.durations import envoy_duration
from meshgui.export.envoy_routes import UINT32_MAX, cluster_name, route_configuration
from meshgui.export.route_rules import (
    OUTLIER_SWEEP_INTERVAL_S,
    routed_subsets,
    subset_cluster_warnings,
)
from proxy.config import EndpointConfig, MeshConfig, ServiceConfig, SidecarSettings, split_address
from proxy.config.types import Loc

TYPE_PREFIX = "type.googleapis.com/envoy.extensions"
HTTP_CONNECTION_MANAGER = (
    f"{TYPE_PREFIX}.filters.network.http_connection_manager.v3.HttpConnectionManager"
)
ROUTER = f"{TYPE_PREFIX}.filters.http.router.v3.Router"
TCP_PROXY = f"{TYPE_PREFIX}.filters.network.tcp_proxy.v3.TcpProxy"
LB_POLICIES = {"round_robin": "ROUND_ROBIN", "p2c_ewma": "LEAST_REQUEST"}
ENVOY_MAX_EJECTION_TIME_S = 300.0


def export_envoy(
    mesh: MeshConfig, *, namespace: str = "default", sidecar: SidecarSettings | None = None
) -> ExportResult:
    """A bootstrap for the sidecar `sidecar` (its outbound and tcp_outbound addresses and connect
    timeout; mesh-proxy's defaults when None); Host names use `namespace` as the sidecar does."""
    settings = sidecar if sidecar is not None else SidecarSettings(service="mesh", instance="x")
    warnings: list[ExportWarning] = []
    http_manager = {
        "@type": HTTP_CONNECTION_MANAGER,
        "stat_prefix": "outbound",
        "codec_type": "AUTO",
        # mesh-proxy routes on the Host name without its port.
        "strip_any_host_port": True,
        "route_config": route_configuration(mesh, namespace, warnings),
        "http_filters": [{"name": "envoy.filters.http.router", "typed_config": {"@type": ROUTER}}],
    }
    listeners = [_listener("outbound", settings.outbound, "http_connection_manager", http_manager)]
    clusters: list[dict[str, Any]] = []
    subsets_in_use = routed_subsets(mesh)
    connect_timeout = settings.limits.connect_timeout
    for name, service in mesh.services.items():
        clusters.append(_cluster(name, None, service, connect_timeout, warnings))
        if service.protocol == "tcp":
            listeners.extend(_tcp_listener(name, settings, warnings))
            continue
        clusters.extend(
            _cluster(name, subset, service, connect_timeout, warnings) for subset in service.subsets
        )
        if name in subsets_in_use:
            warnings.extend(subset_cluster_warnings("Envoy", name, service, subsets_in_use[name]))
    bootstrap = {"static_resources": {"listeners": listeners, "clusters": clusters}}
    return ExportResult("envoy", (ExportDocument("bootstrap", bootstrap),), dedupe(warnings))


def _listener(name: str, address: str, kind: str, config: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "address": _socket_address(address),
        "filter_chains": [
            {"filters": [{"name": f"envoy.filters.network.{kind}", "typed_config": config}]}
        ],
    }


def _tcp_listener(
    name: str, settings: SidecarSettings, warnings: list[ExportWarning]
) -> list[dict[str, Any]]:
    address = settings.tcp_outbound.get(name)
    if address is None:
        message = (
            "this TCP service has no local port (sidecar.tcp_outbound), so only its cluster is "
            "exported; add a tcp_proxy listener for it"
        )
        warnings.append(warning_at(("services", name), message))
        return []
    proxy = {"@type": TCP_PROXY, "stat_prefix": name, "cluster": cluster_name(name, None)}
    return [_listener(f"tcp-{name}", address, "tcp_proxy", proxy)]


def _socket_address(address: str) -> dict[str, Any]:
    host, port = split_address(address)
    return {"socket_address": {"address": host, "port_value": port}}


def _cluster(
    name: str,
    subset: str | None,
    service: ServiceConfig,
    connect_timeout: float,
    warnings: list[ExportWarning],
) -> dict[str, Any]:
    endpoints = service.endpoints_in_subset(subset)
    cluster = cluster_name(name, subset)
    result: dict[str, Any] = {
        "name": cluster,
        "type": "STATIC" if all(map(_is_ip_literal, endpoints)) else "STRICT_DNS",
        "connect_timeout": envoy_duration(connect_timeout),
        "lb_policy": LB_POLICIES[service.load_balancer],
        "common_lb_config": {"healthy_panic_threshold": {"value": 0.0}},
        "load_assignment": {
            "cluster_name": cluster,
            "endpoints": [{"lb_endpoints": [_lb_endpoint(e, service) for e in endpoints]}],
        },
    }
    if subset is None and service.load_balancer == "p2c_ewma":
        message = (
            "Envoy's LEAST_REQUEST picks the less busy of two endpoints by active requests; "
            "mesh-proxy's p2c_ewma also weighs each endpoint's peak-EWMA latency"
        )
        warnings.append(warning_at(("services", name, "load_balancer"), message))
    if service.protocol == "http":
        loc: Loc = ("services", name)
        if service.outlier_detection.enabled:
            result["outlier_detection"] = _outlier_detection(service, loc, warnings)
        result["circuit_breakers"] = {"thresholds": [_thresholds(service, loc, warnings)]}
    return result


def _is_ip_literal(endpoint: EndpointConfig) -> bool:
    host, _ = split_address(endpoint.address)
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _lb_endpoint(endpoint: EndpointConfig, service: ServiceConfig) -> dict[str, Any]:
    result: dict[str, Any] = {
        "endpoint": {"address": _socket_address(endpoint.address)},
        "load_balancing_weight": endpoint.weight,
    }
    if endpoint.drained or service.drained:
        result["health_status"] = "DRAINING"
    return result


def _outlier_detection(
    service: ServiceConfig, loc: Loc, warnings: list[ExportWarning]
) -> dict[str, Any]:
    outlier = service.outlier_detection
    failures_loc = (*loc, "outlier_detection", "consecutive_failures")
    return {
        "consecutive_5xx": bounded(
            outlier.consecutive_failures, UINT32_MAX, failures_loc, "Envoy", warnings
        ),
        "interval": envoy_duration(OUTLIER_SWEEP_INTERVAL_S),
        "base_ejection_time": envoy_duration(outlier.base_ejection_time),
        "max_ejection_time": envoy_duration(
            max(ENVOY_MAX_EJECTION_TIME_S, outlier.base_ejection_time)
        ),
        "max_ejection_percent": outlier.max_ejection_percent,
        "enforcing_consecutive_5xx": 100,
        "enforcing_success_rate": 0,
    }


def _thresholds(service: ServiceConfig, loc: Loc, warnings: list[ExportWarning]) -> dict[str, Any]:
    breaker = service.circuit_breaker
    breaker_loc = (*loc, "circuit_breaker")
    max_requests = bounded(
        breaker.max_requests, UINT32_MAX, (*breaker_loc, "max_requests"), "Envoy", warnings
    )
    return {
        "priority": "DEFAULT",
        "max_connections": max_requests,
        "max_pending_requests": bounded(
            breaker.max_pending, UINT32_MAX, (*breaker_loc, "max_pending"), "Envoy", warnings
        ),
        "max_requests": max_requests,
        "max_retries": max_requests,
    }
