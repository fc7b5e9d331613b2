"""A real `mesh-demo` run under test: started as a user would, with its output kept; its
processes found by run id (in every command line) or by the pids in its connection file; and
stopped in a way that never leaves a process behind, whatever the test did."""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from meshgui.connection_file import ConnectionFile, load_connection_file
from meshgui.demo.processes import pid_alive

START_TIMEOUT_S = 45.0
GONE_TIMEOUT_S = 15.0


@dataclass
class DemoUnderTest:
    proc: subprocess.Popen[bytes]
    run_id: str
    connection_path: Path
    output_path: Path
    startup_s: float
    connection: ConnectionFile

    def output(self) -> str:
        return self.output_path.read_text(errors="replace")

    def sidecar(self, instance: str) -> str:
        """The /metrics page of `instance`'s sidecar."""
        for entry in self.connection.sidecars:
            if entry.instance == instance:
                with urllib.request.urlopen(entry.metrics_url, timeout=5) as resp:
                    return str(resp.read().decode())
        raise KeyError(instance)


def start_demo(workdir: Path, *extra: str) -> DemoUnderTest:
    run_id = f"t{secrets.token_hex(4)}"
    connection_path = workdir / "connection.yaml"
    output_path = workdir / "mesh-demo.out"
    # Never the developer's own keyring: with no backend, tokens go to private files.
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    command = [sys.executable, "-m", "meshgui.demo", "--run-id", run_id, "--log-dir"]
    command += [str(workdir), "--connection-file", str(connection_path), "--seed", "7", *extra]
    started = time.monotonic()
    with output_path.open("wb") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    while not connection_path.exists():
        elapsed = time.monotonic() - started
        if proc.poll() is not None or elapsed > START_TIMEOUT_S:
            stop(proc, run_id)
            pytest.fail(f"mesh-demo did not come up:\n{output_path.read_text()}")
        time.sleep(0.02)
    startup_s = time.monotonic() - started
    connection = load_connection_file(connection_path)
    return DemoUnderTest(proc, run_id, connection_path, output_path, startup_s, connection)


def processes_of_run(run_id: str) -> list[int]:
    """Live processes whose command line names the run (in --run-id or the run directory)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if run_id.encode() in cmdline and pid_alive(int(entry.name)):
            found.append(int(entry.name))
    return found


def recorded_pids(connection: ConnectionFile) -> list[int]:
    pids = [entry.pid for entry in connection.sidecars] + [e.app_pid for e in connection.sidecars]
    assert connection.demo is not None
    return [pid for pid in (*pids, connection.demo.pid) if pid is not None]


def alive(pids: list[int]) -> list[int]:
    return [pid for pid in pids if pid_alive(pid)]


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"after {timeout:g} s: {what}")
        time.sleep(0.1)


def stop(proc: subprocess.Popen[bytes], run_id: str) -> None:
    """Teardown that never leaves a process behind, whatever the test did."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(GONE_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    for pid in processes_of_run(run_id):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
