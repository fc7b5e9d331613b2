"""Async client of one sidecar's admin API: typed results, retries and reconnecting streams.

Unary calls that find the sidecar unreachable retry with capped exponential backoff and jitter
for up to `retry_for` seconds; streams reconnect by themselves for as long as the caller keeps
iterating, so a sidecar restart is a gap in the data, not an error. Stats are cumulative, so a
gap loses resolution only; events from the gap are lost, and a caller that cares re-reads the
config after a `reconnects` change. Every other failure raises an `AdminError`.

A stream that keeps failing (a sidecar that is not there: connection refused) would otherwise be
silent forever; `on_stream_retry` hears each failure, with the delay before the next try, so a
caller can say why there is no data while the client keeps trying.

Use one client per sidecar and per event loop (gRPC channels belong to the loop they were made
on); `apply_to_many` in `proxy.admin.fanout` fans an apply out over many.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator, Awaitable, Callable
from pathlib import Path
from types import TracebackType
from typing import Any

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from proxy.admin.backoff import Backoff
from proxy.admin.errors import AdminError, UnavailableError, error_from_rpc
from proxy.admin.from_proto import event_from_proto, info_from_proto, stats_from_proto
from proxy.admin.models import AdminEvent, ConfigState, Info, StatsSnapshot
from proxy.admin.trailers import OPERATOR_KEY
from proxy.admin.v1 import admin_pb2 as pb
from proxy.admin.v1 import admin_pb2_grpc

CHANNEL_OPTIONS: list[tuple[str, int]] = [
    ("grpc.max_metadata_size", 1 << 20),  # a refused config's problems ride in a trailer
    ("grpc.max_receive_message_length", 64 << 20),
    # gRPC's own reconnect backoff starts at 1 s and grows to 120 s; ours decides instead.
    ("grpc.initial_reconnect_backoff_ms", 100),
    ("grpc.min_reconnect_backoff_ms", 100),
    ("grpc.max_reconnect_backoff_ms", 2000),
    ("grpc.keepalive_time_ms", 10_000),
    ("grpc.keepalive_timeout_ms", 5_000),
    ("grpc.enable_retries", 0),
]
_STREAM_RECONNECT = frozenset(
    {
        grpc.StatusCode.UNAVAILABLE,
        grpc.StatusCode.CANCELLED,
        grpc.StatusCode.ABORTED,
        grpc.StatusCode.UNKNOWN,
        grpc.StatusCode.INTERNAL,
    }
)
StreamRetryHook = Callable[[str, AdminError, float], None]
"""Called with (stream method, error, seconds until the next try) when a stream failed with an
error it reconnects after. Runs on the client's loop: must be quick and must not raise."""


