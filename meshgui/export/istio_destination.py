"""The Istio DestinationRule of one service: load balancer, circuit breaker (connectionPool),
outlier detection and subsets.

mesh-proxy keeps one circuit breaker and one set of ejections per service; Istio makes a cluster
per subset, each with its own, which is said in a warning whenever routes use subsets. A TCP
service gets its load balancer and subsets only: mesh-proxy applies no outlier detection or
circuit breaker to TCP connections.
"""

from __future__ import annotations

from typing import Any

from meshgui.export.common import ExportWarning, bounded, warning_at
from meshgui.export.durations import istio_duration
from meshgui.export.kubernetes import object_metadata, service_host
from meshgui.export.route_rules import OUTLIER_SWEEP_INTERVAL_S, subset_cluster_warnings
from proxy.config import ServiceConfig
from proxy.config.types import Loc

INT32_MAX = 2**31 - 1
UINT32_MAX = 2**32 - 1

LOAD_BALANCERS = {"round_robin": "ROUND_ROBIN", "p2c_ewma": "LEAST_REQUEST"}


def destination_rule(
    name: str,
    service: ServiceConfig,
    namespace: str,
    routed_subsets: tuple[str, ...],
    warnings: list[ExportWarning],
) -> dict[str, Any]:
    """The DestinationRule for `service`; `routed_subsets` are the subsets routes send to."""
    loc: Loc = ("services", name)
    policy: dict[str, Any] = {"loadBalancer": {"simple": LOAD_BALANCERS[service.load_balancer]}}
    if service.load_balancer == "p2c_ewma":
        message = (
            "Istio's LEAST_REQUEST picks the less busy of two endpoints by active requests; "
            "mesh-proxy's p2c_ewma also weighs each endpoint's peak-EWMA latency"
        )
        warnings.append(warning_at((*loc, "load_balancer"), message))
    if service.protocol == "http":
        policy["connectionPool"] = _connection_pool(service, loc, warnings)
        if service.outlier_detection.enabled:
            policy["outlierDetection"] = _outlier_detection(service, loc, warnings)
        if routed_subsets:
            warnings.extend(subset_cluster_warnings("Istio", name, service, routed_subsets))
    spec: dict[str, Any] = {"host": service_host(name, namespace), "trafficPolicy": policy}
    if service.subsets:
        spec["subsets"] = [
            {"name": subset, "labels": dict(labels)} for subset, labels in service.subsets.items()
        ]
    return {
        "apiVersion": "networking.istio.io/v1",
        "kind": "DestinationRule",
        "metadata": object_metadata(name, namespace),
        "spec": spec,
    }


def _connection_pool(
    service: ServiceConfig, loc: Loc, warnings: list[ExportWarning]
) -> dict[str, Any]:
    breaker = service.circuit_breaker
    breaker_loc = (*loc, "circuit_breaker")
    pending = breaker.max_pending
    if pending == 0:
        # Istio reads 0 as "not set", which means no limit at all.
        message = "Istio reads 0 as no limit; exported 1, the closest limit it can express"
        warnings.append(warning_at((*breaker_loc, "max_pending"), message))
        pending = 1
    return {
        "http": {
            "http1MaxPendingRequests": bounded(
                pending, INT32_MAX, (*breaker_loc, "max_pending"), "Istio", warnings
            ),
            "http2MaxRequests": bounded(
                breaker.max_requests, INT32_MAX, (*breaker_loc, "max_requests"), "Istio", warnings
            ),
        }
    }


def _outlier_detection(
    service: ServiceConfig, loc: Loc, warnings: list[ExportWarning]
) -> dict[str, Any]:
    outlier = service.outlier_detection
    outlier_loc = (*loc, "outlier_detection")
    base, note = istio_duration(outlier.base_ejection_time)
    if note is not None:
        warnings.append(warning_at((*outlier_loc, "base_ejection_time"), note))
    interval, _ = istio_duration(OUTLIER_SWEEP_INTERVAL_S)
    return {
        # mesh-proxy counts every 5xx and every failed connection, as consecutive5xxErrors does.
        "consecutive5xxErrors": bounded(
            outlier.consecutive_failures,
            UINT32_MAX,
            (*outlier_loc, "consecutive_failures"),
            "Istio",
            warnings,
        ),
        "interval": interval,
        "baseEjectionTime": base,
        "maxEjectionPercent": outlier.max_ejection_percent,
    }
