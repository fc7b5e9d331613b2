"""The sidecar's data plane against HAProxy, on one core each, in one run.

A plain script, not a test: `python tests/perf/bench_dataplane.py [--duration 10]`. It starts
nginx (the upstream, a fixed 100-byte body), HAProxy 2.6 and mesh-proxy sidecars on free loopback
ports, measures throughput and CPU per request under wrk, latency at light paced load, the latency
the full mesh path (outbound sidecar -> inbound sidecar) adds next to what two HAProxies in a row
add on the same path, and a fresh sidecar's idle RSS;
then prints the figures side by side and, last, one JSON line. The proxies run on core 0; wrk,
nginx and this script's own client on core 1. Any non-2xx response or socket error fails the run
(exit 1); missing tools exit 2. Every process it starts is killed at the end, whatever happened.

With `--native build/native` (`make bench-dataplane` passes it) the sidecar measured is the
native build (setup.py), the one the container image ships, and the Python build runs beside it
in the same run under the keys `python_*`. Paced loads take turns between their targets in short
slices, so the machine's noise falls on both sides of each comparison alike.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import sys
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any, NoReturn

from _paced import paced_side_by_side
from _procs import BenchError, ProcessGroup, rss_mb
from _report import Measurements, print_figures
from _servers import BODY, SERVICE, start_haproxy, start_nginx, start_sidecar
from _wrk import saturate

PROXY_CORE = 0
CLIENT_CORE = 1
DEFAULT_NATIVE = Path(__file__).resolve().parents[2] / "build" / "native"
TOOLS = {"wrk": "wrk", "haproxy": "haproxy", "nginx": "nginx-light", "taskset": "util-linux"}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of each wrk run")
    parser.add_argument("--light-rate", type=float, default=400.0, help="paced requests/s")
    parser.add_argument("--light-seconds", type=float, default=5.0)
    parser.add_argument("--mesh-rate", type=float, default=1000.0, help="paced requests/s")
    parser.add_argument("--mesh-seconds", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=8, help="paced client connections")
    parser.add_argument(
        "--native",
        type=Path,
        metavar="DIR",
        help="the sidecar's native build (make native), measured as the sidecar with the Python "
        "build beside it; default: build/native when it exists, else only the Python build runs",
    )
    args = parser.parse_args()
    if args.native is None and (DEFAULT_NATIVE / "proxy").is_dir():
        args.native = DEFAULT_NATIVE
    elif args.native is None:
        log(f"no native build in {DEFAULT_NATIVE} (make native): measuring the Python build only")
    elif not (args.native / "proxy").is_dir():
        parser.error(f"--native {args.native}: no build there (make native)")
    return args


def check_machine() -> None:
    # Debian puts haproxy and nginx in /usr/sbin, which a non-root PATH often lacks.
    os.environ["PATH"] = os.environ.get("PATH", "") + ":/usr/sbin:/sbin"
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        packages = " ".join(sorted({TOOLS[tool] for tool in missing}))
        print(f"missing: {', '.join(missing)}; install with:", file=sys.stderr)
        print(f"    sudo apt-get install {packages}", file=sys.stderr)
        sys.exit(2)
    if not {PROXY_CORE, CLIENT_CORE} <= os.sched_getaffinity(0):
        print(f"needs cores {PROXY_CORE} and {CLIENT_CORE} available", file=sys.stderr)
        sys.exit(2)


def check_answers(port: int, name: str) -> None:
    """One request through `port` must reach nginx and come back whole, or nothing else counts."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", "/", headers={"Host": SERVICE})
        resp = conn.getresponse()
        body = resp.read().decode(errors="replace")
    except (OSError, http.client.HTTPException) as exc:
        raise BenchError(f"{name}: GET / failed: {exc!r}") from exc
    finally:
        conn.close()
    if resp.status != 200 or body != BODY:
        raise BenchError(f"{name}: expected 200 with nginx's body, got {resp.status} {body!r}")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def measure(args: argparse.Namespace, group: ProcessGroup) -> Measurements:
    nginx = start_nginx(group, core=CLIENT_CORE)
    check_answers(nginx.port, "nginx")
    start = partial(start_sidecar, group, core=PROXY_CORE)
    sidecar = start(
        name="sidecar", service="client", endpoint_port=nginx.port, app_port=None, build=args.native
    )
    time.sleep(1.0)  # idle, as a fresh sidecar waits for its first request
    idle_rss = rss_mb(sidecar.server.pid)
    python = None
    if args.native is not None:  # the Python build beside it, for comparison
        python = start(name="python", service="client", endpoint_port=nginx.port, app_port=None)
        check_answers(python.outbound, "python sidecar")
    haproxy, haproxy_port = start_haproxy(group, nginx.port, core=PROXY_CORE)
    check_answers(haproxy_port, "haproxy")
    check_answers(sidecar.outbound, "sidecar")

    log(f"wrk -t1 -c32 -d{args.duration}s, each proxy alone on core {PROXY_CORE} ...")
    wrk = partial(
        saturate,
        seconds=args.duration,
        proxy_core=PROXY_CORE,
        client_core=CLIENT_CORE,
        host=SERVICE,
        upstream_accepts=nginx.accepted,
    )
    wrk_haproxy = wrk(haproxy, haproxy_port)
    wrk_sidecar = wrk(sidecar.server, sidecar.outbound)
    wrk_python = None if python is None else wrk(python.server, python.outbound)

    log(f"paced {args.light_rate:.0f} req/s for {args.light_seconds}s each, in turns ...")
    targets = {"haproxy": haproxy_port, "sidecar": sidecar.outbound}
    if python is not None:
        targets["python"] = python.outbound
    light = paced_side_by_side(
        targets,
        rate=args.light_rate,
        seconds=args.light_seconds,
        connections=args.connections,
        host=SERVICE,
    )

    # The full path: an outbound sidecar whose endpoint is another sidecar's inbound listener.
    inbound = start(
        name="mesh-in",
        service=SERVICE,
        endpoint_port=nginx.port,
        app_port=nginx.port,
        build=args.native,
    )
    outbound = start(
        name="mesh-out",
        service="web",
        endpoint_port=inbound.inbound,
        app_port=None,
        build=args.native,
    )
    check_answers(outbound.outbound, "mesh path")
    # The reference for the same path: two HAProxies in a row, on the sidecars' core.
    chain_in_server, chain_in = start_haproxy(group, nginx.port, core=PROXY_CORE, name="haproxy-in")
    chain_out_server, chain_out = start_haproxy(
        group, chain_in, core=PROXY_CORE, name="haproxy-out"
    )
    check_answers(chain_out, "haproxy chain")
    log(f"paced {args.mesh_rate:.0f} req/s for {args.mesh_seconds}s each: direct, mesh, chain ...")
    mesh = paced_side_by_side(
        {"direct": nginx.port, "mesh": outbound.outbound, "chain": chain_out},
        rate=args.mesh_rate,
        seconds=args.mesh_seconds,
        connections=args.connections,
        host=SERVICE,
        cpu_of={
            "mesh": [outbound.server.pid, inbound.server.pid],
            "chain": [chain_out_server.pid, chain_in_server.pid],
        },
    )
    return Measurements(
        wrk_sidecar,
        wrk_haproxy,
        light["sidecar"],
        light["haproxy"],
        mesh["mesh"],
        mesh["direct"],
        mesh["chain"],
        idle_rss,
        build="python" if args.native is None else "native",
        wrk_python=wrk_python,
        light_python=light.get("python"),
    )


