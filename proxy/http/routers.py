"""What differs between a sidecar's two HTTP listeners, in one place each:

- outbound: the local app's calls; routed by Host through the routing table, marked with this
  sidecar's identity (x-mesh-peer) and a request id, reported with reporter="source";
- inbound: calls from other sidecars, handed to the local app and reported with
  reporter="destination" under the caller's identity.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from proxy.http.downstream import CONNECTION, DROP, EXPECT, HOST, TE, DownstreamConnection
from proxy.http.exchange import Exchange
from proxy.http.wire import HOP_BY_HOP, new_request_id
from proxy.telemetry import UNKNOWN_WORKLOAD, HttpEdge, StatsRegistry, Workload

if TYPE_CHECKING:
    from proxy.http.runtime import ProxyRuntime
    from proxy.routing import CompiledRoute, RoutingTable


def _actions(*, special: tuple[bytes, ...]) -> dict[bytes, int]:
    actions = dict.fromkeys(HOP_BY_HOP, DROP)
    actions.update(
        {
            b"host": HOST,
            b"transfer-encoding": TE,
            b"connection": CONNECTION,
            b"expect": EXPECT,
            b"x-mesh-peer": EXPECT,
        }
    )
    for name in special:
        actions[name] = EXPECT  # remembered in `special`, left out of the forwarded head
    return actions


def peer_header_value(local: Workload) -> bytes:
    return ";".join(
        (local.service, local.namespace, local.version or "", local.instance or "")
    ).encode()


def parse_peer(value: bytes) -> Workload | None:
    parts = value.decode("latin-1").split(";")
    if len(parts) != 4 or not parts[0]:
        return None
    return Workload(parts[0], parts[1] or "default", parts[2] or None, parts[3] or None)


class OutboundRouter:
    def __init__(
        self,
        rt: ProxyRuntime,
        table: Callable[[], RoutingTable],
        stats: StatsRegistry,
        local: Workload,
    ):
        self.rt = rt
        self._table = table
        self.header_actions = _actions(special=(b"x-request-id", b"x-forwarded-for"))
        self._peer_line = b"x-mesh-peer: %s\r\n" % peer_header_value(local)
        # Calls to an unknown Host are counted too, under one "unknown" destination: the Host
        # header is the caller's to choose and must not become a label value.
        self._no_route_edge = stats.http_edge("source", local, UNKNOWN_WORKLOAD)

    def open(
        self, down: DownstreamConnection, method: bytes, url: bytes, keep_alive: bool, chunked: bool
    ) -> Exchange:
        special = down.special
        request_id = special.get(b"x-request-id") or new_request_id()
        forwarded = special.get(b"x-forwarded-for")
        forwarded = forwarded + b", " + down.peer_ip if forwarded else down.peer_ip
        head = b"%s %s HTTP/1.1\r\n%sx-request-id: %s\r\nx-forwarded-for: %s\r\n%s\r\n" % (
            method,
            url,
            b"".join(down.kept_headers),
            request_id,
            forwarded,
            self._peer_line,
        )
        path = url.split(b"?", 1)[0]
        route: CompiledRoute | None = self._table().match(down.host, method, path, down.headers)
        return Exchange(
            self.rt,
            down,
            method,
            head,
            chunked=chunked,
            keep_alive=keep_alive,
            route=route,
            fixed_edge=self._no_route_edge if route is None else None,
        )


class InboundRouter:
    def __init__(
        self,
        rt: ProxyRuntime,
        stats: StatsRegistry,
        local: Workload,
        route: Callable[[], CompiledRoute | None],
    ):
        self.rt = rt
        self._stats = stats
        self._local = local
        self._route = route
        self.header_actions = _actions(special=(b"x-request-id",))
        self._edges: dict[bytes, HttpEdge] = {}

    def edge_for_peer(self, value: bytes) -> HttpEdge:
        edge = self._edges.get(value)
        if edge is None:
            peer = parse_peer(value) if value else None
            source = peer if peer is not None else UNKNOWN_WORKLOAD
            edge = self._stats.http_edge("destination", source, self._local)
            if len(self._edges) < 10_000:  # peers are few; never let a header grow this
                self._edges[value] = edge
        return edge

    def open(
        self, down: DownstreamConnection, method: bytes, url: bytes, keep_alive: bool, chunked: bool
    ) -> Exchange:
        special = down.special
        request_id = special.get(b"x-request-id") or new_request_id()
        head = b"%s %s HTTP/1.1\r\n%sx-request-id: %s\r\n\r\n" % (
            method,
            url,
            b"".join(down.kept_headers),
            request_id,
        )
        edge = self.edge_for_peer(special.get(b"x-mesh-peer", b""))
        return Exchange(
            self.rt,
            down,
            method,
            head,
            chunked=chunked,
            keep_alive=keep_alive,
            route=self._route(),
            fixed_edge=edge,
        )
