"""A paced HTTP/1.1 load generator for latency at light load: a fixed request rate spread over a
few keep-alive connections (raw asyncio sockets, httptools to parse), timing each request from
the moment its bytes are written to the moment its response is complete."""

from __future__ import annotations

import asyncio
import math
import time
from dataclasses import dataclass, field

import httptools
from _procs import BenchError, cpu_times

REQUEST_TIMEOUT_S = 5.0
OVERRUN_S = 20.0


@dataclass
class PacedResult:
    latencies_ms: list[float] = field(default_factory=list)
    non_2xx: int = 0
    errors: int = 0
    late_sends: int = 0
    """Requests sent a whole connection period after their slot: the connection was still busy
    with an earlier answer (or the client was starved), so the rate was not kept."""
    cpu_s: float = 0.0
    """CPU seconds (user + system) the watched processes spent meanwhile (`paced_side_by_side`'s
    `cpu_of`), 0 when none were watched."""

    def add(self, other: PacedResult) -> None:
        """Take `other`'s requests in as well (one run made of several slices)."""
        self.latencies_ms += other.latencies_ms
        self.non_2xx += other.non_2xx
        self.errors += other.errors
        self.late_sends += other.late_sends
        self.cpu_s += other.cpu_s

    @property
    def cpu_us_per_req(self) -> float:
        return self.cpu_s / len(self.latencies_ms) * 1e6 if self.latencies_ms else math.nan

    def percentile(self, q: float) -> float:
        """Nearest-rank percentile of the latencies, in ms."""
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        rank = min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))
        return ordered[rank]


class _Connection(asyncio.Protocol):
    """One keep-alive connection carrying one request at a time."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.waiter: asyncio.Future[tuple[float, int]] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._fail(exc)

    def connection_lost(self, exc: Exception | None) -> None:
        self._fail(exc or ConnectionResetError("closed by peer"))

    def on_message_complete(self) -> None:
        # Stamped here, not after the awaiting task resumes, so the loop's wake-up is not counted.
        done = time.perf_counter()
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result((done, self.parser.get_status_code()))

    def _fail(self, exc: BaseException) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(exc)

    async def request(self, data: bytes) -> tuple[float, float, int]:
        """(sent, done, status) of one request, perf_counter seconds."""
        assert self.transport is not None
        self.waiter = asyncio.get_running_loop().create_future()
        sent = time.perf_counter()
        self.transport.write(data)
        done, status = await asyncio.wait_for(self.waiter, REQUEST_TIMEOUT_S)
        return sent, done, status


async def _connect(port: int) -> _Connection:
    loop = asyncio.get_running_loop()
    _, protocol = await asyncio.wait_for(
        loop.create_connection(_Connection, "127.0.0.1", port), REQUEST_TIMEOUT_S
    )
    return protocol


async def _drive(
    port: int,
    data: bytes,
    slots: range,
    *,
    start: float,
    interval: float,
    result: PacedResult,
) -> None:
    period = interval * slots.step
    conn = await _connect(port)
    loop = asyncio.get_running_loop()
    try:
        for slot in slots:
            due = start + slot * interval
            delay = due - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            elif delay < -period:
                result.late_sends += 1
            try:
                sent, done, status = await conn.request(data)
            except (OSError, TimeoutError, httptools.HttpParserError):
                result.errors += 1
                if conn.transport is not None:
                    conn.transport.abort()
                conn = await _connect(port)
                continue
            result.latencies_ms.append((done - sent) * 1000)
            if not 200 <= status < 300:
                result.non_2xx += 1
    finally:
        if conn.transport is not None:
            conn.transport.close()


async def run_paced(
    port: int, *, rate: float, seconds: float, connections: int, host: str
) -> PacedResult:
    """Send `rate` requests/s for `seconds` over `connections` keep-alive connections; request k
    goes out on connection k % connections at start + k / rate."""
    data = f"GET / HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()
    total = int(rate * seconds)
    result = PacedResult()
    start = asyncio.get_running_loop().time() + 0.05
    interval = 1.0 / rate
    try:
        async with asyncio.timeout(seconds + OVERRUN_S), asyncio.TaskGroup() as tasks:
            for index in range(connections):
                slots = range(index, total, connections)
                driver = _drive(port, data, slots, start=start, interval=interval, result=result)
                tasks.create_task(driver, name=f"paced-conn-{index}")
    except TimeoutError:
        raise BenchError(f"paced load on port {port} still running {OVERRUN_S}s late") from None
    return result


def paced_side_by_side(
    ports: dict[str, int],
    *,
    rate: float,
    seconds: float,
    connections: int,
    host: str,
    slices: int = 5,
    cpu_of: dict[str, list[int]] | None = None,
) -> dict[str, PacedResult]:
    """`seconds` of paced load on each target, in `slices` turns taken one target after the other
    (after one unmeasured warm-up each): on a shared machine a burst of someone else's work then
    lands on every target alike instead of on whichever happened to run at that moment.
    `cpu_of`: per target, the pids whose CPU time its load is charged with."""
    cpu_of = cpu_of or {}

    def cpu_now(name: str) -> float:
        return sum(sum(cpu_times(pid)) for pid in cpu_of.get(name, []))

    for port in ports.values():
        asyncio.run(run_paced(port, rate=rate, seconds=0.5, connections=connections, host=host))
    merged = {name: PacedResult() for name in ports}
    for _ in range(slices):
        for name, port in ports.items():
            coro = run_paced(
                port, rate=rate, seconds=seconds / slices, connections=connections, host=host
            )
            before = cpu_now(name)
            result = asyncio.run(coro)
            result.cpu_s = cpu_now(name) - before
            merged[name].add(result)
    return merged
