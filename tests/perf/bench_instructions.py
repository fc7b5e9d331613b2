"""User-space instructions per request of the sidecar, Python build against native build.

A plain script, not a test: `python tests/perf/bench_instructions.py [--native build/native]`
(`make bench-instructions`). On a shared machine wall-clock figures move by a fifth between two
10-second runs; instructions counted by valgrind's callgrind do not move at all, so this is the
figure to compare builds (or a change to the hot path) by. Kernel work (the syscalls, about half
of a request's CPU) is not counted.

Each build's sidecar runs under callgrind beside an nginx upstream; after a warm-up of WARM_UP
requests the counters are dumped, REQUESTS keep-alive requests are sent one after the other,
and the counters are dumped again: that dump divided by REQUESTS is the figure. Prints a table
and, last, one JSON line. Needs valgrind and nginx (exit 2 when missing).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _procs import BenchError, ProcessGroup, wait_http_ok
from _servers import (
    MESH_PROXY,
    SERVICE,
    build_env,
    check_build,
    start_nginx,
    write_sidecar_config,
)

WARM_UP = 300
REQUESTS = 2000
READY_TIMEOUT_S = 120.0
"""A sidecar starts some 50 times slower under callgrind."""
REPO = Path(__file__).resolve().parents[2]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--native", type=Path, default=REPO / "build" / "native", metavar="DIR")
    args = parser.parse_args()
    if not (args.native / "proxy").is_dir():
        parser.error(f"--native {args.native}: no build there (make native)")
    return args


def send(port: int, count: int) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        for _ in range(count):
            conn.request("GET", "/", headers={"Host": SERVICE})
            resp = conn.getresponse()
            resp.read()
            if resp.status != 200:
                raise BenchError(f"sidecar answered {resp.status}")
    finally:
        conn.close()


def dump(pid: int, out: Path) -> int:
    """Dump callgrind's counters (which zeroes them) and return the instructions of that dump."""
    before = set(out.parent.glob(f"{out.name}.*"))
    subprocess.run(["callgrind_control", "--dump", str(pid)], capture_output=True, check=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        new = set(out.parent.glob(f"{out.name}.*")) - before
        if new:
            time.sleep(0.5)  # written by now; read it whole
            text = new.pop().read_text()
            found = re.search(r"^(?:summary|totals): (\d+)", text, re.M)
            if found is None:
                raise BenchError("a callgrind dump without totals")
            return int(found.group(1))
        time.sleep(0.2)
    raise BenchError("callgrind did not dump its counters")


def instructions_per_request(group: ProcessGroup, nginx_port: int, build: Path | None) -> float:
    name = "native" if build is not None else "python"
    config = write_sidecar_config(
        group.workdir, name=name, service="client", endpoint_port=nginx_port, app_port=None
    )
    out = group.workdir / f"callgrind-{name}"
    callgrind = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}.%p"]
    command = [*callgrind, str(MESH_PROXY), "--config", str(config.path)]
    server = group.start(name, command, core=0, env=build_env(build))
    try:
        ready = f"http://127.0.0.1:{config.metrics}/ready"
        wait_http_ok(ready, server, timeout=READY_TIMEOUT_S)
        check_build(name, server.log_tail(), build)
        send(config.outbound, WARM_UP)
        dump(server.pid, out)
        send(config.outbound, REQUESTS)
        return dump(server.pid, out) / REQUESTS
    finally:
        server.stop()


def main() -> int:
    args = parse_args()
    os.environ["PATH"] = os.environ.get("PATH", "") + ":/usr/sbin:/sbin"
    missing = [
        tool for tool in ("valgrind", "callgrind_control", "nginx") if not shutil.which(tool)
    ]
    if missing:
        print(
            f"missing: {', '.join(missing)}; install with: sudo apt-get install valgrind "
            "nginx-light",
            file=sys.stderr,
        )
        return 2
    with tempfile.TemporaryDirectory(prefix="bench-instructions-") as tmp:
        group = ProcessGroup(Path(tmp))
        try:
            nginx = start_nginx(group, core=1)
            python = instructions_per_request(group, nginx.port, None)
            native = instructions_per_request(group, nginx.port, args.native)
        except BenchError as exc:
            print(f"benchmark failed: {exc}", file=sys.stderr)
            return 1
        finally:
            group.stop_all()
    print(f"user-space instructions per request (callgrind, {REQUESTS} keep-alive requests)")
    print(f"  python build  {python:12,.0f}")
    print(f"  native build  {native:12,.0f}   ({native / python:.2f} of python's)")
    report = {
        "python_instructions_per_req": round(python),
        "native_instructions_per_req": round(native),
        "native_vs_python": round(native / python, 4),
    }
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
