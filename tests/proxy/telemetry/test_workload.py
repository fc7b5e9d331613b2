"""Workload identity as Istio's labels need it."""

from __future__ import annotations

import pytest

from proxy.telemetry import UNKNOWN_WORKLOAD, Workload


def test_workload_name_includes_the_version_when_there_is_one() -> None:
    assert Workload("inventory", version="v2").workload_name == "inventory-v2"
    assert Workload("inventory").workload_name == "inventory"


def test_fqdn_is_the_kubernetes_service_name() -> None:
    assert Workload("cart", namespace="shop").fqdn == "cart.shop.svc.cluster.local"
    assert Workload("cart").fqdn == "cart.default.svc.cluster.local"


def test_instance_tells_workloads_apart_but_is_optional() -> None:
    one = Workload("inventory", version="v1", instance="10.0.0.1:8080")
    two = Workload("inventory", version="v1", instance="10.0.0.2:8080")
    assert one != two
    assert one.workload_name == two.workload_name


def test_unknown_workload_is_unknown_everywhere() -> None:
    assert UNKNOWN_WORKLOAD.is_unknown
    assert UNKNOWN_WORKLOAD.workload_name == "unknown"
    assert UNKNOWN_WORKLOAD.namespace == "unknown"
    assert not Workload("unknown").is_unknown  # a service may be called that


def test_workload_is_frozen() -> None:
    with pytest.raises(AttributeError):
        Workload("cart").service = "web"  # type: ignore[misc]
