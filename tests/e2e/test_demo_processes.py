"""Children that cannot outlive their parent, and the desktop app's launcher of mesh-demo, with
small stand-in processes instead of the whole shop."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from meshgui.demo.launcher import DemoLauncher
from meshgui.demo.processes import pid_alive, terminate_all

pytestmark = pytest.mark.e2e

BOUND_S = 10.0


def wait_until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + BOUND_S
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"after {BOUND_S:g} s: {what}")
        time.sleep(0.02)


# A parent that starts one child the way mesh-demo does, prints its pid, then waits.
PARENT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from meshgui.demo.processes import spawn
    child = spawn([sys.executable, "-c", "import time; time.sleep(60)"], Path(sys.argv[1]))
    print(child.pid, flush=True)
    time.sleep(60)
    """
)


def test_a_child_dies_with_its_sigkilled_parent(tmp_path: Path) -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, str(tmp_path / "child.log")], stdout=subprocess.PIPE
    )
    try:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        assert pid_alive(child)
        parent.kill()
        parent.wait()
        wait_until(lambda: not pid_alive(child), f"child {child} outlived its parent")
    finally:
        parent.kill()


def test_terminate_all_kills_what_ignores_sigterm(tmp_path: Path) -> None:
    stubborn = (
        "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
        "print(1, flush=True); time.sleep(60)"
    )
    polite = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    deaf = subprocess.Popen([sys.executable, "-c", stubborn], stdout=subprocess.PIPE)
    assert deaf.stdout is not None and deaf.stdout.readline()  # its handler is in place
    killed = terminate_all([polite, deaf], timeout=0.5)
    assert killed == [deaf.pid]
    assert polite.returncode == -signal.SIGTERM and deaf.returncode == -signal.SIGKILL


# A stand-in for mesh-demo: starts a grandchild, writes a connection file, waits for SIGTERM.
FAKE_DEMO = textwrap.dedent(
    """
    import signal, subprocess, sys, time
    from pathlib import Path
    from meshgui.connection_file import ConnectionFile, SidecarEntry, save_connection_file
    args = sys.argv[1:]
    path = Path(args[args.index("--connection-file") + 1])
    grandchild = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    entry = SidecarEntry(service="web", instance="web-1", admin="127.0.0.1:1",
                         metrics_url="http://127.0.0.1:2/metrics", pid=grandchild.pid)
    if "--fail" in args:
        sys.exit(3)
    save_connection_file(ConnectionFile(name="demo/x", sidecars=(entry,)), path)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # leaves the grandchild behind
    time.sleep(60)
    """
)


def fake_launcher(*extra: str, timeout: float = 30.0) -> DemoLauncher:
    return DemoLauncher(list(extra), timeout, program=[sys.executable, "-c", FAKE_DEMO])


def test_launcher_reports_the_running_demo_and_stops_its_whole_group() -> None:
    launcher = fake_launcher()
    launcher.start()
    try:
        wait_until(lambda: not launcher.poll().starting, "the demo never came up")
        status = launcher.poll()
        assert status.connection is not None, status.failure
        (entry,) = status.connection.sidecars
        assert entry.pid is not None and pid_alive(entry.pid)
        assert launcher.proc is not None and os.getpgid(launcher.proc.pid) == launcher.proc.pid
    finally:
        launcher.stop()
    assert launcher.proc.returncode == 0
    wait_until(lambda: not pid_alive(entry.pid or 0), "the demo's child survived the stop")
    assert launcher.workdir is not None and not launcher.workdir.exists()


def test_launcher_says_why_the_demo_did_not_start() -> None:
    launcher = fake_launcher("--fail")
    launcher.start()
    try:
        wait_until(lambda: not launcher.poll().starting, "no verdict")
        failure = launcher.poll().failure
        assert failure is not None and "exit code 3" in failure and "mesh-demo.log" in failure
        launcher.stop()
        assert launcher.log_path.exists()  # after a failure the log stays
    finally:
        launcher.stop()
        if launcher.workdir is not None:
            shutil.rmtree(launcher.workdir, ignore_errors=True)


def test_launcher_gives_up_after_its_timeout() -> None:
    launcher = fake_launcher(timeout=0.0)
    launcher.start()
    try:
        assert "not ready after 0 s" in (launcher.poll().failure or "")
        assert launcher.proc is not None and launcher.proc.poll() is not None
    finally:
        launcher.stop()
        if launcher.workdir is not None:
            shutil.rmtree(launcher.workdir, ignore_errors=True)
