"""One sidecar: its listeners, its routing table and the operations the admin API will call.

Seams for the admin API: `snapshot()` (stats), `apply_mesh()` (versioned config change),
`set_drain()` (endpoint, service or self), `events` (subscribers get `MeshEvent`s).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from pathlib import Path

from proxy import __version__, build_kind
from proxy.config import (
    Backend,
    EndpointConfig,
    MeshConfig,
    OutlierDetection,
    RouteConfig,
    ServiceConfig,
    SidecarFile,
    load_sidecar_file,
    split_address,
)
from proxy.events import ConfigApplied, DrainChanged, EndpointEjected, EndpointReadmitted, MeshEvent
from proxy.http.downstream import DownstreamConnection
from proxy.http.routers import InboundRouter, OutboundRouter
from proxy.http.runtime import ProxyRuntime
from proxy.policy.endpoint import EndpointState
from proxy.routing import CompiledRoute, Destination, EndpointRegistry, RoutingTable
from proxy.state import load_saved_mesh, save_mesh
from proxy.telemetry import StatsRegistry, StatsSnapshot, Workload

log = logging.getLogger("mesh-proxy")
HOUSEKEEPING_S = 1.0


class StaleVersionError(Exception):
    def __init__(self, expected: int, current: int) -> None:
        super().__init__(
            f"expected mesh config version {expected}, but the current one is {current}"
        )
        self.expected = expected
        self.current = current


class Sidecar:
    def __init__(self, config: SidecarFile, *, config_path: Path | None = None) -> None:
        self.settings = config.sidecar
        self.config_path = config_path
        s = self.settings
        self.local = Workload(s.service, s.namespace, s.labels.get("version"), s.instance)
        self.stats = StatsRegistry(self.local, version=__version__)
        self.started_at = time.time()
        self.state = "starting"
        self.draining = False
        self.listeners: dict[str, tuple[str, int]] = {}
        self.subscribers: list[Callable[[MeshEvent], None]] = []
        self._mesh = self._initial_mesh(config.mesh)
        self._servers: dict[str, asyncio.Server] = {}
        self._connections: set[DownstreamConnection] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._housekeeping: asyncio.Task[None] | None = None
        self.rt: ProxyRuntime | None = None
        self.table: RoutingTable | None = None

    def _initial_mesh(self, from_file: MeshConfig) -> MeshConfig:
        if self.settings.state_dir is None:
            return from_file
        saved = load_saved_mesh(self.settings.state_dir)
        if saved is not None and saved.version >= from_file.version:
            log.info(
                "restored mesh config version %d from %s", saved.version, self.settings.state_dir
            )
            return saved
        return from_file

    @property
    def mesh(self) -> MeshConfig:
        return self._mesh

    # -- start and stop ----------------------------------------------------------------------
    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        limits = self.settings.limits
        self.rt = rt = ProxyRuntime(
            loop,
            connect_timeout=limits.connect_timeout,
            retry_buffer_bytes=limits.retry_buffer_bytes,
            max_header_bytes=limits.max_header_bytes,
            header_timeout=limits.header_timeout,
            idle_timeout=limits.idle_timeout,
            on_ejected=self._on_ejected,
        )
        self._endpoints = EndpointRegistry(loop.time)
        self.table = self._build_table(self._mesh)
        rt.timers.start()
        await self._start_listeners(loop, rt)
        self._housekeeping = loop.create_task(self._housekeep(), name="sidecar housekeeping")
        self.state = "ready"
        log.info(
            "%s/%s ready (%s build): %s",
            self.local.service,
            self.local.instance,
            build_kind(),
            self.listeners,
        )

    async def _start_listeners(self, loop: asyncio.AbstractEventLoop, rt: ProxyRuntime) -> None:
        from proxy.admin_http import AdminHttpProtocol
        from proxy.tcp.listeners import InboundTcpConnection, OutboundTcpConnection

        s = self.settings
        outbound = OutboundRouter(rt, self._current_table, self.stats, self.local)
        await self._listen(
            "outbound", s.outbound, lambda: DownstreamConnection(rt, outbound, self._connections)
        )
        if s.app is not None:
            app = split_address(s.app)
            own = self._mesh.services.get(s.service)
            if own is not None and own.protocol == "tcp":
                await self._listen(
                    "inbound",
                    s.inbound,
                    lambda: InboundTcpConnection(
                        loop, app, self.stats, self.local, s.limits.connect_timeout, self._tasks
                    ),
                )
            else:
                app_route = self._app_route(s.app, loop)
                inbound = InboundRouter(rt, self.stats, self.local, lambda: app_route)
                await self._listen(
                    "inbound",
                    s.inbound,
                    lambda: DownstreamConnection(rt, inbound, self._connections),
                )
        for service, address in s.tcp_outbound.items():

            def tcp_factory(svc: str = service) -> asyncio.Protocol:
                return OutboundTcpConnection(
                    loop,
                    svc,
                    self._current_table,
                    self.stats,
                    self.local,
                    s.limits.connect_timeout,
                    self._tasks,
                )

            await self._listen(f"tcp:{service}", address, tcp_factory)
        await self._listen(
            "metrics",
            s.metrics,
            lambda: AdminHttpProtocol(self.stats.render_prometheus, self.readiness),
        )

    async def _listen(
        self, name: str, address: str, factory: Callable[[], asyncio.Protocol]
    ) -> None:
        host, port = split_address(address)
        loop = asyncio.get_running_loop()
        server = await loop.create_server(factory, host, port, reuse_address=True, backlog=1024)
        self._servers[name] = server
        bound = server.sockets[0].getsockname()
        self.listeners[name] = (str(bound[0]), int(bound[1]))

    def _app_route(self, app: str, loop: asyncio.AbstractEventLoop) -> CompiledRoute:
        assert self.rt is not None
        name = self.settings.service
        service = ServiceConfig(
            endpoints=(EndpointConfig(name=self.settings.instance, address=app),),
            outlier_detection=OutlierDetection(enabled=False),
        )
        registry = EndpointRegistry(loop.time)
        dest = Destination(
            name,
            service,
            registry.sync(service),
            namespace=self.local.namespace,
            local=self.local,
            stats=self.stats,
            rng=self.rt.random_gen,
        )
        route = RouteConfig(backends=(Backend(service=name),), timeout=None)
        return CompiledRoute(route, {name: dest}, loop.time)

    def _current_table(self) -> RoutingTable:
        assert self.table is not None
        return self.table

    def _build_table(self, mesh: MeshConfig) -> RoutingTable:
        assert self.rt is not None
        return RoutingTable(
            mesh,
            namespace=self.local.namespace,
            local=self.local,
            endpoints=self._endpoints,
            stats=self.stats,
            clock=self.rt.loop.time,
            rng=self.rt.random_gen,
        )

    async def _housekeep(self) -> None:
        while True:
            await asyncio.sleep(HOUSEKEEPING_S)
            assert self.rt is not None and self.table is not None
            now = self.rt.loop.time()
            for dest in self.table.destinations.values():
                for endpoint in dest.outlier.readmit_due(now):
                    self._emit(EndpointReadmitted(dest.name, endpoint.name))
            for conn in list(self._connections):
                conn.check_timeouts(now)

    async def stop(self, drain_timeout: float | None = None) -> None:
        """Stop accepting, let in-flight requests finish (bounded), then close everything.
        /ready answers 503 meanwhile; the metrics listener closes last."""
        self.state = "draining"
        for name, server in self._servers.items():
            if name != "metrics":
                server.close()
        if self.rt is not None:
            self.rt.draining = True  # connections close as their current exchange completes
        for conn in list(self._connections):
            if not conn.queue:
                conn.close()
        timeout = self.settings.drain_timeout if drain_timeout is None else drain_timeout
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while any(c.queue for c in self._connections) and loop.time() < deadline:
            await asyncio.sleep(0.05)
        for conn in list(self._connections):
            conn.close()
        if "metrics" in self._servers:
            self._servers["metrics"].close()
        if self._housekeeping is not None:
            self._housekeeping.cancel()
        for task in list(self._tasks):
            task.cancel()
        if self.rt is not None:
            self.rt.timers.stop()
            self.rt.close_pools()
        self.state = "stopped"

    # -- the admin seams ---------------------------------------------------------------------
    def readiness(self) -> tuple[bool, str]:
        if self.state != "ready":
            return False, self.state
        if self.draining:
            return False, "draining"
        return True, "ready"

    def snapshot(self) -> StatsSnapshot:
        return self.stats.snapshot()

    def endpoint_states(self) -> list[EndpointState]:
        return self._endpoints.all()

    def apply_mesh(
        self, mesh: MeshConfig, *, expected_version: int | None = None, by: str = "file"
    ) -> None:
        """Make-before-break: build the new table beside the old, persist, swap in one step."""
        if expected_version is not None and expected_version != self._mesh.version:
            raise StaleVersionError(expected_version, self._mesh.version)
        table = self._build_table(mesh)
        if self.settings.state_dir is not None:
            save_mesh(self.settings.state_dir, mesh)
        self.table = table
        self._mesh = mesh
        self._emit(ConfigApplied(mesh.version, by))

    def reload_file(self) -> None:
        """SIGHUP: re-read the config file; a file that fails validation changes nothing."""
        if self.config_path is None:
            return
        fresh = load_sidecar_file(self.config_path)  # raises ConfigError; caller logs it
        self.apply_mesh(fresh.mesh, by=f"file {self.config_path}")

    def set_drain(self, target: str, drained: bool, *, by: str = "drain") -> None:
        """Drain an endpoint or a whole service (a new mesh version), or this sidecar itself.
        `by` names who asked, in the ConfigApplied event."""
        if target == "self":
            self.draining = drained
            self._emit(DrainChanged("self", drained))
            return
        services = dict(self._mesh.services)
        if target in services:
            services[target] = services[target].model_copy(update={"drained": drained})
        else:
            for name, svc in services.items():
                if any(e.name == target for e in svc.endpoints):
                    eps = tuple(
                        e.model_copy(update={"drained": drained}) if e.name == target else e
                        for e in svc.endpoints
                    )
                    services[name] = svc.model_copy(update={"endpoints": eps})
                    break
            else:
                raise KeyError(f"no endpoint or service named {target!r}")
        mesh = self._mesh.model_copy(
            update={"services": services, "version": self._mesh.version + 1}
        )
        self.apply_mesh(MeshConfig.model_validate(mesh.model_dump()), by=by)
        self._emit(DrainChanged(target, drained))

    def _on_ejected(self, dest: Destination, endpoint: EndpointState) -> None:
        assert self.rt is not None
        until = endpoint.ejected_until - self.rt.loop.time()
        self._emit(EndpointEjected(dest.name, endpoint.name, until))

    def _emit(self, event: MeshEvent) -> None:
        log.info("%s", event)
        for subscriber in list(self.subscribers):
            subscriber(event)
