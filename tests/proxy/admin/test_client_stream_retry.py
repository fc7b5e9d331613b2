"""A stream that keeps failing is retried for ever, and every failed try is heard by
`on_stream_retry` (with the error and the delay before the next), so nobody waits in silence."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import grpc
import pytest

from meshgui.demo.ports import free_port
from proxy.admin.backoff import Backoff
from proxy.admin.client import AdminClient
from proxy.admin.errors import AdminError, UnauthenticatedError, UnavailableError

pytestmark = pytest.mark.timeout(30)
REFUSED = "failed to connect to all addresses; last error: ... Connection refused"


def rpc_error(code: grpc.StatusCode, details: str) -> grpc.aio.AioRpcError:
    return grpc.aio.AioRpcError(code, grpc.aio.Metadata(), grpc.aio.Metadata(), details)


class ScriptedCall:
    """A streaming call that yields `messages`, then raises `error` (or ends when None)."""

    def __init__(self, messages: list[Any], error: grpc.aio.AioRpcError | None) -> None:
        self._messages, self._error = messages, error

    async def __aiter__(self) -> AsyncIterator[Any]:
        for message in self._messages:
            yield message
        if self._error is not None:
            raise self._error

    def cancel(self) -> None:
        pass


class RecordingClient(AdminClient):
    """An AdminClient whose stream calls follow a script instead of the network."""

    def __init__(self, calls: list[ScriptedCall], **kwargs: Any) -> None:
        self.slept: list[float] = []
        self.heard: list[tuple[str, AdminError, float]] = []

        async def sleep(delay: float) -> None:
            self.slept.append(delay)

        super().__init__(
            "10.0.0.1:15000",
            "token",
            sleep=sleep,
            backoff=lambda: Backoff(initial=1.0, cap=4.0),
            on_stream_retry=lambda *args: self.heard.append(args),
            **kwargs,
        )
        self._calls = iter(calls)

    def _method(self, name: str) -> Any:
        return lambda *_args, **_kwargs: next(self._calls)


async def take(stream: AsyncIterator[Any], count: int) -> list[Any]:
    return [await anext(stream) for _ in range(count)]


async def test_each_failed_try_is_heard_with_the_delay_before_the_next() -> None:
    unavailable = rpc_error(grpc.StatusCode.UNAVAILABLE, REFUSED)
    client = RecordingClient(
        [ScriptedCall([], unavailable) for _ in range(3)] + [ScriptedCall(["snap"], None)]
    )
    stream = client._stream("WatchStats", None, lambda message: message)
    assert await take(stream, 1) == ["snap"]  # the stream went on trying until it got data
    assert [name for name, _, _ in client.heard] == ["WatchStats"] * 3
    assert all(isinstance(error, UnavailableError) for _, error, _ in client.heard)
    assert "Connection refused" in client.heard[0][1].message
    assert [delay for _, _, delay in client.heard] == client.slept  # what it then waited
    assert client.slept[2] > client.slept[0] and max(client.slept) <= 4.0  # capped backoff
    await stream.aclose()


async def test_a_stream_the_sidecar_ended_reconnects_without_an_error() -> None:
    client = RecordingClient([ScriptedCall(["a"], None), ScriptedCall(["b"], None)])
    stream = client._stream("WatchStats", None, lambda message: message)
    assert await take(stream, 2) == ["a", "b"]
    assert client.heard == [] and len(client.slept) == 1
    await stream.aclose()


async def test_an_error_it_does_not_retry_is_raised_not_heard() -> None:
    denied = rpc_error(grpc.StatusCode.UNAUTHENTICATED, "missing or invalid bearer token")
    client = RecordingClient([ScriptedCall([], denied)])
    with pytest.raises(UnauthenticatedError):
        await take(client._stream("WatchStats", None, lambda message: message), 1)
    assert client.heard == []


async def test_a_refused_port_is_heard_while_the_stream_keeps_trying() -> None:
    heard: list[tuple[str, AdminError, float]] = []
    tries = asyncio.Event()

    def on_retry(stream: str, error: AdminError, delay: float) -> None:
        heard.append((stream, error, delay))
        if len(heard) >= 3:
            tries.set()

    client = AdminClient(f"127.0.0.1:{free_port()}", "token", on_stream_retry=on_retry)
    reader = asyncio.create_task(anext(client.watch_stats()), name="stats-of-nobody")
    try:
        await asyncio.wait_for(tries.wait(), 10)
        assert not reader.done()  # still trying: a gap, not the end
    finally:
        reader.cancel()
        await asyncio.gather(reader, return_exceptions=True)
        await client.close()
    stream, error, delay = heard[0]
    assert stream == "WatchStats" and isinstance(error, UnavailableError)
    assert "connection refused" in error.message.lower()
    assert 0 < delay <= 5.0
