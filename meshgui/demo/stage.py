"""The `scenarios.Stage` of a run: faults go to the apps' control endpoints, kills and restarts
to the supervisor."""

from __future__ import annotations

from collections.abc import Callable

import aiohttp

from meshgui.demo.plan import DemoPlan
from meshgui.demo.supervisor import Supervisor


class FaultRefusedError(RuntimeError):
    pass


class DemoStage:
    def __init__(
        self,
        plan: DemoPlan,
        supervisor: Supervisor,
        session: aiohttp.ClientSession,
        on_restart: Callable[[], None],
    ) -> None:
        self._plan = plan
        self._supervisor = supervisor
        self._session = session
        self._on_restart = on_restart

    async def set_faults(self, instance: str, changes: dict[str, float]) -> None:
        url = self._plan.instance(instance).control_url
        if url is None:
            raise FaultRefusedError(f"{instance} takes no faults")
        async with self._session.put(f"{url}/faults", json=changes) as resp:
            if resp.status != 200:
                raise FaultRefusedError(f"{instance} refused {changes}: {await resp.text()}")

    def kill_app(self, instance: str) -> None:
        self._supervisor.kill(instance, "app")

    def restart_apps(self) -> list[str]:
        down = [
            child.instance
            for child in self._supervisor.children
            if child.role == "app" and child.expected_down and not child.alive()
        ]
        for instance in down:
            self._supervisor.restart(instance, "app")
        if down:
            self._on_restart()
        return down

    def instances_with_faults(self) -> list[str]:
        return [
            member.name
            for member in self._plan.instances
            if member.control_url is not None and self._supervisor.find(member.name, "app").alive()
        ]
