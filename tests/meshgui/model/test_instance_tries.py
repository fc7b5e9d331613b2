"""An instance's numbers are the tries it served: a caller retries a failed try on another
instance and counts the call there, so the failing instance's failures show only as retries
on its own row. Counted by calls, inventory-1 read "0.00 %" while it failed 30 % of its tries."""

from __future__ import annotations

import pytest

from meshgui.model import MeshModel
from tests.meshgui.model.snapshots import (
    FakeClock,
    endpoint,
    http_edge,
    response,
    snapshot,
    workload,
)

CART = workload("cart", "cart-1")
INV1, INV2 = workload("inventory", "inventory-1"), workload("inventory", "inventory-2")


def test_a_failing_instance_whose_failures_were_retried_elsewhere_shows_them() -> None:
    clock = FakeClock()
    model = MeshModel(clock=clock)
    for i in range(3):
        clock.now = 1000.0 + i
        # Each second: inventory-1 answered 35 calls and failed 15 more tries, all retried on
        # inventory-2, which answered those 15 and 50 calls of its own.
        edges = [
            http_edge("source", CART, INV1, [response(200, 35 * i)], retries=15 * i),
            http_edge("source", CART, INV2, [response(200, 65 * i)]),
        ]
        endpoints = (endpoint("inventory", "inventory-1"), endpoint("inventory", "inventory-2"))
        model.ingest("cart", snapshot(clock.now, http=edges, endpoints=endpoints))
    inventory = model.view().nodes["inventory"]
    by_name = {instance.name: instance for instance in inventory.instances}
    assert by_name["inventory-1"].rps == pytest.approx(50.0)  # 35 calls + 15 failed tries
    assert by_name["inventory-1"].error_pct == pytest.approx(30.0)
    assert by_name["inventory-2"].rps == pytest.approx(65.0)
    assert by_name["inventory-2"].error_pct == 0.0
    assert inventory.error_pct == 0.0  # the callers saw no failure
