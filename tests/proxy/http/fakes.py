"""A sidecar's HTTP data plane wired to fake transports and a hand-driven loop clock.

The hot path runs exactly as in production (parsers, routers, exchanges, pools, policy), but
bytes go to lists instead of sockets and time moves only when a test says so, so a test can
assert byte for byte what reached the upstream and the client, and what was recorded.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from proxy.config import Backend, MeshConfig, RouteConfig
from proxy.http.downstream import DownstreamConnection
from proxy.http.routers import InboundRouter, OutboundRouter
from proxy.http.runtime import ProxyRuntime
from proxy.http.upstream import UpstreamConnection
from proxy.policy.endpoint import EndpointState
from proxy.routing import CompiledRoute, Destination, EndpointRegistry, RoutingTable
from proxy.telemetry import HttpEdge, ResponseCounter, StatsRegistry, Workload

LOCAL = Workload("web", "default", "v1", "web-1")
PEER_LINE = b"x-mesh-peer: web;default;v1;web-1\r\n"
NGINX_HEAD = (
    b"HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/plain\r\n"
    b"Content-Length: 5\r\nConnection: keep-alive\r\n\r\n"
)
OK = NGINX_HEAD + b"hello"


def response(status: int, body: bytes = b"", extra: bytes = b"") -> bytes:
    return b"HTTP/1.1 %d X\r\nContent-Length: %d\r\n%s\r\n%s" % (status, len(body), extra, body)


class FakeHandle:
    def __init__(self, when: float, callback: Callable[..., object], args: tuple[Any, ...]):
        self.when = when
        self.callback = callback
        self.args = args
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


class FakeLoop:
    """The few loop methods the data plane uses; `call_later` callbacks run via `advance`."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now
        self.handles: list[FakeHandle] = []

    def time(self) -> float:
        return self.now

    def call_later(self, delay: float, callback: Callable[..., object], *args: Any) -> FakeHandle:
        handle = FakeHandle(self.now + delay, callback, args)
        self.handles.append(handle)
        return handle

    def advance(self, seconds: float) -> None:
        """Move time on, running due `call_later` callbacks in order (the timer wheel's too)."""
        end = self.now + seconds
        while True:
            due = [h for h in self.handles if not h.cancelled and h.when <= end]
            if not due:
                break
            first = min(due, key=lambda h: h.when)
            self.handles.remove(first)
            self.now = max(self.now, first.when)
            first.callback(*first.args)
        self.now = end


class FakeTransport:
    def __init__(self, peer: tuple[str, int] = ("10.0.0.7", 40000)) -> None:
        self.written: list[bytes] = []
        self.closed = False
        self.aborted = False
        self.reading = True
        self.peer = peer

    @property
    def data(self) -> bytes:
        return b"".join(self.written)

    def take(self) -> bytes:
        data = self.data
        self.written.clear()
        return data

    def write(self, data: bytes) -> None:
        assert not self.closed, "write after close"
        self.written.append(data)

    def is_closing(self) -> bool:
        return self.closed

    def get_extra_info(self, name: str, default: object = None) -> object:
        return self.peer if name == "peername" else default

    def pause_reading(self) -> None:
        self.reading = False

    def resume_reading(self) -> None:
        self.reading = True

    def close(self) -> None:
        self.closed = True

    def abort(self) -> None:
        self.closed = True
        self.aborted = True


@dataclass
class Upstream:
    conn: UpstreamConnection
    transport: FakeTransport

    def answer(self, data: bytes) -> None:
        self.conn.data_received(data)

    def lose(self) -> None:
        self.transport.closed = True
        self.conn.connection_lost(None)


@dataclass
class Client:
    conn: DownstreamConnection
    transport: FakeTransport

    def send(self, data: bytes) -> None:
        self.conn.data_received(data)

    def take(self) -> bytes:
        return self.transport.take()


