"""Two TCP connections spliced together: bytes flow both ways with back-pressure, and the edge
records connections, bytes and duration.

Between sidecars the outbound side first sends one line, `MESH-PEER <peer>\\n`, so the inbound
side knows who calls (HTTP carries the same in the x-mesh-peer header).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import cast

from proxy.telemetry import TcpEdge

PEER_PREAMBLE = b"MESH-PEER "
MAX_PREAMBLE = 512


class PipeEnd(asyncio.Protocol):
    """One side of a splice. `to_peer` counts the bytes this side receives into the edge."""

    def __init__(self, on_bytes: Callable[[int], None]) -> None:
        self.transport: asyncio.Transport | None = None
        self.other: PipeEnd | None = None
        self.pending: list[bytes] = []
        self.on_bytes = on_bytes
        self.on_closed: Callable[[], None] | None = None
        self.closed = False
        self.eof_pending = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's are not subclasses

    def link(self, other: PipeEnd) -> None:
        self.other = other
        if self.pending:
            data = b"".join(self.pending)
            self.pending = []
            self.forward(data)
        if self.eof_pending:
            self.eof_received()

    def data_received(self, data: bytes) -> None:
        if self.other is None:
            self.pending.append(data)
            return
        self.forward(data)

    def forward(self, data: bytes) -> None:
        self.on_bytes(len(data))
        other = self.other
        if other is not None and other.transport is not None:
            other.transport.write(data)

    def eof_received(self) -> bool:
        other = self.other
        if other is None:  # the far side is still connecting: pass the half-close on later
            self.eof_pending = True
            return True
        if other is not None and other.transport is not None and other.transport.can_write_eof():
            other.transport.write_eof()
            return True  # keep our side open for the answer (half-close)
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.transport = None
        other = self.other
        if other is not None and other.transport is not None:
            other.transport.close()
        if self.on_closed is not None:
            self.on_closed()
            self.on_closed = None

    def pause_writing(self) -> None:
        other = self.other
        if other is not None and other.transport is not None:
            other.transport.pause_reading()

    def resume_writing(self) -> None:
        other = self.other
        if other is not None and other.transport is not None:
            other.transport.resume_reading()

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()

    def splice_to(
        self,
        loop: asyncio.AbstractEventLoop,
        address: tuple[str, int],
        edge: TcpEdge,
        timeout: float,
        tasks: set[asyncio.Task[None]],
        *,
        preamble: bytes = b"",
    ) -> None:
        """Connect to `address` (in a task kept in `tasks`) and splice it to this end; bytes
        coming back count as `edge`'s sent bytes. A failed connect closes this end."""

        async def connect() -> None:
            upstream = PipeEnd(edge.add_sent)
            try:
                await asyncio.wait_for(loop.create_connection(lambda: upstream, *address), timeout)
            except (OSError, TimeoutError):
                self.close()
                return
            if self.closed or upstream.transport is None:
                upstream.close()
                return
            if preamble:
                upstream.transport.write(preamble)
            upstream.link(self)
            self.link(upstream)

        task = loop.create_task(connect(), name=f"tcp connect {address[0]}:{address[1]}")
        tasks.add(task)
        task.add_done_callback(tasks.discard)


def track_connection(edge: TcpEdge, loop: asyncio.AbstractEventLoop) -> Callable[[], None]:
    """Counts a connection open now; the returned callable closes it (once, whichever end)."""
    edge.connection_opened()
    started = loop.time()
    done = False

    def closed() -> None:
        nonlocal done
        if not done:
            done = True
            edge.connection_closed((loop.time() - started) * 1000.0)

    return closed
