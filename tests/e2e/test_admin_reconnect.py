"""A client whose sidecar restarts carries on by itself: its stats stream resumes and its next
call goes through, with no help from the caller."""

from __future__ import annotations

import asyncio

import pytest

from tests.harness.admin import admin_client, admin_settings
from tests.harness.processes import ProcessPool, SidecarPorts

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(60)]


async def test_a_client_reconnects_after_its_sidecar_restarts(processes: ProcessPool) -> None:
    settings = {"service": "web", "instance": "web-1", "app": None}
    settings |= admin_settings(processes.workdir, state_dir=str(processes.workdir / "state"))
    sidecar = processes.start_sidecar(settings, {"version": 1}, SidecarPorts.allocate())
    async with admin_client(sidecar) as client:
        first_start = (await client.get_info()).started_at
        stream = client.watch_stats(interval=0.2)
        before = await asyncio.wait_for(anext(stream), 10)
        restarted = await asyncio.to_thread(processes.restart_sidecar, sidecar)
        assert restarted.alive()
        after = before
        while after.taken_at <= before.taken_at + 0.5 or client.reconnects == 0:
            after = await asyncio.wait_for(anext(stream), 15)
        await stream.aclose()
        info = await client.get_info()
    assert client.reconnects >= 1
    assert info.started_at > first_start
    assert after.config_version == 1
