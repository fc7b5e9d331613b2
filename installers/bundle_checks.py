"""Checks of what is inside the bundle folder and of the platforms beyond offscreen (used by
installers/smoke_test.py). Standard library only."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from screenshot_check import distinct_colours, read_png
from smoke_checks import COMMAND_TIMEOUT_S, expect, isolated_env

MAX_BUNDLE_MB = 250
QT_DIR = Path("_internal") / "PySide6" / "Qt"
REQUIRED = (
    "meshgui",
    "mesh-proxy",
    "mesh-demo",
    "_internal/resources/icons/meshgui.svg",
    str(QT_DIR / "plugins" / "platforms" / "libqoffscreen.so"),
    str(QT_DIR / "plugins" / "platforms" / "libqxcb.so"),
    str(QT_DIR / "plugins" / "iconengines" / "libqsvgicon.so"),
)
UNUSED_QT_LIBRARIES = ("WebEngine", "Quick", "Qml", "3D", "Multimedia", "Pdf", "Designer", "Test")


def tree_size_mb(tree: Path) -> float:
    files = [p for p in tree.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files) / 1e6


def check_layout(bundle: Path) -> str:
    missing = [name for name in REQUIRED if not (bundle / name).exists()]
    expect(not missing, f"missing from the bundle: {missing}")
    expect(os.access(bundle / "meshgui", os.X_OK), "the meshgui binary is not executable")
    qt_libraries = sorted(p.name for p in (bundle / QT_DIR / "lib").iterdir())
    unused = [n for n in qt_libraries if any(f"Qt6{part}" in n for part in UNUSED_QT_LIBRARIES)]
    expect(not unused, f"Qt libraries the app does not use are in the bundle: {unused}")
    size = tree_size_mb(bundle)
    expect(size <= MAX_BUNDLE_MB, f"the bundle is {size:.0f} MB, over {MAX_BUNDLE_MB} MB")
    modules = [n.removeprefix("libQt6").split(".")[0] for n in qt_libraries if "Qt6" in n]
    return f"{size:.0f} MB; Qt: {', '.join(modules)}"


def check_libraries_resolve(bundle: Path) -> str:
    """Every library that a bundled binary or plugin loads is found, in the bundle or on
    this system (for the .deb: its Depends are enough)."""
    env = dict(os.environ, LD_LIBRARY_PATH=str(bundle / "_internal"))
    unresolved: set[str] = set()
    count = 0
    for path in bundle.rglob("*"):
        if path.is_symlink() or not path.is_file():
            continue
        with path.open("rb") as file:
            if file.read(4) != b"\x7fELF":
                continue
        count += 1
        result = subprocess.run(["ldd", str(path)], capture_output=True, text=True, env=env)
        for line in result.stdout.splitlines():
            if "not found" in line:
                unresolved.add(f"{line.split()[0]} (for {path.name})")
    expect(not unresolved, f"libraries not found: {sorted(unresolved)}")
    return f"{count} binaries"


def check_xcb_window(meshgui: str, work: Path) -> str:
    """The app on a real X server (Xvfb) through the bundled xcb platform plugin."""
    read_end, write_end = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1280x900x24", "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    try:
        with os.fdopen(read_end) as display_file:
            display = display_file.readline().strip()
        expect(display.isdigit(), "Xvfb did not start")
        env = isolated_env(work, platform="xcb")
        env["DISPLAY"] = f":{display}"
        shot = work / "xcb.png"
        command = [meshgui, "--screenshot", str(shot), "--exit-after", "2"]
        result = subprocess.run(
            command, capture_output=True, text=True, env=env, timeout=COMMAND_TIMEOUT_S
        )
        expect(result.returncode == 0, f"exit {result.returncode}: {result.stderr.strip()}")
        expect(distinct_colours(read_png(shot)) > 5, "the window rendered blank")
    finally:
        xvfb.terminate()
        xvfb.wait(10)
    return f"window rendered on Xvfb :{display}"


def xvfb_available() -> bool:
    return shutil.which("Xvfb") is not None
