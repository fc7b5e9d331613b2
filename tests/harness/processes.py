"""Real processes under test: mesh-proxy sidecars and upstream apps on free loopback ports.

Each is started in its own process group, waited for with a bound, and killed with its children
when the test ends, pass or fail.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from meshgui.demo.ports import free_ports

READY_TIMEOUT_S = 15.0
STOP_TIMEOUT_S = 10.0
REPO = Path(__file__).resolve().parents[2]
SIDECAR_BUILD_ENV = "MESH_TEST_SIDECAR_BUILD"
"""Set to a build directory (`make native` -> build/native) to run every sidecar from it."""


def sidecar_command(*arguments: str) -> tuple[list[str], dict[str, str] | None]:
    """How to run `mesh-proxy *arguments`, and its environment: from this source tree, or from
    the build that MESH_TEST_SIDECAR_BUILD names (-P: the current directory must not shadow it)."""
    build = os.environ.get(SIDECAR_BUILD_ENV)
    if not build:
        return [sys.executable, "-m", "proxy", *arguments], None
    env = {**os.environ, "PYTHONPATH": str(Path(build).resolve())}
    return [sys.executable, "-P", "-m", "proxy", *arguments], env


class StartupError(RuntimeError):
    pass


@dataclass
class Managed:
    name: str
    proc: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    def alive(self) -> bool:
        return self.proc.poll() is None

    def signal(self, sig: int) -> None:
        if self.alive():
            os.killpg(self.proc.pid, sig)

    def stop(self, timeout: float = STOP_TIMEOUT_S) -> int | None:
        if self.alive():
            self.signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)  # children too, whatever the leader did
        try:
            return self.proc.wait(5)
        except subprocess.TimeoutExpired:
            return None


@dataclass
class SidecarPorts:
    outbound: int
    inbound: int
    app: int
    admin: int
    metrics: int

    @classmethod
    def allocate(cls) -> SidecarPorts:
        return cls(*free_ports(5))


@dataclass
class RunningSidecar(Managed):
    ports: SidecarPorts = field(default_factory=SidecarPorts.allocate)
    config_path: Path = Path()

    @property
    def outbound_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.outbound}"

    @property
    def metrics_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.metrics}"

    def metrics(self) -> str:
        with urllib.request.urlopen(f"{self.metrics_url}/metrics", timeout=5) as resp:
            return str(resp.read().decode())

    def reload(self) -> None:
        self.signal(signal.SIGHUP)


def wait_for_port(port: int, proc: Managed, timeout: float = READY_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not proc.alive():
            raise StartupError(f"{proc.name} exited with {proc.proc.returncode}:\n{proc.log()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise StartupError(f"{proc.name} not listening on {port} after {timeout}s:\n{proc.log()}")


def wait_ready(url: str, proc: Managed, timeout: float = READY_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not proc.alive():
            raise StartupError(f"{proc.name} exited with {proc.proc.returncode}:\n{proc.log()}")
        try:
            with urllib.request.urlopen(url, timeout=0.5) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise StartupError(f"{proc.name} not ready at {url} after {timeout}s:\n{proc.log()}")


def _spawn(
    args: list[str], log_path: Path, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    log = log_path.open("wb")
    try:
        return subprocess.Popen(
            args,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            cwd=REPO,
            env=env,
        )
    finally:
        log.close()


class ProcessPool:
    """Starts processes for one test and stops every one of them at the end."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.started: list[Managed] = []

    def start_app(self, name: str, port: int, module: str = "tests.harness.test_app") -> Managed:
        log_path = self.workdir / f"app-{name}.log"
        proc = _spawn(
            [sys.executable, "-m", module, "--name", name, "--port", str(port)],
            log_path,
        )
        managed = Managed(name, proc, log_path)
        self.started.append(managed)
        wait_for_port(port, managed)
        return managed

    def start_sidecar(
        self,
        sidecar: dict[str, Any],
        mesh: dict[str, Any],
        ports: SidecarPorts,
        *,
        wait: bool = True,
    ) -> RunningSidecar:
        name = str(sidecar["instance"])
        settings = {
            "outbound": f"127.0.0.1:{ports.outbound}",
            "inbound": f"127.0.0.1:{ports.inbound}",
            "app": f"127.0.0.1:{ports.app}",
            "admin": f"127.0.0.1:{ports.admin}",
            "metrics": f"127.0.0.1:{ports.metrics}",
            **sidecar,
        }
        config_path = self.workdir / f"sidecar-{name}.yaml"
        config_path.write_text(yaml.safe_dump({"sidecar": settings, "mesh": mesh}, sort_keys=False))
        log_path = self.workdir / f"sidecar-{name}.log"
        args, env = sidecar_command("--config", str(config_path))
        proc = _spawn(args, log_path, env)
        running = RunningSidecar(name, proc, log_path, ports=ports, config_path=config_path)
        self.started.append(running)
        if wait:
            wait_ready(f"{running.metrics_url}/ready", running)
        return running

    def restart_sidecar(self, old: RunningSidecar, *, wait: bool = True) -> RunningSidecar:
        """Stop `old` (SIGTERM, bounded) and start a new process from the same config file on the
        same ports, as a restarted sidecar would come back."""
        old.stop()
        log_path = self.workdir / f"sidecar-{old.name}-restarted-{len(self.started)}.log"
        args, env = sidecar_command("--config", str(old.config_path))
        proc = _spawn(args, log_path, env)
        running = RunningSidecar(
            old.name, proc, log_path, ports=old.ports, config_path=old.config_path
        )
        self.started.append(running)
        if wait:
            wait_ready(f"{running.metrics_url}/ready", running)
        return running

    def stop_all(self) -> None:
        for managed in reversed(self.started):
            managed.stop()
        self.started.clear()
