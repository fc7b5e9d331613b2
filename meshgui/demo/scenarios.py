"""What can go wrong in the demo shop, on cue: each scenario is a few stage directions (set an
instance's faults, kill or restart an app) given to whoever runs the processes."""

from __future__ import annotations

from typing import Protocol

SCENARIOS: dict[str, str] = {
    "flaky-inventory": "inventory v1 (inventory-1) answers 30% of its requests with 503",
    "latency-spike": "recommendations becomes ten times slower",
    "outage": "the inventory v2 app (inventory-2) is killed; its sidecar stays and reports it",
    "reset": "every fault is cleared and killed apps are started again",
}
"""Scenario names and what each does, as `--help` and `GET /scenarios` show them."""

FLAKY_INSTANCE = "inventory-1"
FLAKY_ERROR_RATE = 0.3
SLOW_INSTANCE = "recommendations-1"
SLOW_FACTOR = 10.0
OUTAGE_INSTANCE = "inventory-2"


class UnknownScenarioError(ValueError):
    def __init__(self, name: str) -> None:
        super().__init__(f"no scenario {name!r} (known: {', '.join(SCENARIOS)})")


class Stage(Protocol):
    """What a scenario may do to the running demo."""

    async def set_faults(self, instance: str, changes: dict[str, float]) -> None: ...

    def kill_app(self, instance: str) -> None: ...

    def restart_apps(self) -> list[str]:
        """Start every app killed by a scenario again; the instances restarted."""
        ...

    def instances_with_faults(self) -> list[str]: ...


async def play(name: str, stage: Stage) -> str:
    """Carry out scenario `name`; a sentence saying what happened. Raises UnknownScenarioError."""
    if name == "flaky-inventory":
        await stage.set_faults(FLAKY_INSTANCE, {"error_rate": FLAKY_ERROR_RATE})
        percent = round(FLAKY_ERROR_RATE * 100)
        return f"{FLAKY_INSTANCE} (inventory v1) now fails {percent}% of requests with 503"
    if name == "latency-spike":
        await stage.set_faults(SLOW_INSTANCE, {"latency_factor": SLOW_FACTOR})
        return f"{SLOW_INSTANCE} is now {SLOW_FACTOR:g}x slower"
    if name == "outage":
        stage.kill_app(OUTAGE_INSTANCE)
        return f"the app of {OUTAGE_INSTANCE} (inventory v2) was killed; its sidecar stays"
    if name == "reset":
        for instance in stage.instances_with_faults():
            await stage.set_faults(instance, {"error_rate": 0.0, "latency_factor": 1.0})
        restarted = stage.restart_apps()
        again = f"; restarted {', '.join(restarted)}" if restarted else ""
        return f"faults cleared{again}"
    raise UnknownScenarioError(name)
