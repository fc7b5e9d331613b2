"""Field-by-field validation of an exported Envoy bootstrap.

Two layers:
- envoy-data-plane's betterproto2 types parse the whole document, typed_config included: an
  unknown field, a wrong type, an unknown enum value, a malformed duration or two members of
  one oneof are errors there, as in Envoy's own loader;
- a hand-written check of what those types do not know: the protoc-gen-validate rules of the
  fields we emit (Envoy rejects a config that breaks them) and the references between parts
  (routes name clusters that exist, domains are unique), which Envoy checks when it loads.
"""

from __future__ import annotations

import contextlib
import keyword
import re
import warnings
from collections.abc import Iterator
from typing import Any
from unittest import mock

import betterproto2.casing

with warnings.catch_warnings():
    # The generated types use a validator style pydantic 2.12 deprecated; not ours to fix.
    warnings.simplefilter("ignore", DeprecationWarning)
    # Importing a typed_config's module registers its type for google.protobuf.Any.
    import envoy_data_plane.envoy.extensions.filters.http.router.v3
    import envoy_data_plane.envoy.extensions.filters.network.http_connection_manager.v3
    import envoy_data_plane.envoy.extensions.filters.network.tcp_proxy.v3
    import envoy_data_plane.envoy.extensions.retry.host.previous_hosts.v3  # noqa: F401
    from envoy_data_plane.envoy.config.bootstrap.v3 import Bootstrap

_SNAKE_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_PROTO_DURATION_RE = re.compile(r"^(\d+)(?:\.(\d{1,9}))?s$")
_original_snake_case = betterproto2.casing.safe_snake_case


def _field_name(key: str) -> str:
    # betterproto2 turns the proto field name consecutive_5xx into consecutive_5_xx and then
    # finds no such field; proto field names are already snake case, so keep them as they are.
    if _SNAKE_RE.match(key) and not keyword.iskeyword(key):
        return key
    return _original_snake_case(key)


@contextlib.contextmanager
def _proto_field_names() -> Iterator[None]:
    # from_dict calls the name as imported into the package, so that is the one to replace.
    with mock.patch("betterproto2.safe_snake_case", _field_name):
        yield


def envoy_problems(bootstrap: dict[str, Any]) -> list[str]:
    """Every way `bootstrap` would be refused by Envoy, as far as these checks know."""
    try:
        with _proto_field_names():
            Bootstrap.from_dict(bootstrap)
    except Exception as exc:  # betterproto2 raises KeyError, ValueError, TypeError, pydantic's
        return [f"not an Envoy Bootstrap: {type(exc).__name__}: {exc}"]
    problems: list[str] = []
    resources = bootstrap["static_resources"]
    clusters = {cluster["name"]: cluster for cluster in resources["clusters"]}
    if len(clusters) != len(resources["clusters"]):
        problems.append("cluster names repeat")
    for cluster in resources["clusters"]:
        problems.extend(_cluster_problems(cluster))
    addresses = [repr(listener["address"]) for listener in resources["listeners"]]
    if len(set(addresses)) != len(addresses):
        problems.append("two listeners share an address")
    for listener in resources["listeners"]:
        problems.extend(_listener_problems(listener, clusters))
    return problems


def _seconds(text: str) -> float:
    """Seconds in a protobuf JSON duration (``0.25s``); betterproto2 has checked its form."""
    found = _PROTO_DURATION_RE.match(text)
    assert found is not None, f"not a protobuf JSON duration: {text!r}"
    return int(found[1]) + int((found[2] or "0").ljust(9, "0")) / 1e9


def _cluster_problems(cluster: dict[str, Any]) -> list[str]:
    name = cluster["name"]
    problems = []
    if not name:
        problems.append("a cluster without a name")
    if _seconds(cluster["connect_timeout"]) <= 0:
        problems.append(f"{name}: connect_timeout must be > 0")
    if cluster["load_assignment"]["cluster_name"] != name:
        problems.append(f"{name}: load_assignment names another cluster")
    for locality in cluster["load_assignment"]["endpoints"]:
        for endpoint in locality["lb_endpoints"]:
            if endpoint.get("load_balancing_weight", 1) < 1:
                problems.append(f"{name}: load_balancing_weight must be >= 1")
            if endpoint["endpoint"]["address"]["socket_address"]["port_value"] > 65535:
                problems.append(f"{name}: port_value must be <= 65535")
    threshold = cluster["common_lb_config"]["healthy_panic_threshold"]["value"]
    if not 0 <= threshold <= 100:
        problems.append(f"{name}: healthy_panic_threshold is a percentage")
    outlier = cluster.get("outlier_detection")
    if outlier is not None:
        if outlier["max_ejection_percent"] > 100:
            problems.append(f"{name}: max_ejection_percent must be <= 100")
        for field in ("interval", "base_ejection_time", "max_ejection_time"):
            if _seconds(outlier[field]) <= 0:
                problems.append(f"{name}: outlier_detection.{field} must be > 0")
        if _seconds(outlier["base_ejection_time"]) > _seconds(outlier["max_ejection_time"]):
            problems.append(f"{name}: base_ejection_time must not exceed max_ejection_time")
    return problems


def _listener_problems(listener: dict[str, Any], clusters: dict[str, Any]) -> list[str]:
    problems = []
    for chain in listener["filter_chains"]:
        for network_filter in chain["filters"]:
            config = network_filter["typed_config"]
            if "route_config" in config:
                problems.extend(_http_manager_problems(config, clusters))
            elif config["cluster"] not in clusters:
                problems.append(f"{listener['name']}: tcp_proxy names no cluster")
            if not config["stat_prefix"]:
                problems.append(f"{listener['name']}: stat_prefix must not be empty")
    return problems


def _http_manager_problems(config: dict[str, Any], clusters: dict[str, Any]) -> list[str]:
    problems = []
    if config["http_filters"][-1]["name"] != "envoy.filters.http.router":
        problems.append("the router must be the last HTTP filter")
    domains: list[str] = []
    for host in config["route_config"]["virtual_hosts"]:
        if not host["name"] or not host["domains"]:
            problems.append("a virtual host needs a name and at least one domain")
        domains.extend(host["domains"])
        for route in host["routes"]:
            problems.extend(_route_problems(host["name"], route, clusters))
    if len(set(domains)) != len(domains):
        problems.append("a domain is served by two virtual hosts")
    return problems


def _route_problems(host: str, route: dict[str, Any], clusters: dict[str, Any]) -> list[str]:
    action = route["route"]
    problems = []
    if "weighted_clusters" in action:
        targets = action["weighted_clusters"]["clusters"]
        names = [target["name"] for target in targets]
        if not targets or sum(target["weight"] for target in targets) <= 0:
            problems.append(f"{host}: weighted_clusters needs a cluster with weight > 0")
    else:
        names = [action["cluster"]]
    problems.extend(f"{host}: route to unknown cluster {n!r}" for n in names if n not in clusters)
    retry = action.get("retry_policy")
    if retry is not None:
        back_off = retry["retry_back_off"]
        base, most = _seconds(back_off["base_interval"]), _seconds(back_off["max_interval"])
        if base <= 0 or most <= 0 or most < base:
            problems.append(f"{host}: retry_back_off needs 0 < base_interval <= max_interval")
        if "per_try_timeout" in retry and _seconds(retry["per_try_timeout"]) < 0:
            problems.append(f"{host}: per_try_timeout must not be negative")
    return problems