class AdminClient:
    """One sidecar's admin API at `target` ("host:port")."""

    def __init__(
        self,
        target: str,
        token: str | None,
        *,
        ca_file: str | Path | None = None,
        server_name: str | None = None,
        operator: str | None = None,
        call_timeout: float = 5.0,
        retry_for: float = 10.0,
        backoff: Callable[[], Backoff] = Backoff,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        on_stream_retry: StreamRetryHook | None = None,
    ) -> None:
        """`token` None sends no credentials (only health answers then). `ca_file` switches to
        TLS, verifying the sidecar against that CA; `server_name` overrides the name checked
        in its certificate. `operator` names who makes changes (ConfigApplied.by).
        `on_stream_retry` (also settable later) hears each stream failure it retries after."""
        self.target = target
        metadata: list[tuple[str, str]] = []
        if token is not None:
            metadata.append(("authorization", f"Bearer {token}"))
        if operator:
            metadata.append((OPERATOR_KEY, operator))
        self._metadata = tuple(metadata)
        self._ca = Path(ca_file).read_bytes() if ca_file is not None else None
        self._server_name = server_name
        self._call_timeout = call_timeout
        self._retry_for = retry_for
        self._backoff = backoff
        self._sleep = sleep
        self._channel: Any = None
        self._stub: Any = None
        self.reconnects = 0
        """Streams re-opened after a failure, over this client's life."""
        self.on_stream_retry = on_stream_retry

    def __repr__(self) -> str:
        return f"AdminClient({self.target!r})"  # never the token

    async def __aenter__(self) -> AdminClient:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def close(self) -> None:
        if self._channel is not None:
            channel, self._channel, self._stub = self._channel, None, None
            await channel.close()

    # -- calls -------------------------------------------------------------------------------
    async def get_info(self) -> Info:
        return info_from_proto(await self._unary("GetInfo", pb.GetInfoRequest()))

    async def get_config(self) -> ConfigState:
        reply = await self._unary("GetConfig", pb.GetConfigRequest())
        return ConfigState(version=reply.version, document=reply.document)

    async def apply_config(self, document: str, expected_version: int | None) -> int:
        """Replace the mesh config; returns the new version. `expected_version` None applies
        whatever runs now. Raises InvalidConfigError (with every problem) or
        VersionConflictError (with the current version), among others."""
        request = pb.ApplyConfigRequest(document=document)
        if expected_version is not None:
            request.expected_version = expected_version
        reply = await self._unary("ApplyConfig", request)
        return int(reply.version)

    async def set_drain(self, target: str, drained: bool) -> int:
        """Drain (or undrain) an endpoint, a service or "self"; returns the config version."""
        request = pb.SetDrainRequest(target=target, drained=drained)
        return int((await self._unary("SetDrain", request)).config_version)

    async def health(self, service: str = "") -> str:
        """grpc.health.v1 status name ("SERVING", ...); needs no token."""
        stub = health_pb2_grpc.HealthStub(self._open())
        request = health_pb2.HealthCheckRequest(service=service)
        try:
            reply = await stub.Check(request, timeout=self._call_timeout)
        except grpc.aio.AioRpcError as exc:
            raise error_from_rpc(self.target, exc) from None
        return str(health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status))

    def watch_stats(self, interval: float = 1.0) -> AsyncGenerator[StatsSnapshot, None]:
        """Snapshots, the first at once; reconnects until the caller stops iterating."""
        request = pb.WatchStatsRequest(interval_ms=round(interval * 1000))
        return self._stream("WatchStats", request, stats_from_proto)

    async def watch_events(self) -> AsyncGenerator[AdminEvent, None]:
        """Events from now on; reconnects until the caller stops iterating."""
        async for event in self._stream("WatchEvents", pb.WatchEventsRequest(), event_from_proto):
            if event is not None:
                yield event

    # -- plumbing ----------------------------------------------------------------------------
    def _open(self) -> Any:
        if self._channel is None:
            if self._ca is None:
                self._channel = grpc.aio.insecure_channel(self.target, options=CHANNEL_OPTIONS)
            else:
                options: list[tuple[str, Any]] = list(CHANNEL_OPTIONS)
                if self._server_name:
                    options.append(("grpc.ssl_target_name_override", self._server_name))
                credentials = grpc.ssl_channel_credentials(root_certificates=self._ca)
                self._channel = grpc.aio.secure_channel(self.target, credentials, options=options)
            self._stub = admin_pb2_grpc.ProxyAdminStub(self._channel)
        return self._channel

    def _method(self, name: str) -> Any:
        self._open()
        return getattr(self._stub, name)

    async def _unary(self, name: str, request: Any) -> Any:
        backoff = self._backoff()
        deadline = time.monotonic() + self._retry_for
        while True:
            try:
                return await self._method(name)(
                    request, metadata=self._metadata, timeout=self._call_timeout
                )
            except grpc.aio.AioRpcError as exc:
                error = error_from_rpc(self.target, exc)
            delay = backoff.next_delay()
            if not isinstance(error, UnavailableError) or time.monotonic() + delay > deadline:
                raise error
            await self._sleep(delay)

    async def _stream(
        self, name: str, request: Any, convert: Callable[[Any], Any]
    ) -> AsyncGenerator[Any, None]:
        backoff = self._backoff()
        first = True
        while True:
            if not first:
                self.reconnects += 1
            first = False
            call = self._method(name)(request, metadata=self._metadata)
            error: AdminError | None = None  # None: the sidecar ended the stream (stopping)
            try:
                async for message in call:
                    backoff.reset()
                    yield convert(message)
            except grpc.aio.AioRpcError as exc:
                error = error_from_rpc(self.target, exc)
                if exc.code() not in _STREAM_RECONNECT:
                    raise error from None
            finally:
                call.cancel()
            delay = backoff.next_delay()
            if error is not None and self.on_stream_retry is not None:
                self.on_stream_retry(name, error, delay)
            await self._sleep(delay)


__all__ = ["AdminClient", "AdminError", "StreamRetryHook"]
