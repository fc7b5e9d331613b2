"""Route semantics every target shares: which retries are in effect, which methods may be retried,
the backends of a route with repeats merged, and what a cluster per subset changes.

mesh-proxy retries only idempotent methods unless a route says `retry_non_idempotent`; Istio and
Envoy retry every method. A route that retries is therefore exported as two rules: the route's
match narrowed to the idempotent methods, with retries, then the same match without retries. The
translation stays exact at the price of a longer rule list.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from meshgui.export.common import ExportWarning, warning_at
from proxy.config import Backend, MeshConfig, RetryPolicy, RouteConfig, ServiceConfig
from proxy.policy.retry import is_idempotent

STANDARD_METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH")
IDEMPOTENT_METHODS = tuple(m for m in STANDARD_METHODS if is_idempotent(m.encode()))
IDEMPOTENT_METHOD_REGEX = "|".join(IDEMPOTENT_METHODS)
"""A full-match RE2 pattern, as Istio's and Envoy's regex matchers apply it."""

OUTLIER_SWEEP_INTERVAL_S = 1.0
"""How often mesh-proxy readmits ejected endpoints (its housekeeping tick); Envoy's ``interval``."""


def effective_retry(route: RouteConfig) -> RetryPolicy | None:
    """The route's retry policy when it can retry at all; None for a route that never retries."""
    retry = route.retry
    if retry is None or retry.attempts == 0 or not retry_on_tokens(retry):
        return None
    return retry


@dataclass(frozen=True, slots=True)
class RuleVariant:
    """One rule a route becomes: its match, perhaps narrowed to idempotent methods, and whether
    the rule retries."""

    route: RouteConfig
    retry: RetryPolicy | None
    idempotent_only: bool
    """Also match the request method against `IDEMPOTENT_METHOD_REGEX`."""
    name_suffix: str = ""

    @property
    def name(self) -> str | None:
        return None if self.route.name is None else self.route.name + self.name_suffix

    @property
    def timeout(self) -> float | None:
        """The rule's overall deadline. mesh-proxy applies a per-try timeout to every try, also
        when the request may not be retried; then the one try's deadline is the rule's."""
        route = self.route
        per_try = route.retry.per_try_timeout if route.retry is not None else None
        if self.retry is not None or per_try is None:
            return route.timeout
        return per_try if route.timeout is None else min(per_try, route.timeout)


def rule_variants(route: RouteConfig) -> tuple[RuleVariant, ...]:
    """The rules that carry `route` to a target that retries any method."""
    retry = effective_retry(route)
    if retry is None or retry.retry_non_idempotent:
        return (RuleVariant(route, retry, idempotent_only=False),)
    method = route.match.method
    if method is not None:
        retried = is_idempotent(method.encode())
        return (RuleVariant(route, retry if retried else None, idempotent_only=False),)
    return (
        RuleVariant(route, retry, idempotent_only=True),
        RuleVariant(route, None, idempotent_only=False, name_suffix="-no-retry"),
    )


def merged_backends(route: RouteConfig) -> tuple[Backend, ...]:
    """The route's backends with repeats of a (service, subset) merged by adding their weights,
    in first-seen order; the split of traffic is unchanged."""
    weights: dict[tuple[str, str | None], int] = {}
    for backend in route.backends:
        key = (backend.service, backend.subset)
        weights[key] = weights.get(key, 0) + backend.weight
    return tuple(
        Backend(service=service, subset=subset, weight=weight)
        for (service, subset), weight in weights.items()
    )


def routed_subsets(mesh: MeshConfig, *, idle: bool = False) -> Mapping[str, tuple[str, ...]]:
    """Per service, the subsets some route sends traffic to, in name order; with `idle`, also
    those that routes name with weight 0."""
    found: dict[str, set[str]] = {}
    for service in mesh.services:
        for route in mesh.routes_for(service):
            for backend in route.backends:
                if backend.subset is not None and (idle or backend.weight > 0):
                    found.setdefault(backend.service, set()).add(backend.subset)
    return {service: tuple(sorted(subsets)) for service, subsets in found.items()}


def retry_on_tokens(retry: RetryPolicy) -> list[str]:
    """`retry_on` without repeats, and without a ``retriable-status-codes`` that has no codes to
    apply to."""
    tokens: list[str] = list(dict.fromkeys(retry.retry_on))
    if not retry.retriable_status_codes and "retriable-status-codes" in tokens:
        tokens.remove("retriable-status-codes")
    return tokens


def subset_cluster_warnings(
    target: str, name: str, service: ServiceConfig, subsets: tuple[str, ...]
) -> list[ExportWarning]:
    """For targets that make a cluster per subset: mesh-proxy keeps one circuit breaker and one
    set of ejections per service, those clusters keep one each."""
    names = ", ".join(subsets)
    warnings = [
        warning_at(
            ("services", name, "circuit_breaker"),
            f"{target} applies these limits to the service and to each subset ({names}) "
            "separately, so together they admit more than mesh-proxy's one limit per service",
        )
    ]
    if service.outlier_detection.enabled:
        warnings.append(
            warning_at(
                ("services", name, "outlier_detection"),
                f"{target} counts failures and ejections per subset ({names}), not per service",
            )
        )
    return warnings
