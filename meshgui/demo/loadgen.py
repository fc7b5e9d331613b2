"""The shop's users: Poisson arrivals at a set rate (default 50 req/s) on `web`, a mix of product
views, cart views and add-to-cart, and the users' own view of how it went.

The users call web's sidecar inbound listener directly, as an ingress would: they are outside the
mesh, so the edge shows as ``unknown -> web`` the way Istio and Kiali show external traffic, and
no sidecar of theirs retries on their behalf — what they count as failed is what a user saw.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import aiohttp

from meshgui.demo.services import SKUS

USER_TIMEOUT_S = 5.0
MAX_IN_FLIGHT = 500
"""Beyond this the shop is not answering; new users are counted as failed, not queued."""


def percentile(ordered: list[float], q: float) -> float:
    """The nearest-rank `q` percentile (0..100) of an ascending list; 0.0 when empty."""
    if not ordered:
        return 0.0
    rank = max(1, -(-len(ordered) * q // 100))  # ceil without floats drifting
    return ordered[min(len(ordered), int(rank)) - 1]


@dataclass(frozen=True)
class LoadReport:
    """Requests finished in a window of time, as the users saw them."""

    seconds: float
    requests: int
    ok: int
    p50_ms: float
    p99_ms: float
    failures: dict[str, int] = field(default_factory=dict)
    """Failed requests by outcome: a status code, ``timeout``, ``connection``, ``shed``."""

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds > 0 else 0.0

    @property
    def success_percent(self) -> float:
        return 100.0 * self.ok / self.requests if self.requests else 100.0


class LoadStats:
    """Outcomes of the users' requests, reported per window and for the whole run."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._started = self._window_started = clock()
        self._window: list[float] = []
        self._window_ok = 0
        self._window_failures: Counter[str] = Counter()
        self._all: list[float] = []
        self._all_ok = 0
        self._all_failures: Counter[str] = Counter()

    def record(self, outcome: str, ms: float) -> None:
        """One finished request: `outcome` is ``ok`` or the failure's kind."""
        self._window.append(ms)
        if outcome == "ok":
            self._window_ok += 1
        else:
            self._window_failures[outcome] += 1

    def take_window(self) -> LoadReport:
        """The report since the last call, and a fresh window."""
        now = self._clock()
        report = _report(
            now - self._window_started, self._window, self._window_ok, self._window_failures
        )
        self._all.extend(self._window)
        self._all_ok += self._window_ok
        self._all_failures.update(self._window_failures)
        self._window, self._window_ok, self._window_failures = [], 0, Counter()
        self._window_started = now
        return report

    def whole_run(self) -> LoadReport:
        """The report since the start, the open window included."""
        latencies = self._all + self._window
        failures = self._all_failures + self._window_failures
        ok = self._all_ok + self._window_ok
        return _report(self._clock() - self._started, latencies, ok, failures)


def _report(seconds: float, latencies: list[float], ok: int, failures: Counter[str]) -> LoadReport:
    ordered = sorted(latencies)
    return LoadReport(
        seconds,
        len(ordered),
        ok,
        percentile(ordered, 50),
        percentile(ordered, 99),
        dict(failures),
    )


class LoadGenerator:
    """Sends users' requests to `base_url` at `rate` per second until stopped."""

    def __init__(
        self, base_url: str, rate: float, rng: random.Random, stats: LoadStats, users: int = 100
    ) -> None:
        self.base_url = base_url
        self.rate = rate
        self.stats = stats
        self._rng = rng
        self._users = users
        self._in_flight: set[asyncio.Task[None]] = set()

    def next_request(self) -> tuple[str, str]:
        """(method, path) of the next user action: mostly product pages, some carts."""
        rng = self._rng
        user = f"u-{rng.randrange(self._users)}"
        sku = f"sku-{int(SKUS * rng.random() ** 2)}"  # popular products are viewed more
        roll = rng.random()
        if roll < 0.7:
            return "GET", f"/product/{sku}?user={user}"
        if roll < 0.9:
            return "GET", f"/cart/{user}"
        return "POST", f"/cart/{user}/items?sku={sku}"

    async def run(self, stop: asyncio.Event) -> None:
        loop = asyncio.get_running_loop()
        timeout = aiohttp.ClientTimeout(total=USER_TIMEOUT_S)
        connector = aiohttp.TCPConnector(limit=MAX_IN_FLIGHT)
        async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
            next_at = loop.time()
            while not stop.is_set():
                next_at += self._rng.expovariate(self.rate)
                now = loop.time()
                if next_at < now - 1.0:  # the loop was stalled: do not make up for it in a burst
                    next_at = now
                if next_at > now:
                    await asyncio.sleep(next_at - now)
                if len(self._in_flight) >= MAX_IN_FLIGHT:
                    self.stats.record("shed", 0.0)
                    continue
                method, path = self.next_request()
                task = loop.create_task(self._one(session, method, path), name=f"user {path}")
                self._in_flight.add(task)
                task.add_done_callback(self._in_flight.discard)
            for task in list(self._in_flight):
                task.cancel()
            await asyncio.gather(*self._in_flight, return_exceptions=True)

    async def _one(self, session: aiohttp.ClientSession, method: str, path: str) -> None:
        loop = asyncio.get_running_loop()
        started = loop.time()
        try:
            async with session.request(method, self.base_url + path) as resp:
                await resp.read()
                outcome = "ok" if resp.status < 400 else str(resp.status)
        except TimeoutError:
            outcome = "timeout"
        except aiohttp.ClientError:
            outcome = "connection"
        self.stats.record(outcome, (loop.time() - started) * 1000.0)
