"""The checks of the installer smoke test (installers/smoke_test.py), each run against a
`meshgui` command as an operator would start it: from the bundle folder, or from /usr/bin after
installing the .deb. Standard library only."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from screenshot_check import distinct_colours, node_boxes, read_png

DEMO_SERVICES = {"web", "cart", "inventory", "inventory-db", "recommendations", "product-tags"}
"""Services the demo shop always has (README); the connection file names the rest."""
COMMAND_TIMEOUT_S = 60.0
DEMO_GRACE_S = 60.0
"""Beyond --exit-after: start-up, the demo's orderly stop, the screenshot."""
_CONNECTION_RE = re.compile(r"connection file (\S+?)\)")
_RUN_ID_RE = re.compile(r"starting the demo mesh \(run ([0-9a-f]+);")
_SERVICE_RE = re.compile(r"^\s*-?\s*service:\s*([a-z0-9-]+)\s*$", re.MULTILINE)


class SmokeCheckError(AssertionError):
    pass


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise SmokeCheckError(message)


@dataclass
class Report:
    """Runs named checks, prints one line each with its time, and counts them."""

    passed: int = 0
    failed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def run(self, name: str, check: Callable[[], str | None]) -> None:
        started = time.monotonic()
        try:
            detail = check()
        except (SmokeCheckError, OSError, subprocess.SubprocessError) as exc:
            self.failed.append(name)
            print(f"FAIL {name} ({time.monotonic() - started:.1f} s): {exc}", flush=True)
            return
        self.passed += 1
        suffix = f": {detail}" if detail else ""
        print(f"ok   {name} ({time.monotonic() - started:.1f} s){suffix}", flush=True)

    def skip(self, name: str, why: str) -> None:
        self.skipped.append(name)
        print(f"skip {name}: {why}", flush=True)


def isolated_env(work: Path, platform: str = "offscreen") -> dict[str, str]:
    """The environment of a first start on a clean account: own config, data, temp and home
    folders, no session bus (so no real keyring is touched), Qt on `platform`."""
    dropped = ("QT_", "XDG_", "PYTHON", "DBUS_", "DISPLAY", "WAYLAND_")
    env = {key: value for key, value in os.environ.items() if not key.startswith(dropped)}
    for name in ("config", "data", "cache", "tmp", "home"):
        (work / name).mkdir(parents=True, exist_ok=True)
    env.update(
        QT_QPA_PLATFORM=platform,
        XDG_CONFIG_HOME=str(work / "config"),
        XDG_DATA_HOME=str(work / "data"),
        XDG_CACHE_HOME=str(work / "cache"),
        TMPDIR=str(work / "tmp"),
        HOME=str(work / "home"),
    )
    return env


def run(command: Sequence[str], env: dict[str, str] | None = None) -> str:
    """Run to completion; returns stdout, fails with the output when the exit code is not 0."""
    result = subprocess.run(
        list(command), capture_output=True, text=True, env=env, timeout=COMMAND_TIMEOUT_S
    )
    output = (result.stdout + result.stderr).strip()
    expect(result.returncode == 0, f"{' '.join(command)} exited {result.returncode}: {output}")
    return result.stdout.strip()


def check_versions(meshgui: str, mesh_proxy: str, expected: str, env: dict[str, str]) -> str:
    expect(run([meshgui, "--version"], env) == f"meshgui {expected}", "meshgui --version")
    got = run([mesh_proxy, "--version"], env)
    builds = {f"mesh-proxy {expected} ({kind} build)" for kind in ("python", "native")}
    expect(got in builds, f"mesh-proxy --version said {got!r}")
    return f"meshgui {expected}, {got}"


def check_sidecar_config(mesh_proxy: str, sample: Path, env: dict[str, str]) -> str:
    return run([mesh_proxy, "--check-config", str(sample)], env)


def _processes_of_run(run_id: str) -> list[int]:
    """Pids of live processes whose command line names the demo run `run_id`."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if run_id in cmdline and entry.name != str(os.getpid()):
            pids.append(int(entry.name))
    return pids


def check_demo_screenshot(meshgui: str, work: Path, exit_after: float, keep: Path) -> str:
    """`meshgui --demo --screenshot --exit-after`: the demo starts, the app connects, draws a
    node per service the demo's connection file names, exits 0 and leaves no process behind."""
    env = isolated_env(work)
    shot = work / "demo.png"
    out, err = work / "app.out", work / "app.err"
    command = [meshgui, "--demo", "--screenshot", str(shot), "--exit-after", f"{exit_after:g}"]
    services: set[str] = set()
    with out.open("w") as stdout, err.open("w") as stderr:
        proc = subprocess.Popen(command, stdout=stdout, stderr=stderr, env=env)
        deadline = time.monotonic() + exit_after + DEMO_GRACE_S
        while proc.poll() is None and time.monotonic() < deadline:
            # The connection file goes when the app stops the demo: read it while it runs.
            match = _CONNECTION_RE.search(out.read_text())
            if match and not services and Path(match.group(1)).exists():
                services = set(_SERVICE_RE.findall(Path(match.group(1)).read_text()))
            time.sleep(0.2)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
            raise SmokeCheckError(f"meshgui did not exit within {exit_after + DEMO_GRACE_S:g} s")
    printed, errors = out.read_text(), err.read_text()
    if shot.exists():
        keep.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, keep)  # for people to look at
    run_id = _RUN_ID_RE.search(printed)
    leftovers = _processes_of_run(run_id.group(1)) if run_id else []
    for pid in leftovers:
        os.kill(pid, signal.SIGKILL)
    where = f"\n--- stdout\n{printed}--- stderr\n{errors}"
    expect(proc.returncode == 0, f"meshgui exited {proc.returncode}{where}")
    expect("Traceback" not in errors, f"a Python traceback{where}")
    expect("demo mesh failed" not in printed + errors, f"the demo failed{where}")
    slow = "(a slow machine? raise --exit-after)"
    expect(bool(services), f"the demo never wrote its connection file {slow}{where}")
    missing = DEMO_SERVICES - services
    expect(not missing, f"the connection file lacks {sorted(missing)}")
    expect(not leftovers, f"processes of the demo run outlived the app: {leftovers}")
    image = read_png(shot)
    expect(distinct_colours(image) > 20, "the screenshot is (nearly) blank")
    nodes = node_boxes(image)
    drawn = sum(nodes.values())
    expect(drawn >= len(services), f"{drawn} nodes drawn for {len(services)} services: {nodes}")
    expect(nodes["healthy"] > 0, f"no healthy node drawn: {nodes}")
    shown = ", ".join(f"{count} {health}" for health, count in nodes.items() if count)
    return f"{len(services)} services in the connection file, {drawn} nodes drawn ({shown}); {keep}"
