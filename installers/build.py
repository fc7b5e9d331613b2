"""`make installer`: builds the Linux installers and times each step.

    .venv/bin/python installers/build.py [--steps bundle,deb,tarball]

bundle  PyInstaller one-folder bundle dist/meshgui/ (installers/pyinstaller/meshgui.spec), plus
        the mesh-proxy and mesh-demo launchers beside its binary
deb     dist/meshgui_<version>_<arch>.deb (needs dpkg-deb: Debian, Ubuntu and kin)
tarball dist/meshgui-<version>-linux-<machine>.tar.gz

The version comes from the package metadata (pyproject.toml), as everywhere else. Prints one
line per step with its time and, last, one JSON line with the figures.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from linux_packages import ROOT, build_deb, build_tarball, finish_bundle, project_version

STEPS = ("bundle", "deb", "tarball")
MAX_BUNDLE_MB = 250
SPEC = ROOT / "installers" / "pyinstaller" / "meshgui.spec"


def build_bundle(dist: Path, work: Path) -> Path:
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN"]
    command += ["--distpath", str(dist), "--workpath", str(work / "pyinstaller"), str(SPEC)]
    subprocess.run(command, check=True, cwd=ROOT)
    bundle = dist / "meshgui"
    finish_bundle(bundle)
    return bundle


def tree_size_mb(tree: Path) -> float:
    files = [p for p in tree.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files) / 1e6


def timed(label: str, step: Callable[[], Path], timings: dict[str, float]) -> Path:
    print(f"== {label}", flush=True)
    started = time.monotonic()
    result = step()
    timings[label] = round(time.monotonic() - started, 1)
    print(f"== {label}: {result} ({timings[label]:.1f} s)", flush=True)
    return result


def parse_steps(text: str) -> list[str]:
    steps = [step.strip() for step in text.split(",") if step.strip()]
    unknown = sorted(set(steps) - set(STEPS))
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown step(s) {', '.join(unknown)}; use {STEPS}")
    return steps


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=parse_steps, default=list(STEPS), help=",".join(STEPS))
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build")
    args = parser.parse_args(argv)
    dist, work = args.dist.resolve(), args.work.resolve()
    bundle = dist / "meshgui"
    timings: dict[str, float] = {}
    print(f"meshgui {project_version()}: building {', '.join(args.steps)}")

    if "bundle" in args.steps:
        timed("bundle", lambda: build_bundle(dist, work), timings)
    if not (bundle / "meshgui").is_file():
        print(f"build: no bundle at {bundle}; run the 'bundle' step first", file=sys.stderr)
        return 1
    size_mb = tree_size_mb(bundle)
    print(f"bundle size: {size_mb:.0f} MB (at most {MAX_BUNDLE_MB})")
    if "deb" in args.steps:
        if shutil.which("dpkg-deb") is None:
            print("build: no dpkg-deb here (not Debian-like): skipping the .deb")
        else:
            timed("deb", lambda: build_deb(bundle, dist, work / "deb"), timings)
    if "tarball" in args.steps:
        timed("tarball", lambda: build_tarball(bundle, dist), timings)
    print(json.dumps({"bundle_mb": round(size_mb), "seconds": timings}))
    if size_mb > MAX_BUNDLE_MB:
        print(f"build: the bundle is over {MAX_BUNDLE_MB} MB", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
