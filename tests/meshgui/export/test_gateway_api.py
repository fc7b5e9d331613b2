"""Gateway API export: golden file, CRD validity for any mesh, the subset convention, and the
warnings for what HTTPRoute reads differently or cannot say."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings

from meshgui.export.gateway_api import export_gateway_api
from meshgui.export.targets import render_file
from proxy.config import MeshConfig
from tests.meshgui.export.crd_checks import crd_problems
from tests.meshgui.export.samples import INVENTORY, golden, mesh, sample
from tests.proxy.test_config_roundtrip import meshes

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def rules(config: MeshConfig) -> list[dict[str, Any]]:
    (document,) = export_gateway_api(config).documents
    return list(document.data["spec"]["rules"])


def warned(config: MeshConfig) -> dict[str, str]:
    return {w.setting: w.message for w in export_gateway_api(config).warnings}


def with_routes(routes: str) -> MeshConfig:
    return mesh(INVENTORY + "routes:\n  inventory:\n" + routes)


def test_sample_matches_the_golden_file() -> None:
    result = export_gateway_api(sample().mesh)
    assert render_file(result, "mesh-sidecar.yaml, mesh version 7") == golden("gateway-api.yaml")


def test_sample_documents_satisfy_the_crd() -> None:
    for document in export_gateway_api(sample().mesh).documents:
        assert crd_problems(document.data) == [], document.name


@PROPERTY
@given(meshes())
def test_any_mesh_exports_documents_the_crd_accepts(config: MeshConfig) -> None:
    result = export_gateway_api(config, namespace="shop", port=8080)
    for document in result.documents:
        assert crd_problems(document.data) == [], document.name
    settings_warned = {warning.setting for warning in result.warnings}
    for name, service in config.services.items():
        if service.protocol == "tcp":
            assert f"services.{name}.protocol" in settings_warned
        else:
            assert f"services.{name}.circuit_breaker" in settings_warned


def test_the_route_attaches_to_its_service_the_gamma_way() -> None:
    (document,) = export_gateway_api(mesh(INVENTORY), namespace="shop", port=8080).documents
    assert document.data["metadata"]["namespace"] == "shop"
    assert document.data["spec"]["parentRefs"] == [
        {"group": "", "kind": "Service", "name": "inventory"}
    ]
    assert document.data["spec"]["rules"] == [
        {"backendRefs": [{"name": "inventory", "port": 8080}], "timeouts": {"request": "15s"}}
    ]


def test_subsets_become_one_service_each_with_a_warning_naming_them() -> None:
    config = with_routes(
        "    - backends: [{service: inventory, subset: v1, weight: 3}, "
        "{service: inventory, subset: v2, weight: 1}]\n"
    )
    (rule,) = rules(config)
    assert rule["backendRefs"] == [
        {"name": "inventory-v1", "port": 80, "weight": 3},
        {"name": "inventory-v2", "port": 80, "weight": 1},
    ]
    message = warned(config)["services.inventory.subsets"]
    assert "inventory-v1 selecting version=v1" in message
    assert "inventory-v2 selecting version=v2" in message


def test_retries_are_warned_about_and_the_per_try_timeout_bounds_each_backend_request() -> None:
    config = with_routes(
        "    - backends: [{service: inventory}]\n      timeout: 2s\n"
        "      retry: {per_try_timeout: 1500ms}\n"
    )
    (rule,) = rules(config)
    assert rule["timeouts"] == {"request": "2s", "backendRequest": "1s500ms"}
    assert "routes.inventory[0].retry" in warned(config)


def test_no_timeout_is_gateway_apis_zero() -> None:
    (rule,) = rules(with_routes("    - backends: [{service: inventory}]\n      timeout: null\n"))
    assert rule["timeouts"] == {"request": "0s"}


def test_matches_and_their_differences() -> None:
    config = with_routes(
        "    - match: {path_prefix: /api, method: GET, headers: {x-user: alice}}\n"
        "      backends: [{service: inventory}]\n"
        "    - match: {path_prefix: '/a//b', method: PURGE, headers: {x-empty: ''}}\n"
        "      backends: [{service: inventory}]\n"
    )
    first, second = rules(config)
    assert first["matches"] == [
        {
            "path": {"type": "PathPrefix", "value": "/api"},
            "method": "GET",
            "headers": [{"name": "x-user", "value": "alice"}],
        }
    ]
    assert second["matches"] == [
        {
            "path": {"type": "RegularExpression", "value": "^/a//b.*"},
            "headers": [{"type": "RegularExpression", "name": "x-empty", "value": "^$"}],
        }
    ]
    warnings = warned(config)
    assert "whole path segments" in warnings["routes.inventory[0].match.path_prefix"]
    assert "RegularExpression" in warnings["routes.inventory[1].match.path_prefix"]
    assert "every method" in warnings["routes.inventory[1].match.method"]
    assert "routes.inventory[1].match.headers.x-empty" in warnings


def test_a_later_more_specific_overlapping_route_is_warned_about() -> None:
    config = with_routes(
        "    - match: {path_prefix: /api}\n      backends: [{service: inventory}]\n"
        "    - match: {path_prefix: /api/v2}\n      backends: [{service: inventory}]\n"
        "    - match: {path_prefix: /apiv3, method: POST}\n      backends: [{service: inventory}]\n"
        "    - match: {path_prefix: /other}\n      backends: [{service: inventory}]\n"
    )
    warnings = warned(config)
    assert "routes.inventory[0]" in warnings["routes.inventory[1].match"]
    assert "routes.inventory[2].match" in warnings  # /apiv3 also starts with /api
    assert "routes.inventory[3].match" not in warnings  # /other overlaps none of them


def test_more_than_16_routes_are_split_over_httproutes() -> None:
    routes = "".join(
        f"    - match: {{path_prefix: /p{index}}}\n      backends: [{{service: inventory}}]\n"
        for index in range(20)
    )
    result = export_gateway_api(with_routes(routes))
    first, second = (document.data for document in result.documents)
    assert [first["metadata"]["name"], second["metadata"]["name"]] == ["inventory", "inventory-2"]
    assert (len(first["spec"]["rules"]), len(second["spec"]["rules"])) == (16, 4)
    assert crd_problems(first) == [] and crd_problems(second) == []
    assert "routes.inventory" in {warning.setting for warning in result.warnings}
