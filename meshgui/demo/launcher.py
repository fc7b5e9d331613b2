"""`mesh-demo` as a background child of the desktop app (`meshgui --demo`).

The demo runs as the leader of its own process group (its children stay in that group), with a
parent-death signal, so it ends when the app quits, crashes or is killed. The app polls
`poll()` from a timer — nothing here blocks for long — until the connection file appears.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from meshgui.connection_file import ConnectionFile, load_connection_file
from meshgui.demo.processes import spawn
from meshgui.demo.tokens import private_directory
from meshgui.frozen import python_module_command
from proxy.config import ConfigError

START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 8.0
"""mesh-demo needs a few seconds to stop its sidecars; after this the whole group is killed."""


@dataclass(frozen=True)
class DemoStatus:
    """What `poll()` found: still starting, running (with its connection file), or failed."""

    connection: ConnectionFile | None = None
    failure: str | None = None

    @property
    def starting(self) -> bool:
        return self.connection is None and self.failure is None


class DemoLauncher:
    """Starts, watches and stops one `mesh-demo` for the app."""

    def __init__(
        self,
        extra_args: list[str] | None = None,
        timeout: float = START_TIMEOUT_S,
        program: list[str] | None = None,
    ) -> None:
        self.run_id = secrets.token_hex(4)
        self.extra_args = list(extra_args or [])
        self.program = program or python_module_command("meshgui.demo")
        """What runs mesh-demo; tests put a stand-in here."""
        self.timeout = timeout
        self.workdir: Path | None = None
        self.proc: subprocess.Popen[bytes] | None = None
        self._deadline = 0.0
        self._connection: ConnectionFile | None = None

    @property
    def connection_path(self) -> Path:
        assert self.workdir is not None
        return self.workdir / "connection.yaml"

    @property
    def log_path(self) -> Path:
        assert self.workdir is not None
        return self.workdir / "mesh-demo.log"

    def start(self) -> None:
        self.workdir = private_directory(f"meshgui-demo-{self.run_id}-")
        command = [*self.program, "--run-id", self.run_id]
        command += ["--connection-file", str(self.connection_path), "--log-dir", str(self.workdir)]
        self.proc = spawn([*command, *self.extra_args], self.log_path, own_group=True)
        self._deadline = time.monotonic() + self.timeout

    def poll(self) -> DemoStatus:
        """Look once (cheaply) whether the demo is up, still starting, or gone."""
        if self._connection is not None:
            if self.proc is not None and self.proc.poll() is not None:
                return DemoStatus(failure=self._ended("stopped"))
            return DemoStatus(connection=self._connection)
        if self.proc is None:
            return DemoStatus(failure="the demo mesh was not started")
        if self.proc.poll() is not None:
            return DemoStatus(failure=self._ended("could not start"))
        if self.connection_path.exists():
            with contextlib.suppress(ConfigError):  # written atomically, so rarely half there
                self._connection = load_connection_file(self.connection_path)
                return DemoStatus(connection=self._connection)
        if time.monotonic() > self._deadline:
            self.stop()
            return DemoStatus(failure=f"the demo mesh was not ready after {self.timeout:g} s")
        return DemoStatus()

    def _ended(self, what: str) -> str:
        code = self.proc.returncode if self.proc is not None else None
        return f"the demo mesh {what} (exit code {code}); its log: {self.log_path}"

    def stop(self) -> None:
        """Stop the demo and everything it started: SIGTERM to mesh-demo, which stops its
        children; after STOP_TIMEOUT_S the whole process group is killed."""
        proc = self.proc
        if proc is None:
            return
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(STOP_TIMEOUT_S)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)  # whatever is left of the group
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(1.0)
        if self.workdir is not None and proc.returncode == 0:
            # A clean run leaves nothing; after a failure the logs stay for the curious.
            shutil.rmtree(self.workdir, ignore_errors=True)
