"""Child processes that cannot outlive their parent: each is started with a parent-death signal
(Linux `PR_SET_PDEATHSIG`), so even a SIGKILLed parent takes its children with it, and its
output goes to a log file, never to the terminal."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

PR_SET_PDEATHSIG = 1


def parent_death_signal(sig: int = signal.SIGTERM) -> Callable[[], None] | None:
    """A `preexec_fn` that has the kernel send `sig` to the child when this process dies.

    None where there is no prctl (not Linux); there the process group is the only guard. The
    signal is tied to the thread that forks, so spawn from a thread that lives as long as the
    process (the main thread).
    """
    if not sys.platform.startswith("linux"):
        return None
    # Looked up here, not in the child: between fork and exec only the call itself should run.
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    parent = os.getpid()

    def set_parent_death_signal() -> None:
        prctl(PR_SET_PDEATHSIG, ctypes.c_ulong(sig), 0, 0, 0)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)

    return set_parent_death_signal


def spawn(
    args: Sequence[str],
    log_path: Path,
    *,
    own_group: bool = False,
    env: dict[str, str] | None = None,
) -> subprocess.Popen[bytes]:
    """Start `args` with stdout and stderr appended to `log_path` and stdin closed.

    By default the child stays in this process group, so a terminal's Ctrl-C reaches it too;
    `own_group` makes it the leader of a new group that can be signalled as a whole.
    """
    child_env = dict(os.environ if env is None else env, PYTHONUNBUFFERED="1")
    with log_path.open("ab") as log:
        return subprocess.Popen(
            list(args),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=parent_death_signal(),
            process_group=0 if own_group else None,
            env=child_env,
            close_fds=True,
        )


def terminate_all(procs: Sequence[subprocess.Popen[bytes]], timeout: float) -> list[int]:
    """SIGTERM every live process, wait up to `timeout` seconds in all, SIGKILL the rest.

    Returns the pids that had to be killed.
    """
    for proc in procs:
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + timeout
    killed: list[int] = []
    for proc in procs:
        try:
            proc.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            killed.append(proc.pid)
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            proc.wait()
    return killed


def pid_alive(pid: int) -> bool:
    """Whether a process with this pid exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    return stat.rpartition(")")[2].split()[0] not in ("Z", "X")