@dataclass
class Plane:
    loop: FakeLoop
    rt: ProxyRuntime
    stats: StatsRegistry
    table: RoutingTable
    outbound: OutboundRouter
    ejected: list[str] = field(default_factory=list)

    def client(self, router: OutboundRouter | InboundRouter | None = None) -> Client:
        conn = DownstreamConnection(self.rt, router or self.outbound, set())
        transport = FakeTransport()
        conn.connection_made(cast(asyncio.Transport, transport))
        return Client(conn, transport)

    def upstream(self, address: str, count: int = 1) -> list[Upstream]:
        """Idle pooled connections to `address`, as if opened by earlier requests."""
        host, port = address.rsplit(":", 1)
        pool = self.rt.pool_for(host, int(port))
        made = []
        for _ in range(count):
            conn = UpstreamConnection(pool)
            transport = FakeTransport()
            conn.connection_made(cast(asyncio.Transport, transport))
            pool.put_back(conn)
            made.append(Upstream(conn, transport))
        return made

    def endpoint(self, service: str, name: str) -> EndpointState:
        for ep in self.table.destinations[service].endpoints:
            if ep.name == name:
                return ep
        raise KeyError(name)

    def inbound(self, app: str = "127.0.0.1:7000") -> InboundRouter:
        mesh = MeshConfig.model_validate(
            {"services": {"web": {"endpoints": [{"name": "web-1", "address": app}]}}}
        )
        registry = EndpointRegistry(self.loop.time)
        svc = mesh.services["web"]
        dest = Destination(
            "web",
            svc,
            registry.sync(svc),
            namespace="default",
            local=LOCAL,
            stats=self.stats,
            rng=self.rt.random_gen,
        )
        config = RouteConfig(backends=(Backend(service="web"),), timeout=None)
        route = CompiledRoute(config, {"web": dest}, self.loop.time)
        return InboundRouter(self.rt, self.stats, LOCAL, lambda: route)

    def counters(self, destination: str | None = None) -> list[ResponseCounter]:
        """Every (code, flags) counter on edges whose destination service is `destination`."""
        return [
            counter
            for edge in self.edges(destination)
            for counter in edge.responses()
            if counter.count
        ]

    def edges(self, destination: str | None = None) -> list[HttpEdge]:
        return [
            edge
            for edge in self.stats.http_edges()
            if destination is None or edge.destination.service == destination
        ]

    def outcomes(self, destination: str | None = None) -> list[tuple[int, str, int]]:
        """(code, flags, count) of every counter, sorted."""
        return sorted((c.code, c.flags, c.count) for c in self.counters(destination))


def plane(
    services: dict[str, Any] | None = None,
    routes: dict[str, Any] | None = None,
    *,
    max_header_bytes: int = 16384,
    retry_buffer_bytes: int = 65536,
) -> Plane:
    """A data plane over `services` (default: `inventory` with endpoints inv-1 and inv-2)."""
    if services is None:
        services = {
            "inventory": {
                "endpoints": [
                    {"name": "inv-1", "address": "127.0.0.1:9001"},
                    {"name": "inv-2", "address": "127.0.0.1:9002"},
                ]
            }
        }
    mesh = MeshConfig.model_validate({"version": 1, "services": services, "routes": routes or {}})
    loop = FakeLoop()
    ejected: list[str] = []
    rt = ProxyRuntime(
        cast(asyncio.AbstractEventLoop, loop),
        connect_timeout=1.0,
        retry_buffer_bytes=retry_buffer_bytes,
        max_header_bytes=max_header_bytes,
        header_timeout=10.0,
        idle_timeout=60.0,
        on_ejected=lambda dest, ep: ejected.append(ep.name),
    )
    rt.random_gen.seed(1)
    rt.timers.start()
    stats = StatsRegistry(LOCAL)
    table = RoutingTable(
        mesh,
        namespace="default",
        local=LOCAL,
        endpoints=EndpointRegistry(loop.time),
        stats=stats,
        clock=loop.time,
        rng=rt.random_gen,
    )
    outbound = OutboundRouter(rt, lambda: table, stats, LOCAL)
    return Plane(loop, rt, stats, table, outbound, ejected)
