"""`meshgui --demo`: the app starts mesh-demo in the background, shows it running, and takes it
down when it quits — or when it is killed."""

from __future__ import annotations

import os
import re
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.meshgui.demo.live_demo import GONE_TIMEOUT_S, processes_of_run, wait_until

pytestmark = pytest.mark.e2e

RUNNING_TIMEOUT_S = 40.0


def app_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "meshgui", "--demo", *args]


def app_env(tmp_path: Path) -> dict[str, str]:
    return dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(tmp_path / "cfg"),
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )


def wait_gone(run_id: str) -> None:
    wait_until(
        lambda: not processes_of_run(run_id),
        GONE_TIMEOUT_S,
        f"demo processes of run {run_id} outlived the app: {processes_of_run(run_id)}",
    )


def run_id_in(text: str) -> str:
    found = re.search(r"starting the demo mesh \(run ([0-9a-f]+);", text)
    assert found, text
    return found.group(1)


def test_quitting_the_app_stops_the_demo(tmp_path: Path) -> None:
    result = subprocess.run(
        app_command("--exit-after", "3"),
        capture_output=True,
        text=True,
        timeout=60,
        env=app_env(tmp_path),
        check=False,
    )
    assert result.returncode == 0, result.stderr
    wait_gone(run_id_in(result.stdout))


def test_the_app_shows_the_running_demo_and_its_crash_takes_the_demo_down(
    tmp_path: Path,
) -> None:
    app = subprocess.Popen(
        app_command(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=app_env(tmp_path)
    )
    output = b""
    run_id = ""
    try:
        assert app.stdout is not None
        selector = selectors.DefaultSelector()
        selector.register(app.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + RUNNING_TIMEOUT_S
        while b"Demo mesh running" not in output:
            if time.monotonic() > deadline or app.poll() is not None:
                pytest.fail(f"the app never showed the running demo:\n{output.decode()}")
            if selector.select(timeout=0.5):
                output += os.read(app.stdout.fileno(), 65536)
        text = output.decode()
        run_id = run_id_in(text)
        assert re.search(r"Demo mesh running: 8 sidecars \(connection file \S+\)", text), text
        assert processes_of_run(run_id)
        app.send_signal(signal.SIGKILL)  # no Qt quit, no atexit: only the parent-death signal
        app.wait(5)
        wait_gone(run_id)
    finally:
        app.kill()
        app.wait()
        for pid in processes_of_run(run_id) if run_id else []:
            os.kill(pid, signal.SIGKILL)
