"""Injected faults and the apps' control endpoint."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient, TestServer

from meshgui.demo.faults import Faults, FaultsError, control_app


def test_faults_change_only_within_range() -> None:
    faults = Faults()
    faults.update({"error_rate": 0.3})
    assert faults.as_dict() == {"error_rate": 0.3, "latency_factor": 1.0}
    for bad in ({"error_rate": 1.5}, {"latency_factor": 0}, {"error_rate": True}, {"x": 1}):
        with pytest.raises(FaultsError):
            faults.update(bad)
    with pytest.raises(FaultsError):  # all or nothing: the good half is not applied either
        faults.update({"latency_factor": 5, "error_rate": -1})
    assert faults.as_dict() == {"error_rate": 0.3, "latency_factor": 1.0}


async def test_control_endpoint_shows_and_sets_faults() -> None:
    faults = Faults()
    async with TestClient(TestServer(control_app(faults, "inventory-1"))) as client:
        resp = await client.put("/faults", json={"latency_factor": 10})
        assert resp.status == 200
        assert (await resp.json())["latency_factor"] == 10
        assert faults.latency_factor == 10
        resp = await client.put("/faults", json={"error_rate": 2})
        assert resp.status == 400 and "error_rate" in (await resp.json())["error"]
        resp = await client.put("/faults", data=b"[1]")
        assert resp.status == 400
        shown = await (await client.get("/faults")).json()
        assert shown == {"instance": "inventory-1", "error_rate": 0.0, "latency_factor": 10.0}
        assert (await client.get("/health")).status == 200
