"""The client's retries and the fan-out: bounded backoff against an unreachable sidecar, and
one outcome per sidecar whatever each one answers."""

from __future__ import annotations

import json

import pytest

from meshgui.demo.ports import free_port
from proxy.admin.backoff import Backoff
from proxy.admin.client import AdminClient
from proxy.admin.errors import UnavailableError
from proxy.admin.fanout import apply_to_many
from tests.proxy.admin.conftest import TOKEN, LiveAdmin, mesh_document

pytestmark = pytest.mark.timeout(30)


async def test_an_unreachable_sidecar_is_retried_with_backoff_then_reported() -> None:
    slept: list[float] = []

    async def sleep(delay: float) -> None:
        slept.append(delay)

    def backoff() -> Backoff:
        return Backoff(initial=0.1, cap=0.4)

    client = AdminClient(
        f"127.0.0.1:{free_port()}", TOKEN, retry_for=1.0, backoff=backoff, sleep=sleep
    )
    try:
        with pytest.raises(UnavailableError):
            await client.get_info()
    finally:
        await client.close()
    # Retried while the next delay still fit in retry_for; the delays grew up to the cap.
    assert len(slept) >= 3
    assert all(0.05 <= delay <= 0.4 for delay in slept)
    assert slept[2] > slept[0]


async def test_apply_to_many_reports_each_sidecar(live: LiveAdmin) -> None:
    document = json.dumps(mesh_document(version=1))
    good = live.client_with(TOKEN)
    stale = live.client_with(TOKEN)  # the same sidecar again: it runs version 2 by then
    unreachable = AdminClient(f"127.0.0.1:{free_port()}", TOKEN, retry_for=0.0)
    bad_token = live.client_with("nope")
    try:
        outcomes = await apply_to_many([good, unreachable, bad_token], document, expected_version=1)
        assert [o.ok for o in outcomes] == [True, False, False]
        assert outcomes[0].version == 2
        assert [o.error_kind for o in outcomes[1:]] == ["unavailable", "unauthenticated"]
        assert outcomes[1].target == unreachable.target and outcomes[1].message
        (again,) = await apply_to_many([stale], document, expected_version={live.target: 1})
        assert (again.ok, again.error_kind, again.current_version) == (False, "stale_version", 2)
        (broken,) = await apply_to_many([good], "services: [", expected_version=None)
        assert broken.error_kind == "invalid_config" and broken.problems
    finally:
        for client in (good, stale, unreachable, bad_token):
            await client.close()
    assert live.sidecar.mesh.version == 2
