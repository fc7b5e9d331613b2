"""`mesh-demo` for real: every process of the shop on loopback, traffic on every edge, the flaky
scenario visible in the metrics, scenarios triggered from the command line, and nothing left
running afterwards — not even when mesh-demo itself is SIGKILLed.

One run serves the tests of this module in order (start-up is the expensive part); the last of
them stops it. A second, short run is SIGKILLed.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from meshgui.connection_file import FileToken, load_connection_file
from meshgui.demo.plan import EXPECTED_EDGES
from meshgui.demo.processes import pid_alive
from tests.meshgui.demo.live_demo import (
    GONE_TIMEOUT_S,
    DemoUnderTest,
    alive,
    processes_of_run,
    recorded_pids,
    start_demo,
    stop,
    wait_until,
)
from tests.proxy.telemetry.prom_text import Sample, parse

pytestmark = pytest.mark.e2e

READY_BOUND_S = 10.0
"""The issue's promise: every sidecar ready within this, measured from the start of mesh-demo
to its connection file being written."""
FLAKY_DELAY_S = 3.0
WORKLOAD = {"web": "web", "cart": "cart", "recommendations": "recommendations"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoUnderTest]:
    workdir = tmp_path_factory.mktemp("demo")
    extra = ["--scenario", "flaky-inventory", "--scenario-delay", str(FLAKY_DELAY_S)]
    running = start_demo(workdir, *extra, "--report-every", "1")
    try:
        yield running
    finally:
        stop(running.proc, running.run_id)


def http_series(demo: DemoUnderTest, instance: str, name: str) -> list[Sample]:
    return parse(demo.sidecar(instance)).named(name)


def test_every_sidecar_is_ready_within_ten_seconds(demo: DemoUnderTest) -> None:
    print(f"mesh-demo start to connection file: {demo.startup_s:.1f} s")
    assert demo.startup_s < READY_BOUND_S, demo.output()
    instances = [(e.service, e.instance, e.version) for e in demo.connection.sidecars]
    assert len(instances) == 8 and ("inventory", "inventory-2", "v2") in instances
    for entry in demo.connection.sidecars:
        ready = entry.metrics_url.removesuffix("/metrics") + "/ready"
        with urllib.request.urlopen(ready, timeout=5) as resp:
            assert resp.status == 200, entry.instance


def test_the_table_and_the_paths_are_printed_but_no_token(demo: DemoUnderTest) -> None:
    out = demo.output()
    assert f"connection file: {demo.connection_path}" in out
    for entry in demo.connection.sidecars:
        assert entry.instance in out and entry.admin in out
    for entry in demo.connection.sidecars:
        assert isinstance(entry.token, FileToken)  # no keyring in this test's environment
        token = entry.token.path.read_text()
        assert token not in out
        assert demo.connection.demo is not None
        for log in demo.connection.demo.run_dir.iterdir():
            assert token not in log.read_text(errors="replace"), log


def test_traffic_flows_on_every_expected_edge(demo: DemoUnderTest) -> None:
    def missing() -> list[tuple[str, str]]:
        gaps = []
        for caller, callee in EXPECTED_EDGES:
            instances = [e.instance for e in demo.connection.sidecars if e.service == caller]
            if callee == "inventory-db":
                samples = [
                    s
                    for inst in instances
                    for s in http_series(demo, inst, "istio_tcp_sent_bytes_total")
                ]
                workloads = {"inventory-v1", "inventory-v2"}
            else:
                samples = [
                    s for inst in instances for s in http_series(demo, inst, "istio_requests_total")
                ]
                workloads = {WORKLOAD[caller]}
            if not any(
                s.labels["reporter"] == "source"
                and s.labels["source_workload"] in workloads
                and s.labels["destination_service_name"] == callee
                and s.value > 0
                for s in samples
            ):
                gaps.append((caller, callee))
        return gaps

    wait_until(lambda: not missing(), 20, f"no traffic on {missing()}")
    users = http_series(demo, "web-1", "istio_requests_total")
    assert any(
        s.labels["reporter"] == "destination" and s.labels["source_workload"] == "unknown"
        for s in users
    ), "the users come in as an ingress would: unknown -> web"
    wait_until(lambda: "% ok, p50" in demo.output(), 10, "the users never reported")


def test_flaky_inventory_shows_as_errors_on_the_inventory_edges(demo: DemoUnderTest) -> None:
    def failing_callers() -> set[str]:
        return {
            s.labels["source_workload"]
            for s in http_series(demo, "inventory-1", "istio_requests_total")
            if s.labels["reporter"] == "destination"
            and s.labels["response_code"] == "503"
            and s.value > 0
        }

    wait_until(
        lambda: failing_callers() >= {"web", "cart", "recommendations"},
        20,
        f"503s on inventory-1 only from {failing_callers()}",
    )
    retried = http_series(demo, "web-1", "mesh_request_retries_total")
    assert any(s.labels["destination_service_name"] == "inventory" for s in retried)
    assert "scenario flaky-inventory: inventory-1" in demo.output()


def run_trigger(demo: DemoUnderTest, name: str) -> str:
    command = [sys.executable, "-m", "meshgui.demo", "trigger", name]
    command += ["--connection-file", str(demo.connection_path)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_scenarios_are_triggered_from_the_command_line(demo: DemoUnderTest) -> None:
    assert "10x slower" in run_trigger(demo, "latency-spike")
    (victim,) = [e for e in demo.connection.sidecars if e.instance == "inventory-2"]
    assert victim.app_pid is not None
    assert "inventory-2" in run_trigger(demo, "outage")
    wait_until(lambda: not pid_alive(victim.app_pid or 0), 5, "inventory-2's app still runs")

    def connect_failures() -> float:
        return sum(
            s.value
            for s in http_series(demo, "inventory-2", "istio_requests_total")
            if s.labels["response_flags"] == "UF"
        )

    wait_until(lambda: connect_failures() > 0, 10, "inventory-2's sidecar saw no dead app")
    assert "restarted inventory-2" in run_trigger(demo, "reset")
    restarted = load_connection_file(demo.connection_path)
    (again,) = [e for e in restarted.sidecars if e.instance == "inventory-2"]
    assert again.app_pid != victim.app_pid and pid_alive(again.app_pid or 0)
    demo.connection = restarted


# -- admin API (issue 4) -------------------------------------------------------------------------
# The checks through the admin API itself (GetInfo with the token from the connection file, the
# same edges in WatchStats) belong here once its client is final; until then: it listens.


def test_admin_api_listens_on_every_sidecar(demo: DemoUnderTest) -> None:
    import socket

    from proxy.config import split_address

    for entry in demo.connection.sidecars:
        with socket.create_connection(split_address(entry.admin), timeout=5):
            pass


# -- stopping ------------------------------------------------------------------------------------


def test_sigterm_stops_everything_and_cleans_up(demo: DemoUnderTest) -> None:
    pids = recorded_pids(demo.connection)
    token_files = [e.token.path for e in demo.connection.sidecars if isinstance(e.token, FileToken)]
    demo.proc.send_signal(signal.SIGTERM)
    assert demo.proc.wait(GONE_TIMEOUT_S) == 0, demo.output()
    wait_until(
        lambda: not processes_of_run(demo.run_id) and not alive(pids),
        GONE_TIMEOUT_S,
        f"left running: {processes_of_run(demo.run_id)} {alive(pids)}",
    )
    assert not demo.connection_path.exists()
    assert not [path for path in token_files if path.exists()]
    assert "whole run: " in demo.output()


def test_sigkill_of_mesh_demo_leaves_no_orphans(tmp_path: Path) -> None:
    running = start_demo(tmp_path, "--rate", "20")
    try:
        pids = recorded_pids(running.connection)
        assert len(pids) == 17
        running.proc.send_signal(signal.SIGKILL)
        running.proc.wait(5)
        wait_until(
            lambda: not processes_of_run(running.run_id) and not alive(pids),
            GONE_TIMEOUT_S,
            f"orphans of run {running.run_id}: {processes_of_run(running.run_id)} {alive(pids)}",
        )
    finally:
        stop(running.proc, running.run_id)
