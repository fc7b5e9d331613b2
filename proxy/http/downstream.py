"""The server side of a sidecar listener: parses requests from a client connection, hands each to
an `Exchange`, and writes responses back in order (pipelined requests are served one at a time).

Per request the parser calls back on the URL, on each header (see `request_head.py`), at the
end of the head and at the end of the message; there is no `on_message_begin`: the head's state
is reset once it has been handed to the router.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import TYPE_CHECKING, Protocol, cast

import httptools

from proxy.http.request_head import HeaderActions, RequestHeadReader
from proxy.http.wire import simple_response

if TYPE_CHECKING:
    from proxy.http.exchange import Exchange
    from proxy.http.runtime import ProxyRuntime

MAX_PIPELINE = 32
CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"
NO_DEADLINE = float("inf")


class Router(Protocol):
    header_actions: HeaderActions

    def open(
        self, down: DownstreamConnection, method: bytes, url: bytes, keep_alive: bool, chunked: bool
    ) -> Exchange: ...


class DownstreamConnection(RequestHeadReader, asyncio.Protocol):
    __slots__ = (
        "_awaiting_head",
        "_clock",
        "_eof",
        "_head_bytes",
        "_head_started",
        "_parsing",
        "_paused",
        "_timer_key",
        "closed",
        "connections",
        "last_activity",
        "parser",
        "peer_ip",
        "queue",
        "router",
        "rt",
        "timer_at",
        "transport",
    )

    def __init__(self, rt: ProxyRuntime, router: Router, connections: set[DownstreamConnection]):
        RequestHeadReader.__init__(self, router.header_actions)
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
        self._clock = rt.loop.time
        self.last_activity = self._clock()
        self._awaiting_head = True
        self._head_bytes = 0
        self._head_started = 0.0
        self.timer_at = NO_DEADLINE
        """When this connection's entry in the timer wheel fires (see `arm`)."""
        self._timer_key = -1

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
        now = self._clock()
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
        if self._timer_key >= 0:  # the wheel must not keep closed connections alive
            self.rt.timers.cancel(self._timer_key, self)
            self._timer_key = -1
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
    def on_headers_complete(self) -> None:
        self._awaiting_head = False
        self._head_bytes = 0
        if self.closed:
            return
        if self.head_size + len(self.url) > self.rt.max_header_bytes:
            self.reject(431, b"mesh: request head too large\n")
            return
        if self.drop_names:
            self.drop_connection_options()
        parser = self.parser
        exchange = self.router.open(
            self, parser.get_method(), self.url, parser.should_keep_alive(), self.chunked
        )
        special = self.special
        self.next_head()
        self._parsing = exchange
        queue = self.queue
        queue.append(exchange)
        if len(queue) == 1:
            if special is not None and special.get(b"expect", b"").lower() == b"100-continue":
                self.write(CONTINUE)  # the proxy streams the body itself; tell the client to send
            exchange.start(self.last_activity)
        elif len(queue) >= MAX_PIPELINE:
            self.pause_reading()

    def on_body(self, body: bytes) -> None:
        if self._parsing is not None:
            self._parsing.on_body(body)

    def on_message_complete(self) -> None:
        self._awaiting_head = True
        exchange = self._parsing
        if exchange is not None:
            self._parsing = None
            if exchange.chunked:
                exchange.on_request_complete()  # sends the last chunk too
            else:
                exchange.body_complete = True

    # -- used by exchanges -------------------------------------------------------------------
    def write(self, data: bytes) -> None:
        if self.transport is not None:
            self.transport.write(data)

    def on_exchange_done(self, exchange: Exchange, now: float) -> None:
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
            queue[0].start(now)

    def arm(self, deadline: float) -> None:
        """Have `on_timer` called at or after `deadline`, an exchange's deadline.

        One wheel entry per connection serves all its exchanges in turn: a later deadline does
        not touch the wheel, because the earlier entry, when it fires, re-arms for whichever
        exchange is active then. So a keep-alive connection touches the wheel about once per
        timeout, not once per request, and finished requests need no cancelling.
        """
        if deadline < self.timer_at:
            timers = self.rt.timers
            if self._timer_key >= 0:
                timers.cancel(self._timer_key, self)
            self.timer_at = deadline
            self._timer_key = timers.schedule(deadline, self)

    def on_timer(self, now: float) -> None:
        self._timer_key = -1
        self.timer_at = NO_DEADLINE
        if self.queue:
            self.queue[0].on_timer(now)

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
