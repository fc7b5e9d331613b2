"""Installs the .deb on this machine, checks what it put where, and removes it again (used by
installers/smoke_test.py; needs root and dpkg). Standard library only."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from smoke_checks import expect

INSTALLED_FILES = (
    "/opt/meshgui/meshgui",
    "/usr/bin/meshgui",
    "/usr/bin/mesh-proxy",
    "/usr/bin/mesh-demo",
    "/usr/share/applications/meshgui.desktop",
    "/usr/share/icons/hicolor/48x48/apps/meshgui.png",
    "/usr/share/icons/hicolor/256x256/apps/meshgui.png",
    "/usr/share/icons/hicolor/scalable/apps/meshgui.svg",
)
APT_TIMEOUT_S = 600


def package_installed() -> bool:
    result = subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", "meshgui"], capture_output=True, text=True
    )
    return result.stdout.strip() == "install ok installed"


def _apt_fix() -> subprocess.CompletedProcess[str]:
    command = ["apt-get", "install", "-f", "-y", "-qq", "--no-install-recommends"]
    env = {"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=APT_TIMEOUT_S)


def install(deb: Path) -> str:
    """`dpkg -i`; when dependencies are missing, `apt-get install -f` brings them, as an
    operator would do (or `apt-get install ./meshgui_*.deb` in one go)."""
    first = subprocess.run(["dpkg", "-i", str(deb)], capture_output=True, text=True)
    how = "dpkg -i"
    if first.returncode != 0:
        fixed = _apt_fix()
        if fixed.returncode != 0:
            subprocess.run(["apt-get", "update", "-qq"], capture_output=True, timeout=APT_TIMEOUT_S)
            fixed = _apt_fix()
        expect(fixed.returncode == 0, f"apt-get install -f failed: {fixed.stderr.strip()}")
        how = "dpkg -i, then apt-get install -f for its dependencies"
    expect(package_installed(), f"meshgui is not installed after {how}: {first.stderr.strip()}")
    return how


def remove() -> str:
    result = subprocess.run(["dpkg", "-r", "meshgui"], capture_output=True, text=True)
    expect(result.returncode == 0, f"dpkg -r meshgui: {result.stderr.strip()}")
    left = [path for path in ("/opt/meshgui", "/usr/bin/meshgui") if Path(path).exists()]
    expect(not left, f"left behind by dpkg -r: {left}")
    return "dpkg -r meshgui left nothing behind"


def check_installed_files() -> str:
    missing = [path for path in INSTALLED_FILES if not Path(path).exists()]
    expect(not missing, f"not installed: {missing}")
    validator = shutil.which("desktop-file-validate")
    if validator is not None:
        entry = INSTALLED_FILES[4]
        result = subprocess.run([validator, entry], capture_output=True, text=True)
        expect(result.returncode == 0 and not result.stdout.strip(), result.stdout.strip())
        return f"{len(INSTALLED_FILES)} files in place; desktop-file-validate is happy"
    return f"{len(INSTALLED_FILES)} files in place (no desktop-file-validate here)"
