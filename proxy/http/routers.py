"""What differs between a sidecar's two HTTP listeners, in one place each:

- outbound: the local app's calls; routed by Host through the routing table, marked with this
  sidecar's identity (x-mesh-peer) and a request id, reported with reporter="source";
- inbound: calls from other sidecars, handed to the local app and reported with
  reporter="destination" under the caller's identity.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from proxy.http.downstream import DownstreamConnection
from proxy.http.exchange import Exchange
from proxy.http.request_head import CONNECTION, DROP, EXPECT, HOST, TE, HeaderActions
from proxy.http.wire import HOP_BY_HOP, new_request_id
from proxy.telemetry import UNKNOWN_WORKLOAD, HttpEdge, StatsRegistry, Workload

if TYPE_CHECKING:
    from proxy.http.runtime import ProxyRuntime
    from proxy.routing import CompiledRoute, RoutingTable


def _actions(*, special: tuple[bytes, ...]) -> HeaderActions:
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
    return HeaderActions(actions)


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
        self._stats = stats
        self._local = local
        self._no_route_edge: HttpEdge | None = None

    def open(
        self, down: DownstreamConnection, method: bytes, url: bytes, keep_alive: bool, chunked: bool
    ) -> Exchange:
        special = down.special
        if special is None:  # the common case: the client sent none of the mesh's headers
            request_id = new_request_id()
            forwarded = down.peer_ip
        else:
            request_id = special.get(b"x-request-id") or new_request_id()
            earlier = special.get(b"x-forwarded-for")
            forwarded = earlier + b", " + down.peer_ip if earlier else down.peer_ip
        head = b"%s %s HTTP/1.1\r\n%sx-request-id: %s\r\nx-forwarded-for: %s\r\n%s\r\n" % (
            method,
            url,
            b"".join(down.kept_headers),
            request_id,
            forwarded,
            self._peer_line,
        )
        table = self._table()
        route = table.catch_all.get(down.host)  # RoutingTable.route_for's first step, inline
        if route is None or url[:1] != b"/":
            route = table.route_for(down.host, method, url, down.header_pairs)
        return Exchange(
            self.rt,
            down,
            method,
            head,
            chunked,
            keep_alive,
            route,
            self.no_route_edge() if route is None else None,
        )

    def no_route_edge(self) -> HttpEdge:
        """Calls to an unknown Host are counted under one "unknown" destination (the Host header
        is the caller's to choose and must not become a label value). Made on first use, so a
        sidecar that never saw one reports no empty edge to "unknown"."""
        if self._no_route_edge is None:
            self._no_route_edge = self._stats.http_edge("source", self._local, UNKNOWN_WORKLOAD)
        return self._no_route_edge


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
        if special is None:
            request_id = new_request_id()
            edge = self.edge_for_peer(b"")
        else:
            request_id = special.get(b"x-request-id") or new_request_id()
            edge = self.edge_for_peer(special.get(b"x-mesh-peer", b""))
        head = b"%s %s HTTP/1.1\r\n%sx-request-id: %s\r\n\r\n" % (
            method,
            url,
            b"".join(down.kept_headers),
            request_id,
        )
        return Exchange(self.rt, down, method, head, chunked, keep_alive, self._route(), edge)
