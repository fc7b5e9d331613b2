"""Connections to upstreams (the next sidecar, or the local app) and a keep-alive pool per endpoint.

An `UpstreamConnection` carries one exchange at a time. Response bytes are forwarded raw: the
parser only watches them to learn the status (so a retryable answer can be held back) and where
the response ends (so the connection can be reused).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

import httptools

from proxy.http.wire import HOP_BY_HOP

if TYPE_CHECKING:
    from proxy.http.exchange import Exchange


# A response head needs rewriting when it carries a hop-by-hop header, except the
# `Connection: keep-alive` nginx sends on every response, which is harmless to pass on. One
# regex search (in C) instead of a Python callback per header; a match inside a body is only a
# false alarm, answered by the exact rewrite. Each name starts with a two-case character class
# so that the regex engine skips, on its first character, every alternative a line cannot be.


def _any_case(name: bytes) -> bytes:
    first = name[:1]
    return b"[%s%s](?i:%s)" % (first.upper(), first.lower(), re.escape(name[1:]))


_HOP_BY_HOP_RE = re.compile(
    rb"\n(?:(?:"
    + b"|".join(_any_case(name) for name in sorted(HOP_BY_HOP - {b"connection"}))
    + rb"):|"
    + _any_case(b"connection")
    + rb":(?![ \t]*(?i:keep-alive)[ \t]*\r))"
)
_find_hop_by_hop = _HOP_BY_HOP_RE.search


def has_hop_by_hop(raw: bytes) -> bool:
    """Whether a response head (`raw`: the head and maybe body bytes after it) carries
    hop-by-hop headers that must not be forwarded."""
    end = raw.find(b"\r\n\r\n")
    return _find_hop_by_hop(raw, 0, end + 2 if end >= 0 else len(raw)) is not None


class UpstreamConnection(asyncio.Protocol):
    __slots__ = (
        "_buf",
        "_interim",
        "_status",
        "complete",
        "exchange",
        "forwarding",
        "keep_alive",
        "parser",
        "pool",
        "reused",
        "transport",
    )

    def __init__(self, pool: ConnectionPool) -> None:
        self.pool = pool
        self.transport: asyncio.Transport | None = None
        self.exchange: Exchange | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.reused = False
        self._buf: list[bytes] | None = None
        """Bytes of a response head that has not fully arrived; None when nothing is held."""
        self._interim = False
        self._status = 0
        self.forwarding = False
        self.complete = False
        self.keep_alive = True

    # -- asyncio.Protocol --------------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's are not subclasses

    def data_received(self, data: bytes) -> None:
        exchange = self.exchange
        if exchange is None:  # bytes nobody asked for: the connection is unusable
            self.close()
            return
        if self.forwarding:
            exchange.write_down(data)
            try:
                self.parser.feed_data(data)
            except httptools.HttpParserError:
                self._parse_failed()
                return
        else:
            if self._buf is not None:
                self._buf.append(data)
            try:
                self.parser.feed_data(data)
            except httptools.HttpParserError:
                self._parse_failed()
                return
            if self._interim:
                self._drop_interim_heads(data)
            buf = self._buf
            status = self._status
            if not status:  # the head is not complete yet
                if buf is None:
                    self._buf = [data]
                return
            raw = data if buf is None else b"".join(buf)
            self._buf = None
            end = raw.find(b"\r\n\r\n")  # has_hop_by_hop(raw), without the call
            if _find_hop_by_hop(raw, 0, end + 2 if end >= 0 else len(raw)) is not None:
                raw = self._rewrite_head(raw)
            if not exchange.on_response_head(self, status, raw):
                return  # held back for a retry; the exchange closed or released us
            self.forwarding = True
        if self.complete and self.exchange is exchange:
            exchange.on_response_complete(self)

    def _parse_failed(self) -> None:
        exchange = self.exchange
        self.close()
        if exchange is not None:
            exchange.on_upstream_failed(self, protocol_error=True)

    def _drop_interim_heads(self, data: bytes) -> None:
        raw = b"".join(self._buf) if self._buf is not None else data
        while raw.startswith(b"HTTP/1.") and raw[9:10] == b"1" and raw[9:12] != b"101":
            end = raw.find(b"\r\n\r\n")
            if end < 0:
                break
            raw = raw[end + 4 :]
        self._buf = [raw] if raw else []
        self._interim = False

    def _rewrite_head(self, raw: bytes) -> bytes:
        """The response head without its hop-by-hop headers (the rare, slow path)."""
        end = raw.find(b"\r\n\r\n")
        status_line, *lines = raw[:end].split(b"\r\n")
        kept = [status_line]
        for line in lines:
            name = line.split(b":", 1)[0].strip().lower()
            if name not in HOP_BY_HOP:
                kept.append(line)
        return b"\r\n".join(kept) + b"\r\n\r\n" + raw[end + 4 :]

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None
        self.pool.forget(self)
        exchange = self.exchange
        self.exchange = None
        if exchange is not None:
            exchange.on_upstream_failed(self, protocol_error=False)

    def pause_writing(self) -> None:
        if self.exchange is not None:
            self.exchange.pause_down_reading()

    def resume_writing(self) -> None:
        if self.exchange is not None:
            self.exchange.resume_down_reading()

    # -- httptools callbacks -----------------------------------------------------------------
    def on_headers_complete(self) -> None:
        self._status = self.parser.get_status_code()
        exchange = self.exchange
        if exchange is not None and exchange.method == b"HEAD":
            # llhttp cannot be told that a HEAD response has no body; end it here and do not
            # reuse the connection, whose parser now expects a body.
            self.complete = True
            self.keep_alive = False

    def on_message_complete(self) -> None:
        if 100 <= self._status < 200 and self._status != 101:
            # An interim response: the real one follows on this connection. Its bytes are cut
            # from the buffer once feeding returns (the same chunk may hold the real response).
            self._status = 0
            self._interim = True
            return
        # Asked here, not after feed_data returns: by then llhttp has reset the message's flags
        # and answers False for every response, which closed each connection after one use.
        self.keep_alive = self.keep_alive and self.parser.should_keep_alive()
        self.complete = True

    # -- used by the exchange and the pool ---------------------------------------------------
    def send(self, exchange: Exchange, data: bytes) -> None:
        # A connection is new or came back through `release()` after a complete, kept-alive
        # response, so nothing is buffered and keep_alive is still True: only these reset.
        self.exchange = exchange
        self._status = 0
        self.forwarding = False
        self.complete = False
        transport = self.transport
        assert transport is not None
        transport.write(data)

    def write(self, data: bytes) -> None:
        if self.transport is not None:
            self.transport.write(data)

    def release(self) -> None:
        """The exchange is done with us: back to the pool, or closed if not reusable."""
        self.exchange = None
        if self.keep_alive and self.complete and self.transport is not None:
            self.reused = True
            self.pool.idle.append(self)  # ConnectionPool.put_back, without the call
        else:
            self.close()

    def close(self) -> None:
        self.exchange = None
        transport = self.transport
        if transport is not None:
            self.transport = None
            self.pool.forget(self)
            transport.close()

    def abort(self) -> None:
        self.exchange = None
        transport = self.transport
        if transport is not None:
            self.transport = None
            self.pool.forget(self)
            transport.abort()

    @property
    def status(self) -> int:
        return self._status


class ConnectionPool:
    """Idle keep-alive connections to one address, most recently used first."""

    __slots__ = ("_connecting", "_loop", "connect_timeout", "host", "idle", "port")

    def __init__(
        self, loop: asyncio.AbstractEventLoop, host: str, port: int, connect_timeout: float
    ) -> None:
        self._loop = loop
        self.host = host
        self.port = port
        self.connect_timeout = connect_timeout
        self.idle: list[UpstreamConnection] = []
        self._connecting: set[asyncio.Task[None]] = set()

    def take_idle(self) -> UpstreamConnection | None:
        idle = self.idle
        while idle:
            conn = idle.pop()
            if conn.transport is not None and not conn.transport.is_closing():
                return conn
        return None

    def put_back(self, conn: UpstreamConnection) -> None:
        self.idle.append(conn)

    def forget(self, conn: UpstreamConnection) -> None:
        with contextlib.suppress(ValueError):
            self.idle.remove(conn)

    def connect(
        self, done: Callable[[UpstreamConnection | None, BaseException | None], None]
    ) -> None:
        """Open a new connection; `done(conn, None)` or `done(None, error)` runs on the loop."""

        async def open_connection() -> None:
            try:
                _, proto = await asyncio.wait_for(
                    self._loop.create_connection(
                        lambda: UpstreamConnection(self), self.host, self.port
                    ),
                    self.connect_timeout,
                )
            except (OSError, TimeoutError) as exc:
                done(None, exc)
                return
            done(proto, None)

        task = self._loop.create_task(open_connection(), name=f"connect {self.host}:{self.port}")
        self._connecting.add(task)
        task.add_done_callback(self._connecting.discard)

    def close_idle(self) -> None:
        for conn in list(self.idle):
            conn.close()
        self.idle.clear()

    def cancel_connecting(self) -> None:
        for task in list(self._connecting):
            task.cancel()
