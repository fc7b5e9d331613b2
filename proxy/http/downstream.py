"""The server side of a sidecar listener: parses requests from a client connection, hands each to
an `Exchange`, and writes responses back in order (pipelined requests are served one at a time).
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import TYPE_CHECKING, Protocol, cast

import httptools

from proxy.http.wire import simple_response

if TYPE_CHECKING:
    from proxy.http.exchange import Exchange
    from proxy.http.runtime import ProxyRuntime

# Header names the listener looks at while parsing (lower-case) -> what it does with them.
KEEP, DROP, HOST, TE, EXPECT, CONNECTION = 0, 1, 2, 3, 4, 5
MAX_PIPELINE = 32
CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"


class Router(Protocol):
    header_actions: dict[bytes, int]

    def open(
        self, down: DownstreamConnection, method: bytes, url: bytes, keep_alive: bool, chunked: bool
    ) -> Exchange: ...


class DownstreamConnection(asyncio.Protocol):
    __slots__ = (
        "_awaiting_head",
        "_eof",
        "_head_bytes",
        "_head_started",
        "_parsing",
        "_paused",
        "chunked",
        "closed",
        "connections",
        "drop_names",
        "head_size",
        "headers",
        "host",
        "kept_headers",
        "last_activity",
        "parser",
        "peer_ip",
        "queue",
        "router",
        "rt",
        "special",
        "transport",
        "url",
    )

    def __init__(self, rt: ProxyRuntime, router: Router, connections: set[DownstreamConnection]):
        self.rt = rt
        self.router = router
        self.connections = connections
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpRequestParser(self)
        self.queue: deque[Exchange] = deque()
        self._parsing: Exchange | None = None
        self.closed = False
        self._paused = False
        self._eof = False
        self.peer_ip = b"127.0.0.1"
        self.last_activity = rt.loop.time()
        self._awaiting_head = True
        self._head_bytes = 0
        self._head_started = 0.0
        self._new_message()

    def _new_message(self) -> None:
        self.url = b""
        self.head_size = 0
        self.kept_headers: list[bytes] = []
        self.headers: list[tuple[bytes, bytes]] = []
        self.host = b""
        self.chunked = False
        self.special: dict[bytes, bytes] = {}
        self.drop_names: tuple[bytes, ...] = ()

    # -- asyncio.Protocol --------------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's are not subclasses
        self.connections.add(self)
        peer = transport.get_extra_info("peername")
        if peer:
            self.peer_ip = str(peer[0]).encode()

    def data_received(self, data: bytes) -> None:
        if self.closed:
            return
        now = self.rt.loop.time()
        self.last_activity = now
        if self._awaiting_head:
            if not self._head_bytes:
                self._head_started = now
            self._head_bytes += len(data)
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            self.reject(501, b"mesh: protocol upgrades are not supported\n")
            return
        except httptools.HttpParserError:
            self.reject(400, b"mesh: malformed request\n")
            return
        if self._awaiting_head and self._head_bytes > self.rt.max_header_bytes:
            self.reject(431, b"mesh: request head too large\n")

    def eof_received(self) -> bool:
        # A client that half-closes after its request still gets the answer.
        self._eof = True
        return bool(self.queue)

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.transport = None
        self.connections.discard(self)
        queue = self.queue
        if queue:
            active = queue[0]
            queue.clear()
            active.abort()

    def pause_writing(self) -> None:
        if self.queue:
            self.queue[0].pause_up_reading()

    def resume_writing(self) -> None:
        if self.queue:
            self.queue[0].resume_up_reading()

    # -- httptools callbacks -----------------------------------------------------------------
    def on_message_begin(self) -> None:
        self._new_message()

    def on_url(self, url: bytes) -> None:
        self.url += url

    def on_header(self, name: bytes, value: bytes) -> None:
        self.head_size += len(name) + len(value) + 4
        lname = name.lower()
        self.headers.append((lname, value))
        action = self.router.header_actions.get(lname, KEEP)
        if action == KEEP:
            self.kept_headers.append(b"%s: %s\r\n" % (name, value))
        elif action == HOST:
            self.host = value
            self.kept_headers.append(b"%s: %s\r\n" % (name, value))
        elif action == TE:
            self.chunked = b"chunked" in value.lower()
            self.kept_headers.append(b"%s: %s\r\n" % (name, value))
        elif action == CONNECTION:
            # Headers named in Connection are hop-by-hop too (RFC 9110 §7.6.1).
            self.drop_names += tuple(t.strip().lower() for t in value.split(b",") if t.strip())
        elif action != DROP:
            self.special[lname] = value

    def on_headers_complete(self) -> None:
        self._awaiting_head = False
        self._head_bytes = 0
        if self.closed:
            return
        if self.head_size + len(self.url) > self.rt.max_header_bytes:
            self.reject(431, b"mesh: request head too large\n")
            return
        if self.drop_names:
            drop = self.drop_names
            self.kept_headers = [
                h for h in self.kept_headers if h.split(b":", 1)[0].lower() not in drop
            ]
        parser = self.parser
        exchange = self.router.open(
            self, parser.get_method(), self.url, parser.should_keep_alive(), self.chunked
        )
        self._parsing = exchange
        queue = self.queue
        queue.append(exchange)
        if len(queue) == 1:
            if self.special.get(b"expect", b"").lower() == b"100-continue":
                self.write(CONTINUE)  # the proxy streams the body itself; tell the client to send
            exchange.start()
        elif len(queue) >= MAX_PIPELINE:
            self.pause_reading()

    def on_body(self, body: bytes) -> None:
        if self._parsing is not None:
            self._parsing.on_body(body)

    def on_message_complete(self) -> None:
        self._awaiting_head = True
        if self._parsing is not None:
            self._parsing.on_request_complete()
            self._parsing = None

    # -- used by exchanges -------------------------------------------------------------------
    def write(self, data: bytes) -> None:
        if self.transport is not None:
            self.transport.write(data)

    def on_exchange_done(self, exchange: Exchange) -> None:
        queue = self.queue
        if not queue or queue[0] is not exchange:
            return  # the connection is gone and took the queue with it
        queue.popleft()
        if not exchange.keep_alive or self.rt.draining or (self._eof and not queue):
            self.close()
            return
        if self._paused and len(queue) < MAX_PIPELINE // 2:
            self.resume_reading()
        if queue:
            queue[0].start()

    def abort_after(self, exchange: Exchange) -> None:
        """A response broke off mid-way: the only honest signal left is closing the connection."""
        if self.transport is not None:
            self.transport.abort()

    def reject(self, status: int, body: bytes) -> None:
        """Answer a request the parser refused and close: the stream cannot be trusted after it."""
        if self.queue:
            # Pipelined behind requests still in flight: an answer now would be out of order.
            self.abort()
            return
        self.write(simple_response(status, body, close=True))
        self.close()

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()

    def abort(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.abort()

    def pause_reading(self) -> None:
        if not self._paused and self.transport is not None:
            self._paused = True
            self.transport.pause_reading()

    def resume_reading(self) -> None:
        if self._paused and self.transport is not None:
            self._paused = False
            self.transport.resume_reading()

    # -- housekeeping (called about once a second) -------------------------------------------
    def check_timeouts(self, now: float) -> None:
        rt = self.rt
        if self.queue:
            return
        if self._head_bytes and now - self._head_started > rt.header_timeout:
            self.write(
                simple_response(408, b"mesh: request head not received in time\n", close=True)
            )
            self.close()
        elif now - self.last_activity > rt.idle_timeout:
            self.close()
