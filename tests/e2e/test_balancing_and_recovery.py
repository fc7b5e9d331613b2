"""Weighted splits, retries and outlier detection with real sidecars and real app processes."""

from __future__ import annotations

import asyncio

import pytest

from tests.harness.load import drive
from tests.harness.processes import ProcessPool
from tests.harness.topology import start_mesh

pytestmark = pytest.mark.e2e

SUBSETS = {"v1": {"version": "v1"}, "v2": {"version": "v2"}}


async def test_weighted_split_is_within_five_points(processes: ProcessPool) -> None:
    routes = [
        {
            "backends": [
                {"service": "inventory", "subset": "v1", "weight": 80},
                {"service": "inventory", "subset": "v2", "weight": 20},
            ]
        }
    ]
    mesh = start_mesh(
        processes,
        [("inventory-1", {"version": "v1"}), ("inventory-2", {"version": "v2"})],
        service_extra={"subsets": SUBSETS},
        routes=routes,
    )
    result = await drive(mesh.url, host="inventory", requests=2000, concurrency=8)
    assert result.failed == 0, result
    assert abs(result.share("inventory-1") - 0.80) <= 0.05, result.served_by
    assert abs(result.share("inventory-2") - 0.20) <= 0.05, result.served_by


async def test_killed_instance_is_ejected_and_retries_hide_it(processes: ProcessPool) -> None:
    routes = [
        {
            "backends": [{"service": "inventory"}],
            "timeout": "5s",
            "retry": {
                "attempts": 2,
                "per_try_timeout": "1s",
                "retry_on": ["connect-failure", "reset", "gateway-error"],
            },
        }
    ]
    mesh = start_mesh(
        processes,
        [("inventory-1", {}), ("inventory-2", {}), ("inventory-3", {})],
        service_extra={
            "outlier_detection": {
                "consecutive_failures": 3,
                "base_ejection_time": "30s",
                "max_ejection_percent": 50,
            }
        },
        routes=routes,
    )
    victim = mesh.instances[0]
    load = asyncio.create_task(
        drive(mesh.url, host="inventory", duration=6.0, concurrency=8), name="load"
    )
    await asyncio.sleep(2.0)
    assert victim.sidecar is not None and victim.app is not None
    victim.sidecar.stop(timeout=0)  # killed, not drained
    victim.app.stop(timeout=0)
    result = await load
    assert result.total > 500, result
    assert result.failed / result.total < 0.005, result
    metrics = mesh.client.metrics()
    assert "mesh_request_retries_total" in metrics
    # After the kill every request went to the survivors: the victim was ejected.
    after = await drive(mesh.url, host="inventory", requests=200, concurrency=4)
    assert after.failed == 0, after
    assert after.served_by["inventory-1"] == 0


async def test_app_errors_are_retried_on_another_endpoint(processes: ProcessPool) -> None:
    routes = [
        {
            "backends": [{"service": "inventory"}],
            "retry": {
                "attempts": 3,
                "retry_on": ["5xx"],
                "budget_ratio": 1.0,
                "budget_min_per_second": 1000,
            },
        }
    ]
    mesh = start_mesh(
        processes,
        [("inventory-1", {}), ("inventory-2", {})],
        routes=routes,
        service_extra={"outlier_detection": {"enabled": False}},
    )
    # /flaky/30: each try fails with 503 three times in ten. Without retries ~180 of 600 would
    # fail; with three retries 600 * 0.3**4 ≈ 5 are expected to.
    result = await drive(mesh.url, host="inventory", path="/flaky/30", requests=600, concurrency=6)
    assert result.failed <= 20, result
    metrics = mesh.client.metrics()
    retries = sum(
        float(line.rsplit(" ", 1)[1])
        for line in metrics.splitlines()
        if line.startswith("mesh_request_retries_total{")
    )
    assert retries >= 100, retries  # ~180 first tries failed and were retried
    assert "mesh_recovery_time_milliseconds_bucket" in metrics
