"""Kubernetes Gateway API (gateway.networking.k8s.io/v1, standard channel): an HTTPRoute per HTTP
service, attached to that service the GAMMA way (a parentRef of kind Service), so it steers
east-west traffic in a mesh rather than traffic through a gateway.

Gateway API has no subsets. The convention here: a backend that names a subset becomes a
backendRef to a Kubernetes Service called ``<service>-<subset>`` that selects the subset's pods
(its selector = the service's selector + the subset's labels); a warning lists those Services,
which must exist. Retries, load balancing, outlier detection and circuit breakers are outside the
standard channel, and TCPRoute is experimental: each is reported as a warning, not exported.
"""

from __future__ import annotations

from typing import Any

from meshgui.export.common import (
    ExportDocument,
    ExportResult,
    ExportWarning,
    bounded,
    dedupe,
    warning_at,
)
from meshgui.export.durations import gateway_duration
from meshgui.export.gateway_matches import http_route_match, precedence_warnings
from meshgui.export.kubernetes import endpoint_warnings, object_metadata
from meshgui.export.route_rules import effective_retry, merged_backends, routed_subsets
from proxy.config import Backend, MeshConfig, RouteConfig, ServiceConfig
from proxy.config.types import Loc

API_VERSION = "gateway.networking.k8s.io/v1"
MAX_RULES = 16
MAX_BACKEND_REFS = 16
MAX_WEIGHT = 1_000_000
MAX_SERVICE_NAME = 63


def subset_service_name(service: str, subset: str) -> str:
    """The Kubernetes Service that stands for a subset: ``inventory-v1``."""
    return f"{service}-{subset}"


def export_gateway_api(
    mesh: MeshConfig, *, namespace: str = "default", port: int = 80
) -> ExportResult:
    """An HTTPRoute per HTTP service, in the order of ``mesh.services``; `port` is the port of
    the Kubernetes Services that backendRefs name (the CRD requires one)."""
    warnings = endpoint_warnings(mesh, "Gateway API")
    documents: list[ExportDocument] = []
    for name, service in mesh.services.items():
        if service.protocol == "tcp":
            message = (
                "TCP services are not exported: TCPRoute is in Gateway API's experimental channel"
            )
            warnings.append(warning_at(("services", name, "protocol"), message))
            continue
        warnings.extend(_policy_warnings(name, service))
        routes = mesh.routes_for(name)
        warnings.extend(precedence_warnings(name, routes))
        rules = [
            _rule(route, port, ("routes", name, index), warnings)
            for index, route in enumerate(routes)
        ]
        documents.extend(_http_routes(name, namespace, rules, warnings))
    for owner, subsets in routed_subsets(mesh, idle=True).items():
        warnings.append(_subset_warning(owner, mesh.services[owner], subsets))
    return ExportResult("gateway", tuple(documents), dedupe(warnings))


def _http_routes(
    name: str, namespace: str, rules: list[dict[str, Any]], warnings: list[ExportWarning]
) -> list[ExportDocument]:
    if len(rules) > MAX_RULES:
        message = (
            f"an HTTPRoute holds at most {MAX_RULES} rules; the routes are split over several "
            "HTTPRoutes, and Gateway API orders equally specific rules of different HTTPRoutes "
            "by creation time, not by this list"
        )
        warnings.append(warning_at(("routes", name), message))
    documents = []
    for start in range(0, len(rules), MAX_RULES):
        route_name = name if start == 0 else f"{name}-{start // MAX_RULES + 1}"
        parent = {"group": "", "kind": "Service", "name": name}
        spec = {"parentRefs": [parent], "rules": rules[start : start + MAX_RULES]}
        data = {
            "apiVersion": API_VERSION,
            "kind": "HTTPRoute",
            "metadata": object_metadata(route_name, namespace),
            "spec": spec,
        }
        documents.append(ExportDocument(f"HTTPRoute/{route_name}", data))
    return documents


def _rule(route: RouteConfig, port: int, loc: Loc, warnings: list[ExportWarning]) -> dict[str, Any]:
    rule: dict[str, Any] = {}
    if route.name is not None:
        rule["name"] = route.name
    match = http_route_match(route.match, (*loc, "match"), warnings)
    if match:
        rule["matches"] = [match]
    backends = merged_backends(route)
    rule["backendRefs"] = [
        _backend_ref(backend, port, len(backends) > 1, (*loc, "backends", index), warnings)
        for index, backend in enumerate(backends[:MAX_BACKEND_REFS])
    ]
    if len(backends) > MAX_BACKEND_REFS:
        message = (
            f"an HTTPRoute rule takes at most {MAX_BACKEND_REFS} backends; the rest are not "
            "exported, and their share goes to the others"
        )
        warnings.append(warning_at((*loc, "backends"), message))
    rule["timeouts"] = _timeouts(route, loc, warnings)
    if effective_retry(route) is not None:
        message = (
            "not exported: HTTPRoute retries are not in Gateway API's standard channel "
            "(configure them in the mesh implementation)"
        )
        warnings.append(warning_at((*loc, "retry"), message))
    return rule


def _backend_ref(
    backend: Backend, port: int, weighted: bool, loc: Loc, warnings: list[ExportWarning]
) -> dict[str, Any]:
    if backend.subset is None:
        name = backend.service
    else:
        name = subset_service_name(backend.service, backend.subset)
        if len(name) > MAX_SERVICE_NAME:
            message = f"the subset's Service name {name!r} is longer than Kubernetes allows (63)"
            warnings.append(warning_at((*loc, "subset"), message))
    ref: dict[str, Any] = {"name": name, "port": port}
    if weighted:
        ref["weight"] = bounded(
            backend.weight, MAX_WEIGHT, (*loc, "weight"), "Gateway API", warnings
        )
    return ref


def _timeouts(route: RouteConfig, loc: Loc, warnings: list[ExportWarning]) -> dict[str, str]:
    # "0s" is Gateway API's "no timeout", which is what a route without one means here.
    request, note = gateway_duration(route.timeout or 0.0)
    if note is not None:
        warnings.append(warning_at((*loc, "timeout"), note))
    timeouts = {"request": request}
    per_try = route.retry.per_try_timeout if route.retry is not None else None
    if per_try is not None:
        # Without retries every request is one backend request, bounded by the per-try timeout.
        timeouts["backendRequest"], note = gateway_duration(per_try)
        if note is not None:
            warnings.append(warning_at((*loc, "retry", "per_try_timeout"), note))
    return timeouts


def _policy_warnings(name: str, service: ServiceConfig) -> list[ExportWarning]:
    loc: Loc = ("services", name)
    elsewhere = "not exported: Gateway API's standard channel has no"
    warnings = [
        warning_at((*loc, "load_balancer"), f"{elsewhere} load balancing policy"),
        warning_at((*loc, "circuit_breaker"), f"{elsewhere} circuit breaker"),
    ]
    if service.outlier_detection.enabled:
        warnings.append(warning_at((*loc, "outlier_detection"), f"{elsewhere} outlier detection"))
    return warnings


def _subset_warning(name: str, service: ServiceConfig, subsets: tuple[str, ...]) -> ExportWarning:
    wanted = "; ".join(
        f"{subset_service_name(name, subset)} selecting "
        + (", ".join(f"{key}={value}" for key, value in service.subsets[subset].items()) or "-")
        for subset in subsets
    )
    message = (
        f"Gateway API has no subsets; backendRefs name one Kubernetes Service per subset, "
        f"which must exist with {name}'s selector plus the subset's labels: {wanted}"
    )
    return warning_at(("services", name, "subsets"), message)
