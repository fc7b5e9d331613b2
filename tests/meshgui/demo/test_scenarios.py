"""Scenarios as stage directions, played on a fake stage."""

from __future__ import annotations

import pytest

from meshgui.demo.scenarios import SCENARIOS, UnknownScenarioError, play


class FakeStage:
    def __init__(self) -> None:
        self.faults: dict[str, dict[str, float]] = {}
        self.killed: list[str] = []
        self.restarted: list[str] = []

    async def set_faults(self, instance: str, changes: dict[str, float]) -> None:
        self.faults.setdefault(instance, {}).update(changes)

    def kill_app(self, instance: str) -> None:
        self.killed.append(instance)

    def restart_apps(self) -> list[str]:
        self.restarted, self.killed = self.killed, []
        return self.restarted

    def instances_with_faults(self) -> list[str]:
        return sorted(self.faults)


async def test_flaky_inventory_makes_v1_fail_thirty_percent() -> None:
    stage = FakeStage()
    said = await play("flaky-inventory", stage)
    assert stage.faults == {"inventory-1": {"error_rate": 0.3}}
    assert "30%" in said and "inventory-1" in said


async def test_latency_spike_slows_recommendations() -> None:
    stage = FakeStage()
    await play("latency-spike", stage)
    assert stage.faults == {"recommendations-1": {"latency_factor": 10.0}}


async def test_outage_kills_an_inventory_instance_and_reset_brings_it_back() -> None:
    stage = FakeStage()
    await play("flaky-inventory", stage)
    await play("outage", stage)
    assert stage.killed == ["inventory-2"]
    said = await play("reset", stage)
    assert stage.restarted == ["inventory-2"]
    assert stage.faults["inventory-1"] == {"error_rate": 0.0, "latency_factor": 1.0}
    assert "restarted inventory-2" in said


async def test_an_unknown_scenario_names_the_known_ones() -> None:
    with pytest.raises(UnknownScenarioError, match="flaky-inventory"):
        await play("meteor", FakeStage())
    assert set(SCENARIOS) == {"flaky-inventory", "latency-spike", "outage", "reset"}
