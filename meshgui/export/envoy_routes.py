"""The Envoy route configuration: a virtual host per HTTP service, answering to every Host name a
sidecar answers to, with the routes in order (Envoy, like mesh-proxy, takes the first match).

Backends become weighted_clusters, one cluster per (service, subset). A route without retries
gets no retry_policy (Envoy then makes none); a route without a timeout gets ``0s``, since
Envoy's default would be 15s.
"""

from __future__ import annotations

from typing import Any

from meshgui.export.common import ExportWarning, bounded, warning_at
from meshgui.export.durations import envoy_duration
from meshgui.export.route_rules import (
    IDEMPOTENT_METHOD_REGEX,
    RuleVariant,
    merged_backends,
    retry_on_tokens,
    rule_variants,
)
from proxy.config import MeshConfig, RetryPolicy, RouteMatch
from proxy.config.types import Loc
from proxy.routing import host_keys

UINT32_MAX = 2**32 - 1
SHORTEST_BACKOFF_S = 0.001
PREVIOUS_HOSTS = (
    "type.googleapis.com/envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate"
)


def cluster_name(service: str, subset: str | None) -> str:
    """``inventory``, or ``inventory|v1`` for a subset: '|' cannot occur in a mesh name."""
    return service if subset is None else f"{service}|{subset}"


def route_configuration(
    mesh: MeshConfig, namespace: str, warnings: list[ExportWarning]
) -> dict[str, Any]:
    virtual_hosts = []
    for name, service in mesh.services.items():
        if service.protocol != "http":
            continue
        routes = []
        for index, route in enumerate(mesh.routes_for(name)):
            for variant in rule_variants(route):
                routes.append(_route(variant, ("routes", name, index), warnings))
        domains = [key.decode() for key in host_keys(name, namespace)]
        virtual_hosts.append({"name": name, "domains": domains, "routes": routes})
    return {"name": "mesh", "virtual_hosts": virtual_hosts}


def _route(variant: RuleVariant, loc: Loc, warnings: list[ExportWarning]) -> dict[str, Any]:
    route = variant.route
    result: dict[str, Any] = {}
    if variant.name is not None:
        result["name"] = variant.name
    result["match"] = _match(route.match, variant.idempotent_only)
    backends = merged_backends(route)
    action: dict[str, Any]
    if len(backends) == 1:
        action = {"cluster": cluster_name(backends[0].service, backends[0].subset)}
    else:
        clusters = [
            {
                "name": cluster_name(backend.service, backend.subset),
                "weight": bounded(
                    backend.weight, UINT32_MAX, (*loc, "backends", i, "weight"), "Envoy", warnings
                ),
            }
            for i, backend in enumerate(backends)
        ]
        action = {"weighted_clusters": {"clusters": clusters}}
    action["timeout"] = envoy_duration(variant.timeout or 0.0)
    if variant.retry is not None:
        action["retry_policy"] = _retry_policy(variant.retry, (*loc, "retry"), warnings)
    result["route"] = action
    return result


def _match(match: RouteMatch, idempotent_only: bool) -> dict[str, Any]:
    result: dict[str, Any] = {"prefix": match.path_prefix or "/"}
    headers: list[dict[str, Any]] = []
    if match.method is not None:
        headers.append({"name": ":method", "string_match": {"exact": match.method}})
    elif idempotent_only:
        regex = {"safe_regex": {"regex": IDEMPOTENT_METHOD_REGEX}}
        headers.append({"name": ":method", "string_match": regex})
    headers.extend(
        {"name": name, "string_match": {"exact": value}} for name, value in match.headers.items()
    )
    if headers:
        result["headers"] = headers
    return result


def _retry_policy(retry: RetryPolicy, loc: Loc, warnings: list[ExportWarning]) -> dict[str, Any]:
    tokens = retry_on_tokens(retry)
    policy: dict[str, Any] = {
        "retry_on": ",".join(tokens),
        "num_retries": bounded(retry.attempts, UINT32_MAX, (*loc, "attempts"), "Envoy", warnings),
    }
    if retry.per_try_timeout is not None:
        policy["per_try_timeout"] = envoy_duration(retry.per_try_timeout)
    if "retriable-status-codes" in tokens:
        policy["retriable_status_codes"] = list(retry.retriable_status_codes)
    base = retry.backoff_base
    if base == 0:
        message = "Envoy cannot retry without a pause; exported the shortest backoff, 1ms"
        warnings.append(warning_at((*loc, "backoff_base"), message))
        base = SHORTEST_BACKOFF_S
    policy["retry_back_off"] = {
        "base_interval": envoy_duration(base),
        "max_interval": envoy_duration(max(base, retry.backoff_max)),
    }
    # mesh-proxy retries on another endpoint than the one that failed, when it has one.
    policy["retry_host_predicate"] = [
        {
            "name": "envoy.retry_host_predicates.previous_hosts",
            "typed_config": {"@type": PREVIOUS_HOSTS},
        }
    ]
    policy["host_selection_retry_max_attempts"] = 3
    budget = (
        "not exported: Envoy's retry budget (circuit_breakers retry_budget) caps concurrent "
        "retries per cluster, not a share of the request rate per route; the cluster's "
        "max_retries is set to its max_requests instead"
    )
    warnings.append(warning_at((*loc, "budget_ratio"), budget))
    return policy
