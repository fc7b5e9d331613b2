"""Envoy export: golden file, field-by-field validity for any mesh (envoy-data-plane's types plus
the rules they do not carry), and each translation."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings

from meshgui.export.envoy import export_envoy
from meshgui.export.route_rules import IDEMPOTENT_METHOD_REGEX
from meshgui.export.targets import render_file
from proxy.config import MeshConfig, SidecarSettings
from tests.meshgui.export.envoy_checks import envoy_problems
from tests.meshgui.export.samples import INVENTORY, golden, mesh, sample
from tests.proxy.test_config_roundtrip import meshes

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def bootstrap(config: MeshConfig, sidecar: SidecarSettings | None = None) -> dict[str, Any]:
    (document,) = export_envoy(config, sidecar=sidecar).documents
    return document.data


def clusters(config: MeshConfig) -> dict[str, dict[str, Any]]:
    return {c["name"]: c for c in bootstrap(config)["static_resources"]["clusters"]}


def routes(config: MeshConfig) -> list[dict[str, Any]]:
    listener = bootstrap(config)["static_resources"]["listeners"][0]
    manager = listener["filter_chains"][0]["filters"][0]["typed_config"]
    (host,) = manager["route_config"]["virtual_hosts"]
    return list(host["routes"])


def test_sample_matches_the_golden_file() -> None:
    loaded = sample()
    result = export_envoy(loaded.mesh, sidecar=loaded.sidecar)
    assert render_file(result, "mesh-sidecar.yaml, mesh version 7") == golden("envoy.yaml")


def test_sample_is_a_valid_bootstrap() -> None:
    loaded = sample()
    assert envoy_problems(bootstrap(loaded.mesh, loaded.sidecar)) == []


def test_the_checks_reject_what_envoy_would() -> None:
    data = bootstrap(sample().mesh)
    data["static_resources"]["clusters"][0]["outlier_detection"]["consecutive_5xxx"] = 5
    assert envoy_problems(data) != []


@PROPERTY
@given(meshes())
def test_any_mesh_exports_a_valid_bootstrap(config: MeshConfig) -> None:
    assert envoy_problems(bootstrap(config)) == []


def test_listeners_follow_the_sidecar() -> None:
    loaded = sample()
    listeners = bootstrap(loaded.mesh, loaded.sidecar)["static_resources"]["listeners"]
    assert [listener["name"] for listener in listeners] == ["outbound", "tcp-inventory-db"]
    assert listeners[1]["address"] == {
        "socket_address": {"address": "127.0.0.1", "port_value": 15011}
    }
    proxy = listeners[1]["filter_chains"][0]["filters"][0]["typed_config"]
    assert proxy["cluster"] == "inventory-db"


def test_a_tcp_service_without_a_local_port_is_warned_about() -> None:
    result = export_envoy(mesh("services: {db: {protocol: tcp}}"))
    assert "services.db" in {warning.setting for warning in result.warnings}
    listeners = result.documents[0].data["static_resources"]["listeners"]
    assert [listener["name"] for listener in listeners] == ["outbound"]
    assert listeners[0]["address"]["socket_address"]["port_value"] == 15001


def test_clusters_carry_endpoints_drains_and_subsets() -> None:
    config = mesh(
        INVENTORY.replace("labels: {version: v2}}", "labels: {version: v2}, drained: true}")
        + "  cart:\n    endpoints: [{name: cart-1, address: 'cart.internal:80', weight: 3}]\n"
    )
    found = clusters(config)
    assert list(found) == ["inventory", "inventory|v1", "inventory|v2", "cart"]
    endpoints = found["inventory"]["load_assignment"]["endpoints"][0]["lb_endpoints"]
    assert [e.get("health_status") for e in endpoints] == [None, "DRAINING"]
    subset = found["inventory|v1"]["load_assignment"]["endpoints"][0]["lb_endpoints"]
    assert [e["endpoint"]["address"]["socket_address"]["address"] for e in subset] == ["10.0.0.1"]
    assert found["inventory"]["type"] == "STATIC"
    assert found["cart"]["type"] == "STRICT_DNS"
    assert (
        found["cart"]["load_assignment"]["endpoints"][0]["lb_endpoints"][0]["load_balancing_weight"]
        == 3
    )
    assert found["cart"]["circuit_breakers"]["thresholds"][0]["max_retries"] == 1024
    assert found["cart"]["common_lb_config"] == {"healthy_panic_threshold": {"value": 0.0}}


def test_a_route_without_retries_or_timeout() -> None:
    config = mesh(
        INVENTORY
        + "routes:\n  inventory:\n    - {backends: [{service: inventory}], timeout: null}\n"
    )
    (route,) = routes(config)
    assert route == {"match": {"prefix": "/"}, "route": {"cluster": "inventory", "timeout": "0s"}}


def test_a_retrying_route_splits_by_idempotence_with_envoys_retry_policy() -> None:
    config = mesh(
        INVENTORY
        + """
routes:
  inventory:
    - match: {path_prefix: /api, headers: {x-canary: "1"}}
      backends:
        - {service: inventory, subset: v1, weight: 9}
        - {service: inventory, subset: v2, weight: 1}
      timeout: 5s
      retry: {attempts: 2, per_try_timeout: 1s, retry_on: [5xx, reset],
              backoff_base: 0s, backoff_max: 0s}
"""
    )
    retried, unretried = routes(config)
    assert retried["match"] == {
        "prefix": "/api",
        "headers": [
            {"name": ":method", "string_match": {"safe_regex": {"regex": IDEMPOTENT_METHOD_REGEX}}},
            {"name": "x-canary", "string_match": {"exact": "1"}},
        ],
    }
    action = retried["route"]
    assert action["weighted_clusters"] == {
        "clusters": [{"name": "inventory|v1", "weight": 9}, {"name": "inventory|v2", "weight": 1}]
    }
    policy = action["retry_policy"]
    assert (policy["retry_on"], policy["num_retries"], policy["per_try_timeout"]) == (
        "5xx,reset",
        2,
        "1s",
    )
    assert "retriable_status_codes" not in policy
    assert policy["retry_back_off"] == {"base_interval": "0.001s", "max_interval": "0.001s"}
    assert "retry_policy" not in unretried["route"]
    assert unretried["route"]["timeout"] == "1s"
    warned = {warning.setting for warning in export_envoy(config).warnings}
    assert {
        "routes.inventory[0].retry.backoff_base",
        "routes.inventory[0].retry.budget_ratio",
    } <= warned
