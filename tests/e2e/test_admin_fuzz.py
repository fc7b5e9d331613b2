"""Hypothesis against ApplyConfig on one real sidecar: random and mutated documents never crash
it, and a refused document never changes its config."""

from __future__ import annotations

import asyncio
import copy
import json
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from proxy.admin.client import AdminClient
from proxy.admin.errors import AdminError, InvalidArgumentError, InvalidConfigError
from proxy.config import parse_mesh_document
from tests.harness.admin import admin_client, admin_settings
from tests.harness.processes import ProcessPool, SidecarPorts

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]

BASE: dict[str, Any] = {
    "version": 1,
    "services": {
        "inventory": {
            "endpoints": [
                {"name": "inventory-1", "address": "127.0.0.1:9", "labels": {"version": "v1"}},
                {"name": "inventory-2", "address": "127.0.0.1:9", "weight": 3},
            ],
            "subsets": {"v1": {"version": "v1"}},
            "outlier_detection": {"consecutive_failures": 3, "base_ejection_time": "10s"},
        },
        "db": {"protocol": "tcp", "endpoints": [{"name": "db-1", "address": "127.0.0.1:9"}]},
    },
    "routes": {
        "inventory": [
            {
                "match": {"path_prefix": "/api", "headers": {"x-canary": "1"}},
                "backends": [{"service": "inventory", "subset": "v1", "weight": 100}],
                "timeout": "2s",
                "retry": {"attempts": 2, "per_try_timeout": "500ms", "retry_on": ["5xx"]},
            },
            {"backends": [{"service": "inventory"}]},
        ]
    },
}

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["1s", "-5ms", "0", "http", "tcp", "v1", "inventory", "127.0.0.1:0"]),
)


def _containers(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)


values = st.recursive(scalars, _containers, max_leaves=8)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, child in node.items():
            found.extend(_paths(child, (*prefix, key)))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            found.extend(_paths(child, (*prefix, index)))
    return found


@st.composite
def mutated_documents(draw: st.DrawFn) -> str:
    doc = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(doc)[1:]))
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "delete":
            del parent[path[-1]]
        elif action == "replace":
            parent[path[-1]] = draw(values)
        elif isinstance(parent, dict):
            parent[draw(st.text(max_size=8))] = draw(values)
        else:
            parent.append(draw(values))
    as_json = draw(st.booleans())
    return json.dumps(doc) if as_json else yaml.safe_dump(doc)


@st.composite
def valid_variations(draw: st.DrawFn) -> str:
    doc = copy.deepcopy(BASE)
    endpoints = doc["services"]["inventory"]["endpoints"]
    endpoints[1]["weight"] = draw(st.integers(1, 1000))
    endpoints[0]["drained"] = draw(st.booleans())
    doc["routes"]["inventory"][0]["timeout"] = draw(st.sampled_from(["1s", "250ms", "1m"]))
    doc["version"] = draw(st.integers(0, 10**6))
    return json.dumps(doc) if draw(st.booleans()) else yaml.safe_dump(doc)


documents = st.one_of(
    mutated_documents(),
    valid_variations(),
    st.text(max_size=200),
    values.map(lambda value: yaml.safe_dump(value)),
    st.binary(max_size=100).map(lambda data: data.decode("latin-1")),
)


def test_apply_config_survives_random_and_mutated_documents(processes: ProcessPool) -> None:
    sidecar_settings = {
        "service": "web",
        "instance": "web-1",
        "app": None,
        "tcp_outbound": {"db": f"127.0.0.1:{SidecarPorts.allocate().outbound}"},
        **admin_settings(processes.workdir),
    }
    sidecar = processes.start_sidecar(sidecar_settings, BASE, SidecarPorts.allocate())
    loop = asyncio.new_event_loop()
    client: AdminClient = admin_client(sidecar, retry_for=0.0, call_timeout=10.0)
    outcomes = {"applied": 0, "refused": 0}

    @settings(
        max_examples=100,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(document=documents)
    def apply(document: str) -> None:
        before = loop.run_until_complete(client.get_config())
        try:
            version = loop.run_until_complete(client.apply_config(document, before.version))
        except (InvalidConfigError, InvalidArgumentError) as refused:
            assert refused.message
            outcomes["refused"] += 1
            assert loop.run_until_complete(client.get_config()) == before
        except AdminError as other:
            raise AssertionError(f"{other.kind}: {other.message}") from None
        else:
            outcomes["applied"] += 1
            after = loop.run_until_complete(client.get_config())
            assert after.version == version > before.version
            sent = parse_mesh_document(document)
            assert after.mesh() == sent.with_version(version)
        assert sidecar.alive(), sidecar.log()

    try:
        apply()
    finally:
        loop.run_until_complete(client.close())
        loop.close()
    assert outcomes["refused"] > 0 and outcomes["applied"] > 0, outcomes
    assert sidecar.alive(), sidecar.log()
