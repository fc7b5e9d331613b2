"""Istio export: golden file, CRD validity for any mesh, and each translation and warning."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meshgui.export.istio import export_istio, percentages
from meshgui.export.route_rules import IDEMPOTENT_METHOD_REGEX, rule_variants
from meshgui.export.targets import render_file
from proxy.config import MeshConfig
from tests.meshgui.export.crd_checks import crd_problems
from tests.meshgui.export.samples import INVENTORY, golden, mesh, sample
from tests.proxy.test_config_roundtrip import meshes

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def documents(config: MeshConfig, kind: str) -> list[dict[str, Any]]:
    return [d.data for d in export_istio(config).documents if d.data["kind"] == kind]


def settings_warned(config: MeshConfig) -> set[str]:
    return {warning.setting for warning in export_istio(config).warnings}


def test_sample_matches_the_golden_file() -> None:
    result = export_istio(sample().mesh)
    assert render_file(result, "mesh-sidecar.yaml, mesh version 7") == golden("istio.yaml")


def test_sample_documents_satisfy_the_crds() -> None:
    for document in export_istio(sample().mesh).documents:
        assert crd_problems(document.data) == [], document.name


@PROPERTY
@given(meshes(), st.sampled_from(["default", "shop"]))
def test_any_mesh_exports_documents_the_crds_accept(config: MeshConfig, namespace: str) -> None:
    result = export_istio(config, namespace=namespace)
    for document in result.documents:
        assert crd_problems(document.data) == [], document.name
        assert document.data["metadata"]["namespace"] == namespace
    http = [name for name, service in config.services.items() if service.protocol == "http"]
    assert len(result.documents) == len(config.services) + len(http)


@PROPERTY
@given(meshes())
def test_every_retry_budget_and_p2c_balancer_is_warned_about(config: MeshConfig) -> None:
    warned = settings_warned(config)
    for name, service in config.services.items():
        if service.load_balancer == "p2c_ewma":
            assert f"services.{name}.load_balancer" in warned
        for index, route in enumerate(config.routes_for(name)):
            if any(variant.retry is not None for variant in rule_variants(route)):
                assert f"routes.{name}[{index}].retry.budget_ratio" in warned


@given(st.lists(st.integers(0, 10_000), min_size=1, max_size=8).filter(lambda w: sum(w) > 0))
def test_percentages_add_up_to_100_and_stay_within_one_of_the_share(weights: list[int]) -> None:
    shares = percentages(weights)
    assert sum(shares) == 100
    for weight, share in zip(weights, shares, strict=True):
        assert abs(share - weight * 100 / sum(weights)) < 1


def test_a_route_without_retries_says_attempts_0_against_istios_default() -> None:
    (service,) = documents(mesh(INVENTORY), "VirtualService")
    (rule,) = service["spec"]["http"]
    assert rule["retries"] == {"attempts": 0}
    assert rule["timeout"] == "15s"
    assert rule["route"] == [{"destination": {"host": "inventory.default.svc.cluster.local"}}]


def test_retries_for_any_method_become_an_idempotent_rule_and_a_rule_without() -> None:
    config = mesh(
        INVENTORY
        + """
routes:
  inventory:
    - name: api
      match: {path_prefix: /api}
      backends: [{service: inventory}]
      timeout: 3s
      retry: {attempts: 3, per_try_timeout: 500ms, retry_on: [5xx, retriable-status-codes],
              retriable_status_codes: [503, 429], backoff_base: 50ms, backoff_max: 500ms}
"""
    )
    (service,) = documents(config, "VirtualService")
    retried, unretried = service["spec"]["http"]
    assert retried["name"] == "api"
    assert retried["match"] == [
        {"uri": {"prefix": "/api"}, "method": {"regex": IDEMPOTENT_METHOD_REGEX}}
    ]
    assert retried["retries"] == {
        "attempts": 3,
        "perTryTimeout": "500ms",
        "retryOn": "5xx,503,429",
        "backoff": "50ms",
    }
    assert retried["timeout"] == "3s"
    assert unretried["name"] == "api-no-retry"
    assert unretried["match"] == [{"uri": {"prefix": "/api"}}]
    assert unretried["retries"] == {"attempts": 0}
    assert unretried["timeout"] == "500ms"  # its one try is bounded by the per-try timeout
    warned = settings_warned(config)
    assert "routes.inventory[0].retry.backoff_max" not in warned  # 500ms is 10 x 50ms


def test_weights_become_percentages_with_a_warning_when_rounded() -> None:
    config = mesh(
        INVENTORY
        + """
routes:
  inventory:
    - backends:
        - {service: inventory, subset: v1, weight: 1}
        - {service: inventory, subset: v2, weight: 2}
"""
    )
    (service,) = documents(config, "VirtualService")
    assert [d["weight"] for d in service["spec"]["http"][0]["route"]] == [33, 67]
    assert "routes.inventory[0].backends" in settings_warned(config)


def test_policies_go_to_the_destination_rule() -> None:
    config = mesh(
        """
services:
  cart:
    load_balancer: round_robin
    outlier_detection: {consecutive_failures: 3, base_ejection_time: 10s, max_ejection_percent: 50}
    circuit_breaker: {max_requests: 100, max_pending: 0}
    subsets: {canary: {track: canary}}
"""
    )
    (rule,) = documents(config, "DestinationRule")
    assert rule["spec"]["trafficPolicy"] == {
        "loadBalancer": {"simple": "ROUND_ROBIN"},
        "connectionPool": {"http": {"http1MaxPendingRequests": 1, "http2MaxRequests": 100}},
        "outlierDetection": {
            "consecutive5xxErrors": 3,
            "interval": "1s",
            "baseEjectionTime": "10s",
            "maxEjectionPercent": 50,
        },
    }
    assert rule["spec"]["subsets"] == [{"name": "canary", "labels": {"track": "canary"}}]
    warned = settings_warned(config)
    assert "services.cart.circuit_breaker.max_pending" in warned  # Istio reads 0 as no limit
    assert "services.cart.load_balancer" not in warned


def test_a_tcp_service_gets_a_destination_rule_without_http_policies() -> None:
    config = mesh("services: {db: {protocol: tcp, load_balancer: round_robin}}")
    assert documents(config, "VirtualService") == []
    (rule,) = documents(config, "DestinationRule")
    assert rule["spec"]["trafficPolicy"] == {"loadBalancer": {"simple": "ROUND_ROBIN"}}


def test_backoff_istio_cannot_express_is_warned_about() -> None:
    config = mesh(
        INVENTORY
        + """
routes:
  inventory:
    - match: {method: GET}
      backends: [{service: inventory}]
      retry: {backoff_base: 0s, backoff_max: 1s}
"""
    )
    (service,) = documents(config, "VirtualService")
    assert service["spec"]["http"][0]["retries"]["backoff"] == "1ms"
    warned = settings_warned(config)
    assert {
        "routes.inventory[0].retry.backoff_base",
        "routes.inventory[0].retry.backoff_max",
    } <= warned


def test_endpoint_weights_and_drains_are_warned_about() -> None:
    config = mesh(
        """
services:
  cart:
    drained: true
    endpoints:
      - {name: cart-1, address: 10.0.0.1:80, weight: 3}
      - {name: cart-2, address: 10.0.0.2:80, drained: true}
"""
    )
    assert {
        "services.cart.endpoints",
        "services.cart.drained",
        "services.cart.endpoints[0].weight",
        "services.cart.endpoints[1].drained",
    } <= settings_warned(config)
