"""Saturating load with wrk against one proxy, and the proxy's CPU time per request over the run."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from _procs import BenchError, ServerProcess, core_busy_seconds, cpu_times

_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
_TOTAL_RE = re.compile(r"(\d+) requests in ([\d.]+)(us|ms|s|m)")
_RPS_RE = re.compile(r"Requests/sec:\s+([\d.]+)")
_NON_2XX_RE = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_SOCKET_ERRORS_RE = re.compile(
    r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)"
)
_PERCENTILE_RE = re.compile(r"^\s+(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s|m)\s*$", re.MULTILINE)


@dataclass
class WrkRun:
    requests: int
    rps: float
    non_2xx: int
    socket_errors: int
    p50_ms: float
    p99_ms: float
    user_s: float
    sys_s: float
    upstream_connections: int
    """Connections the proxy opened to nginx during the run; 32 at most if it reuses them."""
    proxy_core_busy_s: float
    client_core_busy_s: float
    duration_s: float
    output: str

    @property
    def cpu_s(self) -> float:
        return self.user_s + self.sys_s

    def per_request_us(self, seconds: float) -> float:
        return seconds / self.requests * 1e6 if self.requests else float("nan")

    @property
    def cpu_us_per_req(self) -> float:
        return self.per_request_us(self.cpu_s)

    @property
    def cpu_share(self) -> float:
        """The proxy's share of its core over the run: below ~0.95 it was not the bottleneck."""
        return self.cpu_s / self.duration_s if self.duration_s else float("nan")

    @property
    def upstream_connections_per_1k(self) -> float:
        return self.upstream_connections / self.requests * 1000 if self.requests else float("nan")

    @property
    def others_on_proxy_core(self) -> float:
        """Share of the proxy's core used by anything else (interrupts, other processes)."""
        return (self.proxy_core_busy_s - self.cpu_s) / self.duration_s

    @property
    def client_core_share(self) -> float:
        """How busy wrk + nginx's core was: near 1.0 it, not the proxy, set the pace."""
        return self.client_core_busy_s / self.duration_s

    def problems(self) -> list[str]:
        found = []
        if self.non_2xx:
            found.append(f"{self.non_2xx} non-2xx/3xx responses")
        if self.socket_errors:
            found.append(f"{self.socket_errors} socket errors")
        if not self.requests:
            found.append("no requests completed")
        return found


def _wrk(port: int, seconds: int, *, core: int, connections: int, host: str) -> str:
    args = ["taskset", "-c", str(core), "wrk", "-t1", f"-c{connections}", f"-d{seconds}s"]
    args += ["--latency", "-H", f"Host: {host}", f"http://127.0.0.1:{port}/"]
    # subprocess.run kills wrk on any exception, Ctrl-C included.
    done = subprocess.run(args, capture_output=True, text=True, timeout=seconds + 30, check=False)
    if done.returncode != 0:
        raise BenchError(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout + done.stderr


def _parse(
    output: str, cpu: tuple[float, float], upstream_connections: int, cores: tuple[float, float]
) -> WrkRun:
    total, rps = _TOTAL_RE.search(output), _RPS_RE.search(output)
    if total is None or rps is None:
        raise BenchError(f"cannot read wrk's output:\n{output}")
    non_2xx = _NON_2XX_RE.search(output)
    sock = _SOCKET_ERRORS_RE.search(output)
    percentiles = {
        m.group(1): float(m.group(2)) * _UNIT_MS[m.group(3)]
        for m in _PERCENTILE_RE.finditer(output)
    }
    return WrkRun(
        requests=int(total.group(1)),
        rps=float(rps.group(1)),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(g) for g in sock.groups()) if sock else 0,
        p50_ms=percentiles.get("50", float("nan")),
        p99_ms=percentiles.get("99", float("nan")),
        user_s=cpu[0],
        sys_s=cpu[1],
        upstream_connections=upstream_connections,
        proxy_core_busy_s=cores[0],
        client_core_busy_s=cores[1],
        duration_s=float(total.group(2)) * _UNIT_MS[total.group(3)] / 1000,
        output=output,
    )


def saturate(
    proxy: ServerProcess,
    port: int,
    seconds: int,
    *,
    proxy_core: int,
    client_core: int,
    host: str,
    upstream_accepts: Callable[[], int],
    connections: int = 32,
    warmup_s: int = 1,
) -> WrkRun:
    """wrk at full speed against `port` after an unmeasured warm-up; the proxy's utime+stime,
    both cores' busy time and the upstream's count of accepted connections are read just before
    and just after."""
    run = partial(_wrk, port, core=client_core, connections=connections, host=host)
    run(warmup_s)
    proxy.check_alive()
    accepted = upstream_accepts()
    user, system = cpu_times(proxy.pid)
    proxy_busy, client_busy = core_busy_seconds(proxy_core), core_busy_seconds(client_core)
    output = run(seconds)
    user_after, system_after = cpu_times(proxy.pid)
    proxy_busy = core_busy_seconds(proxy_core) - proxy_busy
    client_busy = core_busy_seconds(client_core) - client_busy
    opened = upstream_accepts() - accepted - 1  # the status request itself is a connection
    proxy.check_alive()
    cpu = (user_after - user, system_after - system)
    return _parse(output, cpu, opened, (proxy_busy, client_busy))
