"""A sidecar that is not there is named, with why and when it is tried again, on every try of
its stats stream (the client keeps retrying by itself); a real refused port shows it end to end."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Callable

import pytest

from meshgui.client.sidecar_watch import RETRY_AFTER_ERROR_S, SidecarWatch, admin_client_for
from meshgui.client.targets import SidecarTarget
from meshgui.demo.ports import free_ports
from proxy.admin.errors import AdminError, UnauthenticatedError, UnavailableError
from tests.meshgui.client.test_sidecar_watch import RecordingSink

pytestmark = pytest.mark.timeout(30)
REFUSED = "failed to connect to all addresses; last error: UNKNOWN: ... Connection refused"
TARGET = SidecarTarget("inventory-2", "127.0.0.1:9", "t0ken")


class RefusedClient:
    """Both streams fail to connect twice (telling its retry hook), then wait for ever."""

    def __init__(self) -> None:
        self.on_stream_retry: Callable[[str, AdminError, float], None] | None = None

    async def _refused(self, stream: str) -> AsyncGenerator[str, None]:
        assert self.on_stream_retry is not None, "the watch sets the hook before streaming"
        for delay in (0.1, 3.7):
            self.on_stream_retry(stream, UnavailableError(TARGET.address, REFUSED), delay)
        await asyncio.Event().wait()
        yield "never"

    def watch_stats(self, interval: float) -> AsyncGenerator[str, None]:
        return self._refused("WatchStats")

    def watch_events(self) -> AsyncGenerator[str, None]:
        return self._refused("WatchEvents")

    async def close(self) -> None:
        pass


async def run_until(watch: SidecarWatch, done: Callable[[], bool], seconds: float) -> None:
    task = asyncio.create_task(watch.run(), name="watch-under-test")
    try:
        async with asyncio.timeout(seconds):
            while not done():
                await asyncio.sleep(0.01)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


def failures(sink: RecordingSink) -> list[str]:
    return [payload for kind, _, payload in sink.calls if kind == "failed"]


async def test_each_failed_try_of_the_stats_stream_is_named_with_the_next_try() -> None:
    sink = RecordingSink()
    watch = SidecarWatch(TARGET, sink, client_factory=lambda _t: RefusedClient())
    await run_until(watch, lambda: len(failures(sink)) >= 2, 5)
    # The events stream fails alike: said once per try, not twice.
    assert failures(sink) == [
        "127.0.0.1:9: connection refused; retrying in 0.1 s",
        "127.0.0.1:9: connection refused; retrying in 4 s",
    ]
    assert {sidecar for _, sidecar, _ in sink.calls} == {"inventory-2"}


async def test_a_refused_token_says_when_it_is_tried_again() -> None:
    class Denied(RefusedClient):
        async def _refused(self, stream: str) -> AsyncGenerator[str, None]:
            if stream == "WatchEvents":
                await asyncio.Event().wait()
            raise UnauthenticatedError(TARGET.address, "missing or invalid bearer token")
            yield "never"

    sink = RecordingSink()
    watch = SidecarWatch(TARGET, sink, client_factory=lambda _t: Denied())
    await run_until(watch, lambda: bool(failures(sink)), 5)
    retry = f"{RETRY_AFTER_ERROR_S:.0f} s"
    assert failures(sink) == [f"127.0.0.1:9: missing or invalid bearer token; retrying in {retry}"]


async def test_a_refused_port_reaches_the_sink_readably_and_is_retried() -> None:
    (port,) = free_ports(1)  # nothing listens there
    target = SidecarTarget("inventory-2", f"127.0.0.1:{port}", "t0ken")
    sink = RecordingSink()
    watch = SidecarWatch(target, sink, client_factory=admin_client_for)
    await run_until(watch, lambda: len(failures(sink)) >= 2, 10)
    first, second = failures(sink)[:2]
    assert first.startswith(f"127.0.0.1:{port}: connection refused; retrying in ")
    assert second.startswith(f"127.0.0.1:{port}: connection refused; retrying in ")
    assert "t0ken" not in first
