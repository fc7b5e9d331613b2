"""Connections to upstreams (the next sidecar, or the local app) and a keep-alive pool per endpoint.

An `UpstreamConnection` carries one exchange at a time. Response bytes are forwarded raw: the
parser only watches them to learn the status (so a retryable answer can be held back) and where
the response ends (so the connection can be reused).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

import httptools

from proxy.http.wire import HOP_BY_HOP

if TYPE_CHECKING:
    from proxy.http.exchange import Exchange


_HOP_BY_HOP_MARKERS = tuple(b"\n" + name + b":" for name in HOP_BY_HOP if name != b"connection")


def has_hop_by_hop(raw: bytes) -> bool:
    """Whether a response head carries hop-by-hop headers that must not be forwarded. A scan of
    the raw bytes (in C) instead of a Python callback per header; `Connection: keep-alive`, which
    nginx sends on every response, is harmless to pass on and keeps the fast path."""
    head = raw[: raw.find(b"\r\n\r\n")].lower()
    at = head.find(b"\nconnection:")
    if at >= 0:
        value_end = head.find(b"\r", at + 13)
        if head[at + 13 : value_end if value_end >= 0 else None].strip() != b"keep-alive":
            return True
    return any(marker in head for marker in _HOP_BY_HOP_MARKERS)


class UpstreamConnection(asyncio.Protocol):
    __slots__ = (
        "_buf",
        "_head_done",
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
        self._reset()

    def _reset(self) -> None:
        self._buf: list[bytes] = []
        self._interim = False
        self._status = 0
        self._head_done = False
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
            self._feed(data)
        else:
            self._buf.append(data)
            self._feed(data)
            if self.transport is None or self.exchange is not exchange:
                return  # feeding failed and closed us
            if self._interim:
                self._drop_interim_heads()
            if self._status and self._head_done:
                self._on_head_ready(exchange)
        if self.complete and self.exchange is exchange:
            exchange.on_response_complete(self)

    def _feed(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError:
            exchange = self.exchange
            self.close()
            if exchange is not None:
                exchange.on_upstream_failed(self, protocol_error=True)

    def _drop_interim_heads(self) -> None:
        raw = b"".join(self._buf)
        while raw.startswith(b"HTTP/1.") and raw[9:10] == b"1" and raw[9:12] != b"101":
            end = raw.find(b"\r\n\r\n")
            if end < 0:
                break
            raw = raw[end + 4 :]
        self._buf = [raw] if raw else []
        self._interim = False

    def _on_head_ready(self, exchange: Exchange) -> None:
        if not exchange.on_response_head(self, self._status):
            return  # held back for a retry; the exchange closed or released us
        self.forwarding = True
        raw = b"".join(self._buf)
        self._buf = []
        if has_hop_by_hop(raw):
            raw = self._rewrite_head(raw)
        exchange.write_down(raw)

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
        self._head_done = True
        exchange = self.exchange
        if exchange is not None and exchange.is_head:
            # llhttp cannot be told that a HEAD response has no body; end it here and do not
            # reuse the connection, whose parser now expects a body.
            self.complete = True
            self.keep_alive = False

    def on_message_complete(self) -> None:
        if 100 <= self._status < 200 and self._status != 101:
            # An interim response: the real one follows on this connection. Its bytes are cut
            # from the buffer once feeding returns (the same chunk may hold the real response).
            self._status = 0
            self._head_done = False
            self._interim = True
            return
        # Asked here, not after feed_data returns: by then llhttp has reset the message's flags
        # and answers False for every response, which closed each connection after one use.
        self.keep_alive = self.keep_alive and self.parser.should_keep_alive()
        self.complete = True

    # -- used by the exchange and the pool ---------------------------------------------------
    def send(self, exchange: Exchange, data: bytes) -> None:
        self.exchange = exchange
        self._reset()
        assert self.transport is not None
        self.transport.write(data)

    def write(self, data: bytes) -> None:
        if self.transport is not None:
            self.transport.write(data)

    def release(self) -> None:
        """The exchange is done with us: back to the pool, or closed if not reusable."""
        self.exchange = None
        if self.keep_alive and self.complete and self.transport is not None:
            self.reused = True
            self.pool.put_back(self)
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

    __slots__ = ("_connecting", "_idle", "_loop", "connect_timeout", "host", "port")

    def __init__(
        self, loop: asyncio.AbstractEventLoop, host: str, port: int, connect_timeout: float
    ) -> None:
        self._loop = loop
        self.host = host
        self.port = port
        self.connect_timeout = connect_timeout
        self._idle: list[UpstreamConnection] = []
        self._connecting: set[asyncio.Task[None]] = set()

    def take_idle(self) -> UpstreamConnection | None:
        idle = self._idle
        while idle:
            conn = idle.pop()
            if conn.transport is not None and not conn.transport.is_closing():
                return conn
        return None

    def put_back(self, conn: UpstreamConnection) -> None:
        self._idle.append(conn)

    def forget(self, conn: UpstreamConnection) -> None:
        with contextlib.suppress(ValueError):
            self._idle.remove(conn)

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
        for conn in list(self._idle):
            conn.close()
        self._idle.clear()

    def cancel_connecting(self) -> None:
        for task in list(self._connecting):
            task.cancel()
