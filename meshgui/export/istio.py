"""Istio (networking.istio.io/v1): a VirtualService per HTTP service and a DestinationRule per
service.

The VirtualService carries the routes in order (Istio, like mesh-proxy, takes the first match):
prefix, method and exact-header matches, weighted destinations to subsets, the timeout and the
retries. Every rule states its retries, because a rule without them would get Istio's default
of two retries where mesh-proxy makes none. The DestinationRule carries the rest; see
`meshgui.export.istio_destination`.
"""

from __future__ import annotations

from typing import Any

from meshgui.export.common import ExportDocument, ExportResult, ExportWarning, dedupe, warning_at
from meshgui.export.durations import istio_duration
from meshgui.export.istio_destination import destination_rule
from meshgui.export.kubernetes import endpoint_warnings, object_metadata, service_host
from meshgui.export.route_rules import (
    IDEMPOTENT_METHOD_REGEX,
    RuleVariant,
    merged_backends,
    retry_on_tokens,
    routed_subsets,
    rule_variants,
)
from proxy.config import MeshConfig, RetryPolicy, RouteConfig, RouteMatch
from proxy.config.types import Loc

API_VERSION = "networking.istio.io/v1"
ENVOY_BACKOFF_MAX_FACTOR = 10
"""Envoy caps backoff at 10x its base unless told otherwise, and Istio cannot tell it."""


def export_istio(mesh: MeshConfig, *, namespace: str = "default") -> ExportResult:
    """A VirtualService (HTTP services) and a DestinationRule (every service) per service, in
    the order of ``mesh.services``; hosts are ``<service>.<namespace>.svc.cluster.local``."""
    warnings = endpoint_warnings(mesh, "Istio")
    subsets_in_use = routed_subsets(mesh)
    documents: list[ExportDocument] = []
    for name, service in mesh.services.items():
        if service.protocol == "http":
            documents.append(_virtual_service(mesh, name, namespace, warnings))
        rule = destination_rule(name, service, namespace, subsets_in_use.get(name, ()), warnings)
        documents.append(ExportDocument(f"DestinationRule/{name}", rule))
    return ExportResult("istio", tuple(documents), dedupe(warnings))


def _virtual_service(
    mesh: MeshConfig, name: str, namespace: str, warnings: list[ExportWarning]
) -> ExportDocument:
    http: list[dict[str, Any]] = []
    for index, route in enumerate(mesh.routes_for(name)):
        loc: Loc = ("routes", name, index)
        for variant in rule_variants(route):
            http.append(_http_route(variant, namespace, loc, warnings))
    data = {
        "apiVersion": API_VERSION,
        "kind": "VirtualService",
        "metadata": object_metadata(name, namespace),
        "spec": {"hosts": [service_host(name, namespace)], "http": http},
    }
    return ExportDocument(f"VirtualService/{name}", data)


def _http_route(
    variant: RuleVariant, namespace: str, loc: Loc, warnings: list[ExportWarning]
) -> dict[str, Any]:
    route = variant.route
    rule: dict[str, Any] = {}
    if variant.name is not None:
        rule["name"] = variant.name
    match = _match(route.match, variant.idempotent_only)
    if match:
        rule["match"] = [match]
    rule["route"] = _destinations(route, namespace, loc, warnings)
    if variant.timeout is not None:
        rule["timeout"] = _duration(variant.timeout, (*loc, "timeout"), warnings)
    rule["retries"] = _retries(variant.retry, (*loc, "retry"), warnings)
    return rule


def _match(match: RouteMatch, idempotent_only: bool) -> dict[str, Any]:
    result: dict[str, Any] = {}
    if match.path_prefix is not None:
        result["uri"] = {"prefix": match.path_prefix}
    if match.method is not None:
        result["method"] = {"exact": match.method}
    elif idempotent_only:
        result["method"] = {"regex": IDEMPOTENT_METHOD_REGEX}
    if match.headers:
        result["headers"] = {name: {"exact": value} for name, value in match.headers.items()}
    return result


def _destinations(
    route: RouteConfig, namespace: str, loc: Loc, warnings: list[ExportWarning]
) -> list[dict[str, Any]]:
    backends = merged_backends(route)
    weights = [backend.weight for backend in backends]
    percents = percentages(weights)
    if len(backends) > 1 and [w * 100 for w in weights] != [p * sum(weights) for p in percents]:
        given = ":".join(map(str, weights))
        exported = ":".join(map(str, percents))
        message = f"Istio weights are whole percentages; {given} exported as {exported}"
        warnings.append(warning_at((*loc, "backends"), message))
    destinations: list[dict[str, Any]] = []
    for backend, percent in zip(backends, percents, strict=True):
        destination: dict[str, Any] = {"host": service_host(backend.service, namespace)}
        if backend.subset is not None:
            destination["subset"] = backend.subset
        entry: dict[str, Any] = {"destination": destination}
        if len(backends) > 1:
            entry["weight"] = percent
        destinations.append(entry)
    return destinations


def percentages(weights: list[int]) -> list[int]:
    """Whole percentages adding up to 100, as close to `weights` as possible (largest remainder;
    ties go to the earlier backend)."""
    total = sum(weights)
    shares = [weight * 100 // total for weight in weights]
    remainders = [weight * 100 % total for weight in weights]
    by_remainder = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for index in by_remainder[: 100 - sum(shares)]:
        shares[index] += 1
    return shares


def _retries(retry: RetryPolicy | None, loc: Loc, warnings: list[ExportWarning]) -> dict[str, Any]:
    if retry is None:
        return {"attempts": 0}
    codes = [str(code) for code in retry.retriable_status_codes]
    # Istio takes status codes as retryOn tokens and turns on retriable-status-codes itself.
    tokens = [token for token in retry_on_tokens(retry) if token != "retriable-status-codes"]
    if "retriable-status-codes" in retry.retry_on:
        tokens.extend(codes)
    result: dict[str, Any] = {"attempts": retry.attempts}
    if retry.per_try_timeout is not None:
        result["perTryTimeout"] = _duration(
            retry.per_try_timeout, (*loc, "per_try_timeout"), warnings
        )
    result["retryOn"] = ",".join(tokens)
    if retry.backoff_base == 0:
        message = "Istio cannot retry without a pause; exported the shortest backoff, 1ms"
        warnings.append(warning_at((*loc, "backoff_base"), message))
        result["backoff"] = "1ms"
    else:
        result["backoff"] = _duration(retry.backoff_base, (*loc, "backoff_base"), warnings)
    ceiling = max(retry.backoff_base, 0.001) * ENVOY_BACKOFF_MAX_FACTOR
    if round(ceiling * 1e9) != round(retry.backoff_max * 1e9):
        cap, _ = istio_duration(ceiling)
        message = f"Istio cannot set a backoff ceiling; Envoy uses 10 x backoff ({cap})"
        warnings.append(warning_at((*loc, "backoff_max"), message))
    budget = (
        "Istio has no per-route retry budget (a DestinationRule retryBudget caps concurrent "
        "retries per service instead); retries are bounded by attempts alone"
    )
    warnings.append(warning_at((*loc, "budget_ratio"), budget))
    return result


def _duration(seconds: float, loc: Loc, warnings: list[ExportWarning]) -> str:
    text, note = istio_duration(seconds)
    if note is not None:
        warnings.append(warning_at(loc, note))
    return text
