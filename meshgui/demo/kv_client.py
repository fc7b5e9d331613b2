"""inventory's client of the inventory database: a few kept-open TCP connections to its sidecar's
`tcp_outbound` listener, one request line in flight per connection."""

from __future__ import annotations

import asyncio
import contextlib

from meshgui.demo.kv_protocol import MAX_LINE, KvProtocolError, mget_request, parse_values

REQUEST_TIMEOUT_S = 2.0


class KvUnavailableError(Exception):
    """The database could not be reached or answered nonsense."""


_Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]


class KvClient:
    """Pooled connections to one address; a failed connection is dropped, not reused."""

    def __init__(self, host: str, port: int, max_idle: int = 8) -> None:
        self._host = host
        self._port = port
        self._max_idle = max_idle
        self._idle: list[_Connection] = []

    async def mget(self, keys: list[str]) -> list[int | None]:
        """Stock levels of `keys` (None for an unknown key). Raises KvUnavailableError."""
        conn = self._idle.pop() if self._idle else None
        try:
            if conn is None:
                conn = await asyncio.wait_for(
                    asyncio.open_connection(self._host, self._port, limit=MAX_LINE),
                    REQUEST_TIMEOUT_S,
                )
            reader, writer = conn
            writer.write(mget_request(keys))
            line = await asyncio.wait_for(reader.readuntil(b"\n"), REQUEST_TIMEOUT_S)
            values = parse_values(line, len(keys))
        except (OSError, TimeoutError, asyncio.IncompleteReadError, KvProtocolError) as exc:
            if conn is not None:
                conn[1].close()
            raise KvUnavailableError(f"inventory-db: {exc!r}") from None
        except BaseException:  # cancelled mid-request: the answer would confuse the next user
            if conn is not None:
                conn[1].close()
            raise
        if len(self._idle) < self._max_idle:
            self._idle.append(conn)
        else:
            conn[1].close()
        return values

    async def close(self) -> None:
        idle, self._idle = self._idle, []
        for _, writer in idle:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()
