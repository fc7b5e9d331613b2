"""Admin API access on a real sidecar: the token or nothing; health for anyone; and no admin
API at all when the sidecar has no token configured."""

from __future__ import annotations

import asyncio
import socket

import pytest

from proxy.admin.errors import UnauthenticatedError
from tests.harness.admin import ADMIN_TOKEN, admin_client, admin_settings
from tests.harness.processes import ProcessPool, RunningSidecar, SidecarPorts

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(60)]
MESH = {"version": 3, "services": {}}


def start_lone_sidecar(processes: ProcessPool, **settings: object) -> RunningSidecar:
    sidecar = {"service": "web", "instance": "web-1", "app": None, **settings}
    return processes.start_sidecar(sidecar, MESH, SidecarPorts.allocate())


@pytest.mark.parametrize("token", [None, "wrong-token", ADMIN_TOKEN[:-1]])
async def test_a_missing_or_wrong_token_gets_unauthenticated_and_nothing_else(
    processes: ProcessPool, token: str | None
) -> None:
    sidecar = start_lone_sidecar(processes, **admin_settings(processes.workdir))
    async with admin_client(sidecar, token, retry_for=0.0) as client:
        for call in (
            client.get_info(),
            client.get_config(),
            client.apply_config("version: 9", expected_version=None),
            client.set_drain("self", True),
            anext(client.watch_stats()),
            anext(client.watch_events()),
        ):
            with pytest.raises(UnauthenticatedError):
                await asyncio.wait_for(call, 10)
        assert await client.health() == "SERVING"
    async with admin_client(sidecar) as client:
        info = await client.get_info()
    assert info.config_version == 3 and info.state == "ready"
    assert "wrong-token" not in sidecar.log() and ADMIN_TOKEN not in sidecar.log()


async def test_without_a_token_there_is_no_admin_api(processes: ProcessPool) -> None:
    sidecar = start_lone_sidecar(processes)
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", sidecar.ports.admin), timeout=2).close()
    assert "admin gRPC API NOT started: no token configured" in sidecar.log()
    assert sidecar.alive()
