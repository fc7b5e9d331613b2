"""Route semantics shared by the exporters, checked against the data plane that defines them."""

from __future__ import annotations

import re

from meshgui.export.route_rules import (
    IDEMPOTENT_METHOD_REGEX,
    OUTLIER_SWEEP_INTERVAL_S,
    STANDARD_METHODS,
    effective_retry,
    merged_backends,
    routed_subsets,
    rule_variants,
)
from proxy.config import Backend, RetryPolicy, RouteConfig, RouteMatch
from proxy.policy.retry import is_idempotent
from proxy.sidecar import HOUSEKEEPING_S
from tests.meshgui.export.samples import INVENTORY, mesh

RETRY = RetryPolicy(attempts=2, per_try_timeout=1.0)


def route(**changes: object) -> RouteConfig:
    fields: dict[str, object] = {"backends": (Backend(service="inventory"),), "retry": RETRY}
    fields.update(changes)
    return RouteConfig.model_validate(fields)


def test_the_method_regex_accepts_exactly_what_the_proxy_retries() -> None:
    for method in (*STANDARD_METHODS, "PURGE", "get"):
        retried = re.fullmatch(IDEMPOTENT_METHOD_REGEX, method) is not None
        assert retried == is_idempotent(method.encode()), method


def test_the_sweep_interval_is_the_sidecars_housekeeping_tick() -> None:
    assert OUTLIER_SWEEP_INTERVAL_S == HOUSEKEEPING_S


def test_a_route_without_effective_retries_is_one_rule_without_retries() -> None:
    for changes in ({"retry": None}, {"retry": RetryPolicy(attempts=0)}):
        (variant,) = rule_variants(route(**changes))
        assert variant.retry is None and not variant.idempotent_only
    only_codes_without_codes = RetryPolicy(
        retry_on=("retriable-status-codes",), retriable_status_codes=()
    )
    assert effective_retry(route(retry=only_codes_without_codes)) is None


def test_a_retrying_route_for_any_method_splits_by_idempotence() -> None:
    first, second = rule_variants(route(name="api"))
    assert (first.retry, first.idempotent_only, first.name) == (RETRY, True, "api")
    assert (second.retry, second.idempotent_only, second.name) == (None, False, "api-no-retry")


def test_a_route_for_one_method_retries_only_if_the_proxy_would() -> None:
    (get,) = rule_variants(route(match=RouteMatch(method="GET")))
    (post,) = rule_variants(route(match=RouteMatch(method="POST")))
    assert get.retry == RETRY and post.retry is None


def test_retry_non_idempotent_keeps_one_retrying_rule() -> None:
    policy = RETRY.model_copy(update={"retry_non_idempotent": True})
    (variant,) = rule_variants(route(retry=policy))
    assert variant.retry == policy and not variant.idempotent_only


def test_a_rule_that_never_retries_is_bounded_by_the_per_try_timeout() -> None:
    _, no_retry = rule_variants(route(timeout=5.0))
    assert no_retry.timeout == 1.0
    (unretried,) = rule_variants(
        route(timeout=5.0, retry=RetryPolicy(attempts=0, per_try_timeout=2.0))
    )
    assert unretried.timeout == 2.0
    retried, _ = rule_variants(route(timeout=5.0))
    assert retried.timeout == 5.0


def test_repeated_backends_merge_without_changing_the_split() -> None:
    backends = (
        Backend(service="inventory", subset="v1", weight=30),
        Backend(service="inventory", subset="v2", weight=10),
        Backend(service="inventory", subset="v1", weight=60),
    )
    merged = merged_backends(route(backends=backends))
    assert [(b.subset, b.weight) for b in merged] == [("v1", 90), ("v2", 10)]


def test_routed_subsets_lists_subsets_with_traffic_only() -> None:
    config = mesh(
        INVENTORY
        + """
routes:
  inventory:
    - backends:
        - {service: inventory, subset: v2, weight: 1}
        - {service: inventory, subset: v1, weight: 0}
"""
    )
    assert routed_subsets(config) == {"inventory": ("v2",)}
    assert routed_subsets(config, idle=True) == {"inventory": ("v1", "v2")}
