"""A bounded load generator for end-to-end tests: keep-alive HTTP through a sidecar, counting
where each request went and how it ended."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field

import aiohttp

REQUEST_TIMEOUT_S = 10.0


@dataclass
class LoadResult:
    statuses: Counter[int] = field(default_factory=Counter)
    served_by: Counter[str] = field(default_factory=Counter)
    mesh_errors: Counter[str] = field(default_factory=Counter)
    client_errors: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.statuses.values()) + sum(self.client_errors.values())

    @property
    def failed(self) -> int:
        bad = sum(n for code, n in self.statuses.items() if code >= 500)
        return bad + sum(self.client_errors.values())

    def share(self, name: str) -> float:
        return self.served_by[name] / max(1, sum(self.served_by.values()))


async def drive(
    url: str,
    *,
    host: str,
    path: str = "/",
    requests: int | None = None,
    duration: float | None = None,
    concurrency: int = 8,
    stop: asyncio.Event | None = None,
) -> LoadResult:
    """Send requests with `concurrency` workers until `requests` are done, `duration` seconds
    have passed or `stop` is set (at least one bound is required)."""
    if requests is None and duration is None and stop is None:
        raise ValueError("drive() needs a bound: requests, duration or stop")
    result = LoadResult()
    deadline = time.monotonic() + duration if duration is not None else float("inf")
    remaining = [requests if requests is not None else -1]

    def more() -> bool:
        if stop is not None and stop.is_set():
            return False
        if time.monotonic() >= deadline:
            return False
        if remaining[0] == 0:
            return False
        if remaining[0] > 0:
            remaining[0] -= 1
        return True

    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:

        async def worker() -> None:
            while more():
                try:
                    async with session.get(url + path, headers={"Host": host}) as resp:
                        await resp.read()
                        result.statuses[resp.status] += 1
                        result.served_by[resp.headers.get("x-served-by", "")] += 1
                        if "x-mesh-error" in resp.headers:
                            result.mesh_errors[resp.headers["x-mesh-error"]] += 1
                except (aiohttp.ClientError, TimeoutError) as exc:
                    result.client_errors[type(exc).__name__] += 1

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return result
