"""Saturating load with wrk against one proxy, and the proxy's CPU time per request over the run."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass

from _procs import BenchError, ServerProcess, cpu_seconds

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
    cpu_s: float
    duration_s: float
    output: str

    @property
    def cpu_us_per_req(self) -> float:
        return self.cpu_s / self.requests * 1e6 if self.requests else float("nan")

    @property
    def cpu_share(self) -> float:
        """The proxy's share of its core over the run: below ~0.95 it was not the bottleneck."""
        return self.cpu_s / self.duration_s if self.duration_s else float("nan")

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


def _parse(output: str, cpu_s: float) -> WrkRun:
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
        cpu_s=cpu_s,
        duration_s=float(total.group(2)) * _UNIT_MS[total.group(3)] / 1000,
        output=output,
    )


def saturate(
    proxy: ServerProcess,
    port: int,
    seconds: int,
    *,
    core: int,
    connections: int = 32,
    host: str,
    warmup_s: int = 1,
) -> WrkRun:
    """wrk at full speed against `port` after an unmeasured warm-up; the proxy's utime+stime
    is read just before and just after the measured run."""
    _wrk(port, warmup_s, core=core, connections=connections, host=host)
    proxy.check_alive()
    before = cpu_seconds(proxy.pid)
    output = _wrk(port, seconds, core=core, connections=connections, host=host)
    after = cpu_seconds(proxy.pid)
    proxy.check_alive()
    return _parse(output, after - before)
