"""`ProxyAdmin`, the admin API's gRPC service, over the sidecar's admin seams.

It runs on the data plane's own event loop (see `proxy.admin.server`), so every handler may
touch the sidecar directly: state is single-threaded and no call needs marshalling.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any, NoReturn

import grpc

from proxy import __version__
from proxy.admin.streams import EventFanout, SnapshotSource, next_tick
from proxy.admin.trailers import (
    OPERATOR_KEY,
    PROBLEMS_KEY,
    VERSION_KEY,
    describe_problems,
    encode_problems,
    metadata_value,
)
from proxy.admin.v1 import admin_pb2 as pb
from proxy.config import ConfigError, ConfigProblem, MeshConfig, dump_mesh_yaml, parse_mesh_document
from proxy.sidecar import Sidecar, StaleVersionError

log = logging.getLogger("mesh-proxy.admin")

Context = Any  # grpc.aio.ServicerContext; grpc ships no type hints
DEFAULT_INTERVAL_MS = 1000
MIN_INTERVAL_MS = 100
MAX_INTERVAL_MS = 3_600_000
MAX_WATCH_STREAMS = 256
"""More concurrent WatchStats streams than this get RESOURCE_EXHAUSTED: each costs a little CPU
per tick, and a runaway client must not turn the sidecar's admin side into its main work."""
APPLY_SOURCE = "ApplyConfig"


def operator_of(context: Context) -> str:
    """Who asked, from `x-mesh-operator` metadata: printable, at most 80 characters."""
    raw = metadata_value(context.invocation_metadata(), OPERATOR_KEY)
    name = raw if isinstance(raw, str) else ""
    name = "".join(ch for ch in name if ch.isprintable()).strip()[:80]
    return name or "admin api"


def settings_problems(mesh: MeshConfig, sidecar: Sidecar) -> list[ConfigProblem]:
    """What the schema cannot know: the running sidecar's TCP listeners need their services."""
    problems = []
    for name in sidecar.settings.tcp_outbound:
        service = mesh.services.get(name)
        if service is None:
            reason = f"this sidecar has a tcp_outbound listener for {name}; it must stay defined"
            problems.append(ConfigProblem(f"services.{name}", reason))
        elif service.protocol != "tcp":
            reason = f"this sidecar's tcp_outbound listener needs {name} to stay a tcp service"
            problems.append(ConfigProblem(f"services.{name}.protocol", reason))
    return problems


def _state(sidecar: Sidecar) -> pb.SidecarState:
    if sidecar.state == "starting":
        return pb.SIDECAR_STATE_STARTING
    if sidecar.state == "ready" and not sidecar.draining:
        return pb.SIDECAR_STATE_READY
    return pb.SIDECAR_STATE_DRAINING


