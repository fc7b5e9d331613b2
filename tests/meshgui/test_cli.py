"""The `meshgui` command as a user runs it: --help, --version, and the scripted screenshot."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from PySide6.QtGui import QImage

from meshgui import __version__

TIMEOUT_S = 60


def run_meshgui(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "cfg"))
    return subprocess.run(
        [sys.executable, "-m", "meshgui", *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        env=env,
        check=False,
    )


def test_version(tmp_path: Path) -> None:
    result = run_meshgui("--version", tmp_path=tmp_path)
    assert result.returncode == 0
    assert result.stdout.strip() == f"meshgui {__version__}"


def test_help_names_the_scripted_options(tmp_path: Path) -> None:
    result = run_meshgui("--help", tmp_path=tmp_path)
    assert result.returncode == 0
    assert "--screenshot" in result.stdout and "--exit-after" in result.stdout


def test_negative_exit_after_is_refused(tmp_path: Path) -> None:
    result = run_meshgui("--exit-after", "-1", tmp_path=tmp_path)
    assert result.returncode == 2
    assert "--exit-after" in result.stderr


def test_screenshot_renders_the_window(tmp_path: Path, qapp: object) -> None:
    out = tmp_path / "shot" / "window.png"
    result = run_meshgui("--screenshot", str(out), "--exit-after", "0.5", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert not image.isNull()
    assert image.width() >= 400 and image.height() >= 300
    # Text was drawn: the menu bar strip holds dark glyph pixels on a light background (or the
    # reverse), not one flat colour as happens when fonts are missing and nothing renders.
    colours = {image.pixel(x, y) for x in range(0, 200) for y in range(0, 20)}
    assert len(colours) > 5


def test_ctrl_c_quits_the_app(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "cfg"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "meshgui", "--exit-after", "60"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        time.sleep(3)  # let the window come up (on a loaded machine it may not have yet)
        proc.send_signal(signal.SIGINT)
        # 0: the app's orderly quit; 130: Ctrl-C came while Qt was still loading. Either way
        # quietly, never a KeyboardInterrupt traceback.
        assert proc.wait(timeout=15) in (0, 130)
        _, stderr = proc.communicate(timeout=5)
        assert b"Traceback" not in stderr, stderr.decode(errors="replace")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)


def test_ctrl_c_while_qt_loads_leaves_quietly(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "cfg"))
    proc = subprocess.Popen(
        [sys.executable, "-X", "importtime", "-m", "meshgui", "--exit-after", "60"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        # -X importtime writes a line per import: the first PySide6 one means main() is past
        # installing its early handler and Qt is loading.
        assert proc.stderr is not None
        deadline = time.monotonic() + 30
        while b"PySide6" not in proc.stderr.readline():
            assert time.monotonic() < deadline, "Qt never started loading"
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=15) in (0, 130)
        rest = proc.stderr.read()
        assert b"Traceback" not in rest and b"KeyboardInterrupt" not in rest, rest[-2000:]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)