def _terminated(signum: int, _frame: object) -> NoReturn:
    raise SystemExit(128 + signum)  # unwinds through the finally that stops every server


def main() -> int:
    args = parse_args()
    check_machine()
    signal.signal(signal.SIGTERM, _terminated)
    os.sched_setaffinity(0, {CLIENT_CORE})  # the paced client must not steal the proxies' core
    with tempfile.TemporaryDirectory(prefix="bench-dataplane-") as tmp:
        group = ProcessGroup(Path(tmp))
        try:
            measured = measure(args, group)
        except BenchError as exc:
            log(f"benchmark failed: {exc}")
            return 1
        except KeyboardInterrupt:
            log("interrupted; stopping every server it started")
            return 130
        finally:
            group.stop_all()
    figures = measured.figures()
    failures, warnings = measured.problems()
    print_figures(
        figures, build=measured.build, light_rate=args.light_rate, mesh_rate=args.mesh_rate
    )
    for failure in failures:
        print(f"FAILED: {failure}")
    for warning in warnings:
        print(f"warning: {warning}")
    report: dict[str, Any] = {**figures, "sidecar_build": measured.build}
    report.update(duration_s=args.duration, ok=not failures)
    report.update(failures=failures, warnings=warnings)
    print(json.dumps(report))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
