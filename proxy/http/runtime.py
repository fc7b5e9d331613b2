"""What every connection of one sidecar shares: the loop, the timer wheel, connection pools,
randomness, limits and the current routing table's hooks."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from typing import TYPE_CHECKING

from proxy.http.timers import TimerWheel
from proxy.http.upstream import ConnectionPool
from proxy.http.wire import MESH_ERROR_RESPONSES, MeshError

if TYPE_CHECKING:
    from proxy.policy.endpoint import EndpointState
    from proxy.routing import Destination


class ProxyRuntime:
    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        *,
        connect_timeout: float,
        retry_buffer_bytes: int,
        max_header_bytes: int,
        header_timeout: float,
        idle_timeout: float,
        on_ejected: Callable[[Destination, EndpointState], None] | None = None,
    ) -> None:
        self.loop = loop
        self.clock = loop.time
        self.timers = TimerWheel(loop)
        self.random_gen = random.Random()
        self.random = self.random_gen.random
        self.connect_timeout = connect_timeout
        self.retry_buffer_bytes = retry_buffer_bytes
        self.max_header_bytes = max_header_bytes
        self.header_timeout = header_timeout
        self.idle_timeout = idle_timeout
        self.draining = False
        self._pools: dict[tuple[str, int], ConnectionPool] = {}
        self._on_ejected = on_ejected

    def pool_for(self, host: str, port: int) -> ConnectionPool:
        pool = self._pools.get((host, port))
        if pool is None:
            pool = ConnectionPool(self.loop, host, port, self.connect_timeout)
            self._pools[(host, port)] = pool
        return pool

    def error_response(self, error: MeshError, *, close: bool) -> bytes:
        return MESH_ERROR_RESPONSES[(error, close)]

    def on_endpoint_ejected(self, dest: Destination, endpoint: EndpointState) -> None:
        if self._on_ejected is not None:
            self._on_ejected(dest, endpoint)

    def close_pools(self) -> None:
        for pool in self._pools.values():
            pool.cancel_connecting()
            pool.close_idle()
