"""Property: any valid MeshConfig written as YAML (or JSON) loads back to an equal model."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from proxy.config import (
    Backend,
    CircuitBreaker,
    EndpointConfig,
    MeshConfig,
    OutlierDetection,
    RetryPolicy,
    RouteConfig,
    RouteMatch,
    ServiceConfig,
    dump_mesh_yaml,
    parse_mesh_document,
)

names = st.from_regex(r"[a-z]([-a-z0-9]{0,10}[a-z0-9])?", fullmatch=True)
label_values = st.from_regex(r"[A-Za-z0-9]([-A-Za-z0-9_.]{0,6}[A-Za-z0-9])?", fullmatch=True)
labels = st.dictionaries(
    st.sampled_from(["version", "zone", "app.kubernetes.io/name"]), label_values
)
nice_durations = st.sampled_from([0.001, 0.025, 0.25, 1.0, 1.5, 5.0, 90.0, 120.0, 3600.0])
any_durations = st.floats(min_value=0.0, max_value=1e9, allow_nan=False, allow_infinity=False)
durations = nice_durations | any_durations
positive_durations = nice_durations | any_durations.filter(lambda seconds: seconds > 0)
hosts = (
    st.ip_addresses(v=4).map(str)
    | st.ip_addresses(v=6).map(lambda ip: f"[{ip}]")
    | st.from_regex(r"[a-z]([a-z0-9-]{0,8}[a-z0-9])?(\.[a-z]{1,5}){0,2}", fullmatch=True)
)
header_values = st.from_regex(r"([!-~]([ -~\t]{0,10}[!-~])?)?", fullmatch=True)
addresses = st.builds(lambda host, port: f"{host}:{port}", hosts, st.integers(0, 65535))


@st.composite
def services(draw: st.DrawFn, name: str) -> ServiceConfig:
    endpoints = tuple(
        EndpointConfig(
            name=f"{name}-{index}",  # a single digit after the service name keeps them mesh-unique
            address=draw(addresses),
            weight=draw(st.integers(1, 1000)),
            labels=draw(labels),
            drained=draw(st.booleans()),
        )
        for index in range(draw(st.integers(0, 3)))
    )
    return ServiceConfig(
        protocol=draw(st.sampled_from(["http", "tcp"])),
        load_balancer=draw(st.sampled_from(["p2c_ewma", "round_robin"])),
        drained=draw(st.booleans()),
        endpoints=endpoints,
        subsets=draw(st.dictionaries(names, labels, max_size=3)),
        outlier_detection=OutlierDetection(
            enabled=draw(st.booleans()),
            consecutive_failures=draw(st.integers(1, 50)),
            base_ejection_time=draw(positive_durations),
            max_ejection_percent=draw(st.integers(0, 100)),
        ),
        circuit_breaker=CircuitBreaker(
            max_requests=draw(st.integers(1, 10**6)), max_pending=draw(st.integers(0, 10**6))
        ),
    )


@st.composite
def retry_policies(draw: st.DrawFn, timeout: float | None) -> RetryPolicy:
    per_try = draw(st.none() | positive_durations)
    if per_try is not None and timeout is not None:
        per_try = min(per_try, timeout)
    base, most = sorted(draw(st.lists(durations, min_size=2, max_size=2)))
    return RetryPolicy(
        attempts=draw(st.integers(0, 10)),
        per_try_timeout=per_try,
        retry_on=tuple(draw(st.lists(st.sampled_from(["5xx", "reset", "connect-failure"])))),
        retriable_status_codes=tuple(draw(st.lists(st.integers(100, 599), max_size=3))),
        backoff_base=base,
        backoff_max=most,
        budget_ratio=draw(st.floats(0.0, 1.0)),
        budget_min_per_second=draw(st.floats(0.0, 1000.0)),
        retry_non_idempotent=draw(st.booleans()),
    )


@st.composite
def routes(draw: st.DrawFn, index: int, http: dict[str, ServiceConfig]) -> RouteConfig:
    targets = draw(st.lists(st.sampled_from(sorted(http)), min_size=1, max_size=3))
    backends = [
        Backend(
            service=target,
            subset=draw(st.none() | st.sampled_from([None, *http[target].subsets])),
            weight=draw(st.integers(0, 100)),
        )
        for target in targets
    ]
    if sum(backend.weight for backend in backends) == 0:
        backends[0] = backends[0].model_copy(update={"weight": 1})
    timeout = draw(st.none() | positive_durations)
    match = RouteMatch(
        path_prefix=draw(st.none() | st.from_regex(r"/[a-z0-9/_.-]{0,12}", fullmatch=True)),
        method=draw(st.none() | st.sampled_from(["GET", "POST", "PUT"])),
        headers=draw(
            st.dictionaries(st.from_regex(r"x-[a-z]{1,8}", fullmatch=True), header_values)
        ),
    )
    return RouteConfig(
        name=draw(st.sampled_from([None, f"route-{index}"])),
        match=match,
        backends=tuple(backends),
        timeout=timeout,
        retry=draw(st.none() | retry_policies(timeout)),
    )


@st.composite
def meshes(draw: st.DrawFn) -> MeshConfig:
    service_names = draw(st.lists(names, min_size=1, max_size=4, unique=True))
    by_name = {name: draw(services(name)) for name in service_names}
    http = {name: service for name, service in by_name.items() if service.protocol == "http"}
    route_table: dict[str, tuple[RouteConfig, ...]] = {}
    for destination in sorted(http) and draw(st.lists(st.sampled_from(sorted(http)), unique=True)):
        count = draw(st.integers(1, 3))
        route_table[destination] = tuple(draw(routes(index, http)) for index in range(count))
    return MeshConfig(version=draw(st.integers(0, 2**40)), services=by_name, routes=route_table)


ROUND_TRIP = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@ROUND_TRIP
@given(meshes())
def test_yaml_round_trip_gives_an_equal_model(mesh: MeshConfig) -> None:
    assert parse_mesh_document(dump_mesh_yaml(mesh)) == mesh


@ROUND_TRIP
@given(meshes())
def test_json_and_python_dumps_round_trip_too(mesh: MeshConfig) -> None:
    as_json: dict[str, Any] = mesh.model_dump(mode="json")
    assert parse_mesh_document(json.dumps(as_json)) == mesh
    assert parse_mesh_document(mesh.model_dump()) == mesh
