"""MeshConfig: valid documents load, and each validation rule reports the right path and reason."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from proxy.config import ConfigError, MeshConfig, RouteConfig, parse_mesh_document


def valid_mesh() -> dict[str, Any]:
    return {
        "version": 3,
        "services": {
            "inventory": {
                "endpoints": [
                    {
                        "name": "inventory-1",
                        "address": "127.0.0.1:16006",
                        "labels": {"version": "v1"},
                    },
                    {
                        "name": "inventory-2",
                        "address": "127.0.0.1:16106",
                        "labels": {"version": "v2"},
                    },
                ],
                "subsets": {"v1": {"version": "v1"}, "v2": {"version": "v2"}},
            },
            "cart": {"endpoints": [{"name": "cart-1", "address": "127.0.0.1:17006"}]},
            "db": {"protocol": "tcp", "endpoints": [{"name": "db-1", "address": "127.0.0.1:5432"}]},
        },
        "routes": {
            "inventory": [
                {
                    "name": "canary",
                    "match": {"path_prefix": "/api"},
                    "backends": [
                        {"service": "inventory", "subset": "v1", "weight": 90},
                        {"service": "inventory", "subset": "v2", "weight": 10},
                    ],
                    "timeout": "5s",
                    "retry": {"per_try_timeout": "1s"},
                }
            ]
        },
    }


def problems_of(change: Callable[[dict[str, Any]], None]) -> dict[str, str]:
    document = valid_mesh()
    change(document)
    with pytest.raises(ConfigError) as caught:
        parse_mesh_document(document)
    return {problem.path: problem.reason for problem in caught.value.problems}


def first_route(document: dict[str, Any]) -> dict[str, Any]:
    route: dict[str, Any] = document["routes"]["inventory"][0]
    return route


def test_a_valid_document_loads_with_defaults_filled_in() -> None:
    mesh = parse_mesh_document(valid_mesh())
    inventory = mesh.services["inventory"]
    assert mesh.version == 3
    assert inventory.protocol == "http" and inventory.load_balancer == "p2c_ewma"
    assert inventory.outlier_detection.base_ejection_time == 30.0
    assert inventory.circuit_breaker.max_requests == 1024
    route = mesh.routes["inventory"][0]
    assert route.timeout == 5.0
    assert route.retry is not None and route.retry.attempts == 2
    assert route.retry.retriable_status_codes == (503,)
    assert route.retry.backoff_base == 0.025 and route.retry.backoff_max == 0.25


def test_route_defaults_match_everything_without_retries() -> None:
    route = RouteConfig.model_validate({"backends": [{"service": "cart"}]})
    assert route.name is None and route.retry is None and route.timeout == 15.0
    assert route.match.path_prefix is None and route.match.method is None
    assert route.match.headers == {}


def test_endpoints_in_subset_select_by_labels() -> None:
    inventory = parse_mesh_document(valid_mesh()).services["inventory"]
    assert [e.name for e in inventory.endpoints_in_subset("v2")] == ["inventory-2"]
    assert len(inventory.endpoints_in_subset(None)) == 2
    assert inventory.endpoints[0].version == "v1"
    with pytest.raises(KeyError):
        inventory.endpoints_in_subset("v9")


def test_routes_for_gives_a_catch_all_route_to_a_service_without_routes() -> None:
    mesh = parse_mesh_document(valid_mesh())
    (default,) = mesh.routes_for("cart")
    assert [b.service for b in default.backends] == ["cart"] and default.retry is None
    assert mesh.routes_for("inventory") == mesh.routes["inventory"]
    assert mesh.routes_for("db") == ()
    assert mesh.route_count == 1


def test_with_version_changes_only_the_version() -> None:
    mesh = parse_mesh_document(valid_mesh())
    newer = mesh.with_version(8)
    assert newer.version == 8 and newer.services == mesh.services and mesh.version == 3
    with pytest.raises(ValueError, match="negative"):
        mesh.with_version(-1)


def test_models_are_frozen() -> None:
    mesh = parse_mesh_document(valid_mesh())
    with pytest.raises(ValueError, match="frozen"):
        mesh.version = 9


def test_header_names_are_lower_cased_and_methods_upper_cased() -> None:
    document = valid_mesh()
    first_route(document)["match"] = {"method": "get", "headers": {"X-Canary": "1"}}
    match = parse_mesh_document(document).routes["inventory"][0].match
    assert match.headers == {"x-canary": "1"} and match.method == "GET"


def test_a_route_may_have_no_timeout() -> None:
    document = valid_mesh()
    first_route(document)["timeout"] = None
    assert parse_mesh_document(document).routes["inventory"][0].timeout is None


@pytest.mark.parametrize(
    ("change", "path", "reason"),
    [
        (
            lambda d: d["routes"].update(ghost=[{"backends": [{"service": "cart"}]}]),
            "routes.ghost",
            "no service named 'ghost'",
        ),
        (
            lambda d: first_route(d)["backends"].append({"service": "invntory"}),
            "routes.inventory[0].backends[2].service",
            "did you mean 'inventory'?",
        ),
        (
            lambda d: first_route(d)["backends"][1].update(subset="v3"),
            "routes.inventory[0].backends[1].subset",
            "service inventory has no subset 'v3' (defined: v1, v2)",
        ),
        (
            lambda d: d["services"]["inventory"]["endpoints"][1].update(name="inventory-1"),
            "services.inventory.endpoints[1].name",
            "'inventory-1' is also the name of endpoints[0]",
        ),
        (
            lambda d: d["services"]["cart"]["endpoints"][0].update(name="inventory-2"),
            "services.cart.endpoints[0].name",
            "also used by services.inventory.endpoints[1]",
        ),
        (
            lambda d: first_route(d)["backends"][0].update(weight=-1),
            "routes.inventory[0].backends[0].weight",
            "greater than or equal to 0 (got -1)",
        ),
        (
            lambda d: [b.update(weight=0) for b in first_route(d)["backends"]],
            "routes.inventory[0].backends",
            "weights must add up to more than 0",
        ),
        (
            lambda d: d["services"]["cart"]["endpoints"][0].update(weight=0),
            "services.cart.endpoints[0].weight",
            "greater than or equal to 1",
        ),
        (
            lambda d: d["services"]["cart"]["endpoints"][0].update(weight=1001),
            "services.cart.endpoints[0].weight",
            "less than or equal to 1000",
        ),
        (
            lambda d: first_route(d)["retry"].update(retry_on=["5xx", "bogus"]),
            "routes.inventory[0].retry.retry_on[1]",
            "should be 'connect-failure', 'reset', '5xx'",
        ),
        (
            lambda d: first_route(d)["retry"].update(retriable_status_codes=[503, 600]),
            "routes.inventory[0].retry.retriable_status_codes[1]",
            "less than or equal to 599 (got 600)",
        ),
        (
            lambda d: first_route(d)["retry"].update(retriable_status_codes=[99]),
            "routes.inventory[0].retry.retriable_status_codes[0]",
            "greater than or equal to 100",
        ),
        (
            lambda d: d["routes"].update(db=[{"backends": [{"service": "cart"}]}]),
            "routes.db",
            "db is a tcp service; routes are HTTP-only",
        ),
        (
            lambda d: first_route(d)["backends"].append({"service": "db"}),
            "routes.inventory[0].backends[2].service",
            "db is a tcp service",
        ),
        (
            lambda d: first_route(d)["retry"].update(backoff_base="1s"),
            "routes.inventory[0].retry.backoff_base",
            "backoff_base (1s) is longer than backoff_max (250ms)",
        ),
        (
            lambda d: first_route(d)["retry"].update(per_try_timeout="6s"),
            "routes.inventory[0].retry.per_try_timeout",
            "per_try_timeout (6s) must not be longer than the route's timeout (5s)",
        ),
        (
            lambda d: d["services"]["cart"].update(outlier_detection={"max_ejection_percent": 101}),
            "services.cart.outlier_detection.max_ejection_percent",
            "less than or equal to 100",
        ),
        (
            lambda d: first_route(d)["match"].update(headers={"bad header": "1"}),
            "routes.inventory[0].match.headers['bad header']",
            "not a valid HTTP header name",
        ),
        (
            lambda d: first_route(d)["match"].update(headers={"x-canary": 1}),
            "routes.inventory[0].match.headers.x-canary",
            "expected a string (quote it in YAML) (got 1)",
        ),
        (
            lambda d: first_route(d)["match"].update(headers={"x-canary": " 1"}),
            "routes.inventory[0].match.headers.x-canary",
            "printable ASCII without surrounding whitespace",
        ),
        (
            lambda d: first_route(d)["match"].update(path_prefix="/caf\u00e9 menu"),
            "routes.inventory[0].match.path_prefix",
            "printable ASCII without spaces",
        ),
        (
            lambda d: first_route(d)["match"].update(path_prefix="api"),
            "routes.inventory[0].match.path_prefix",
            "must start with '/'",
        ),
        (
            lambda d: d["routes"].update(cart=[]),
            "routes.cart",
            "needs at least one route",
        ),
        (
            lambda d: d["routes"]["inventory"].append(dict(first_route(d))),
            "routes.inventory[1].name",
            "route name 'canary' is used twice",
        ),
        (
            lambda d: d["services"]["cart"].update(protocol="udp"),
            "services.cart.protocol",
            "should be 'http' or 'tcp' (got 'udp')",
        ),
        (
            lambda d: d["services"].update(Cart={}),
            "services.Cart",
            "key 'Cart' must be a DNS label",
        ),
        (
            lambda d: d["services"]["cart"].update(endpoints=[{"name": "cart-1"}]),
            "services.cart.endpoints[0].address",
            "required, but missing",
        ),
    ],
)
def test_each_rule_reports_its_path_and_a_readable_reason(
    change: Callable[[dict[str, Any]], None], path: str, reason: str
) -> None:
    problems = problems_of(change)
    assert path in problems, problems
    assert reason in problems[path]
    assert not any("Value error" in r or "https://" in r for r in problems.values())


def test_several_problems_are_reported_together() -> None:
    def break_twice(document: dict[str, Any]) -> None:
        first_route(document)["backends"][0].update(subset="v9")
        document["routes"]["ghost"] = [{"backends": [{"service": "cart"}]}]

    assert set(problems_of(break_twice)) == {
        "routes.inventory[0].backends[0].subset",
        "routes.ghost",
    }


def test_models_built_in_code_are_validated_too() -> None:
    with pytest.raises(ValueError, match="no service named 'ghost'"):
        MeshConfig(
            routes={"ghost": (RouteConfig.model_validate({"backends": [{"service": "x"}]}),)}
        )
