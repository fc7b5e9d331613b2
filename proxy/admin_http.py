"""The sidecar's small HTTP admin listener: `GET /metrics` (Prometheus text, Istio's names),
`/ready` (503 while starting or draining) and `/live`. Built on httptools like the data plane,
so the sidecar does not pay aiohttp's ~16 MB of import for three read-only routes."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import cast

import httptools

from proxy.http.wire import simple_response

CONTENT_TYPE_TEXT = b"text/plain; version=0.0.4; charset=utf-8"


def _response(status: int, body: bytes, content_type: bytes, close: bool) -> bytes:
    reason = {
        200: b"OK",
        404: b"Not Found",
        405: b"Method Not Allowed",
        503: b"Service Unavailable",
    }
    head = b"HTTP/1.1 %d %s\r\ncontent-type: %s\r\ncontent-length: %d\r\n%s\r\n" % (
        status,
        reason.get(status, b"Error"),
        content_type,
        len(body),
        b"connection: close\r\n" if close else b"",
    )
    return head + body


class AdminHttpProtocol(asyncio.Protocol):
    def __init__(
        self, render_metrics: Callable[[], str], readiness: Callable[[], tuple[bool, str]]
    ):
        self._render_metrics = render_metrics
        self._readiness = readiness
        self._parser = httptools.HttpRequestParser(self)
        self._transport: asyncio.Transport | None = None
        self._url = b""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.Transport, transport)  # uvloop's are not subclasses

    def data_received(self, data: bytes) -> None:
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError:
            if self._transport is not None:
                self._transport.write(simple_response(400, b"bad request\n", close=True))
                self._transport.close()

    def on_message_begin(self) -> None:
        self._url = b""

    def on_url(self, url: bytes) -> None:
        self._url += url

    def on_message_complete(self) -> None:
        if self._transport is None:
            return
        close = not self._parser.should_keep_alive()
        self._transport.write(self._answer(self._parser.get_method(), close))
        if close:
            self._transport.close()

    def _answer(self, method: bytes, close: bool) -> bytes:
        path = self._url.split(b"?", 1)[0]
        if method not in (b"GET", b"HEAD"):
            return _response(405, b"only GET\n", b"text/plain", close)
        if path == b"/metrics":
            return _response(200, self._render_metrics().encode(), CONTENT_TYPE_TEXT, close)
        if path == b"/ready":
            ready, why = self._readiness()
            return _response(200 if ready else 503, why.encode() + b"\n", b"text/plain", close)
        if path == b"/live":
            return _response(200, b"live\n", b"text/plain", close)
        return _response(404, b"not found: try /metrics, /ready or /live\n", b"text/plain", close)

    def connection_lost(self, exc: Exception | None) -> None:
        self._transport = None
