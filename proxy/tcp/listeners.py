"""The sidecar's TCP listeners: outbound (one per TCP destination service) and inbound (when this
sidecar's own service speaks TCP)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from proxy.http.routers import parse_peer, peer_header_value
from proxy.tcp.pipe import MAX_PREAMBLE, PEER_PREAMBLE, PipeEnd, track_connection
from proxy.telemetry import UNKNOWN_WORKLOAD, StatsRegistry, Workload

if TYPE_CHECKING:
    from proxy.routing import RoutingTable


def _ignore(_: int) -> None:
    pass


class OutboundTcpConnection(PipeEnd):
    """The local app's connection to a TCP service, spliced to one endpoint's inbound listener."""

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        service: str,
        table: Callable[[], RoutingTable],
        stats: StatsRegistry,
        local: Workload,
        connect_timeout: float,
        tasks: set[asyncio.Task[None]],
    ) -> None:
        super().__init__(_ignore)
        self._loop = loop
        self._service = service
        self._table = table
        self._stats = stats
        self._local = local
        self._connect_timeout = connect_timeout
        self._tasks = tasks

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        dest = self._table().destinations.get(self._service)
        endpoint = dest.balancer(None).pick(self._loop.time()) if dest is not None else None
        if endpoint is None:
            edge = self._stats.tcp_edge("source", self._local, Workload(self._service))
            track_connection(edge, self._loop)()
            self.close()
            return
        peer = Workload(
            self._service, self._local.namespace, endpoint.labels.get("version"), endpoint.name
        )
        edge = self._stats.tcp_edge("source", self._local, peer)
        self.on_bytes = edge.add_received
        self.on_closed = track_connection(edge, self._loop)
        preamble = PEER_PREAMBLE + peer_header_value(self._local) + b"\n"
        self.splice_to(
            self._loop,
            (endpoint.host, endpoint.port),
            edge,
            self._connect_timeout,
            self._tasks,
            preamble=preamble,
        )


class InboundTcpConnection(PipeEnd):
    """A peer sidecar's TCP connection, handed to the local app after its MESH-PEER line."""

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        app: tuple[str, int],
        stats: StatsRegistry,
        local: Workload,
        connect_timeout: float,
        tasks: set[asyncio.Task[None]],
    ) -> None:
        super().__init__(_ignore)
        self._loop = loop
        self._app = app
        self._stats = stats
        self._local = local
        self._connect_timeout = connect_timeout
        self._tasks = tasks
        self._preamble = b""
        self._started = False

    def data_received(self, data: bytes) -> None:
        if self._started:
            super().data_received(data)
            return
        self._preamble += data
        if self._preamble.startswith(PEER_PREAMBLE[: len(self._preamble)]) and len(
            self._preamble
        ) < len(PEER_PREAMBLE):
            return  # not enough bytes yet to tell
        if self._preamble.startswith(PEER_PREAMBLE):
            end = self._preamble.find(b"\n")
            if end < 0:
                if len(self._preamble) > MAX_PREAMBLE:
                    self.close()
                return
            source = parse_peer(self._preamble[len(PEER_PREAMBLE) : end]) or UNKNOWN_WORKLOAD
            rest = self._preamble[end + 1 :]
        else:  # a caller outside the mesh: everything it sent is payload
            source, rest = UNKNOWN_WORKLOAD, self._preamble
        self._preamble = b""
        self._start(source, rest)

    def _start(self, source: Workload, rest: bytes) -> None:
        self._started = True
        edge = self._stats.tcp_edge("destination", source, self._local)
        self.on_bytes = edge.add_received
        self.on_closed = track_connection(edge, self._loop)
        if rest:
            self.pending.append(rest)
        self.splice_to(self._loop, self._app, edge, self._connect_timeout, self._tasks)