class ProxyAdminService:
    """The handlers; registered with `add_ProxyAdminServicer_to_server`, which looks them up
    by name."""

    def __init__(self, sidecar: Sidecar, snapshots: SnapshotSource, events: EventFanout) -> None:
        self._sidecar = sidecar
        self._snapshots = snapshots
        self._events = events
        self.watch_streams = 0

    async def GetInfo(  # noqa: N802 (gRPC's method name)
        self, request: pb.GetInfoRequest, context: Context
    ) -> pb.Info:
        sidecar = self._sidecar
        settings = sidecar.settings
        return pb.Info(
            service=settings.service,
            namespace=settings.namespace,
            instance=settings.instance,
            labels=settings.labels,
            sidecar_version=__version__,
            listeners=[
                pb.Listener(name=name, address=f"{host}:{port}")
                for name, (host, port) in sidecar.listeners.items()
            ],
            config_version=sidecar.mesh.version,
            started_at=sidecar.started_at,
            state=_state(sidecar),
        )

    async def GetConfig(  # noqa: N802 (gRPC's method name)
        self, request: pb.GetConfigRequest, context: Context
    ) -> pb.ConfigState:
        mesh = self._sidecar.mesh
        return pb.ConfigState(version=mesh.version, document=dump_mesh_yaml(mesh))

    async def ApplyConfig(  # noqa: N802 (gRPC's method name)
        self, request: pb.ApplyConfigRequest, context: Context
    ) -> pb.ApplyConfigResponse:
        sidecar = self._sidecar
        try:
            mesh = parse_mesh_document(request.document, source=APPLY_SOURCE)
            problems = settings_problems(mesh, sidecar)
            if problems:
                raise ConfigError(APPLY_SOURCE, problems)
        except ConfigError as exc:
            await _abort_invalid(context, exc.problems)
        expected = request.expected_version if request.HasField("expected_version") else None
        current = sidecar.mesh.version
        mesh = mesh.with_version(max(mesh.version, current + 1))
        failure = ""
        try:
            sidecar.apply_mesh(mesh, expected_version=expected, by=operator_of(context))
        except StaleVersionError as exc:
            trailer = ((VERSION_KEY, str(exc.current)),)
            await context.abort(grpc.StatusCode.FAILED_PRECONDITION, str(exc), trailer)
        except Exception as exc:  # the running table stays; the sidecar must not go down
            log.exception("ApplyConfig: could not apply version %d", mesh.version)
            failure = f"could not apply the config, the running one stays: {exc}"
        if failure:
            await context.abort(grpc.StatusCode.INTERNAL, failure)
        return pb.ApplyConfigResponse(version=sidecar.mesh.version)

    async def SetDrain(  # noqa: N802 (gRPC's method name)
        self, request: pb.SetDrainRequest, context: Context
    ) -> pb.SetDrainResponse:
        target = request.target.strip()
        if not target:
            await context.abort(
                grpc.StatusCode.INVALID_ARGUMENT, "target: name an endpoint, a service or 'self'"
            )
        missing = ""
        try:
            self._sidecar.set_drain(target, request.drained, by=f"drain by {operator_of(context)}")
        except KeyError:
            missing = f"no endpoint or service named {target!r} (or use 'self')"
        if missing:
            await context.abort(grpc.StatusCode.NOT_FOUND, missing)
        return pb.SetDrainResponse(config_version=self._sidecar.mesh.version)

    async def WatchStats(  # noqa: N802 (gRPC's method name)
        self, request: pb.WatchStatsRequest, context: Context
    ) -> None:
        interval_ms = request.interval_ms or DEFAULT_INTERVAL_MS
        if not MIN_INTERVAL_MS <= interval_ms <= MAX_INTERVAL_MS:
            low, high = MIN_INTERVAL_MS, MAX_INTERVAL_MS
            reason = f"interval_ms: 0 (for {DEFAULT_INTERVAL_MS}) or {low}..{high}"
            await context.abort(grpc.StatusCode.INVALID_ARGUMENT, reason)
        if self.watch_streams >= MAX_WATCH_STREAMS:
            reason = f"at most {MAX_WATCH_STREAMS} WatchStats streams at once"
            await context.abort(grpc.StatusCode.RESOURCE_EXHAUSTED, reason)
        interval = interval_ms / 1000.0
        loop = asyncio.get_running_loop()
        self.watch_streams += 1
        try:
            while True:
                # The write waits on flow control, so a slow reader holds one message, not many.
                await context.write(self._snapshots.latest())
                await asyncio.sleep(max(0.0, next_tick(loop.time(), interval) - loop.time()))
        finally:
            self.watch_streams -= 1

    async def WatchEvents(  # noqa: N802 (gRPC's method name)
        self, request: pb.WatchEventsRequest, context: Context
    ) -> None:
        feed = self._events.open()
        try:
            while True:
                await context.write(await feed.next())
        finally:
            self._events.close(feed)


async def _abort_invalid(context: Context, problems: Sequence[ConfigProblem]) -> NoReturn:
    trailer = ((PROBLEMS_KEY, encode_problems(problems)),)
    message = describe_problems(APPLY_SOURCE, problems)
    await context.abort(grpc.StatusCode.INVALID_ARGUMENT, message, trailer)
    raise AssertionError("context.abort returned")  # it raises; this keeps mypy's flow honest
