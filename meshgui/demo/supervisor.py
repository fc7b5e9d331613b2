"""The demo's child processes: one app and one sidecar per instance, each logging to its own file
in the run directory, started so that none outlives mesh-demo (see `processes`)."""

from __future__ import annotations

import contextlib
import signal
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from meshgui.demo.processes import spawn, terminate_all

Role = Literal["app", "sidecar"]
STOP_TIMEOUT_S = 5.0
"""Sidecars drain for at most a second (`mesh_config.SIDECAR_DRAIN_TIMEOUT`); apps stop at once."""


@dataclass
class Child:
    """One process of the run."""

    instance: str
    role: Role
    args: list[str]
    log_path: Path
    proc: subprocess.Popen[bytes]
    expected_down: bool = False
    """Killed on purpose (a scenario), so its exit is news but not a failure."""
    reported: bool = field(default=False, repr=False)

    @property
    def label(self) -> str:
        return f"{self.instance}'s {self.role}"

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None

    def log_tail(self, lines: int = 12) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


class Supervisor:
    """Starts, watches, kills, restarts and finally stops the run's children."""

    def __init__(self, run_dir: Path) -> None:
        self.run_dir = run_dir
        self.children: list[Child] = []

    def start(self, instance: str, role: Role, args: list[str]) -> Child:
        log_path = self.run_dir / f"{instance}.{role}.log"
        child = Child(instance, role, args, log_path, spawn(args, log_path))
        self.children.append(child)
        return child

    def find(self, instance: str, role: Role) -> Child:
        """The current process of (`instance`, `role`). Raises KeyError."""
        for child in reversed(self.children):
            if child.instance == instance and child.role == role:
                return child
        raise KeyError(f"{instance} {role}")

    def kill(self, instance: str, role: Role) -> Child:
        """SIGKILL a child on purpose, as a crash would end it."""
        child = self.find(instance, role)
        child.expected_down = True
        if child.alive():
            with contextlib.suppress(ProcessLookupError):
                child.proc.send_signal(signal.SIGKILL)
            child.proc.wait()
        return child

    def restart(self, instance: str, role: Role) -> Child | None:
        """Start a dead child again with the same arguments; None when it is still running."""
        old = self.find(instance, role)
        if old.alive():
            return None
        self.children.remove(old)
        return self.start(instance, role, old.args)

    def newly_exited(self) -> list[Child]:
        """Children that exited since the last call, each reported once."""
        exited = [c for c in self.children if not c.reported and not c.alive()]
        for child in exited:
            child.reported = True
        return exited

    def stop_all(self, timeout: float = STOP_TIMEOUT_S) -> list[int]:
        """Stop every child (SIGTERM, then SIGKILL after `timeout`); the pids that needed KILL."""
        return terminate_all([child.proc for child in self.children], timeout)
