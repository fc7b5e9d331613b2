"""`make installer-test`: runs what `make installer` built the way an operator would.

    python3 installers/smoke_test.py [--bundle dist/meshgui] [--deb auto|FILE.deb]
                                     [--exit-after 30] [--version X]

The bundle: its contents (offscreen and xcb plugins, no unused Qt modules, size limit),
`meshgui --version` and `mesh-proxy --version` against the package version, a sidecar config
check, and `meshgui --demo --screenshot --exit-after` offscreen in empty config/data/temp
folders: the app must exit 0 with the demo's connection file naming its services, a node drawn
for each, and no demo process left; with Xvfb installed, a window on a real X server too.
The .deb (root and dpkg only; skipped if meshgui is already installed here): dpkg -i (plus its
dependencies), the installed files, every bundled library resolving, the same command checks
from /usr/bin, then dpkg -r. Standard library only: runs with any python3 >= 3.11.
Ends with 'N passed, N failed'; the screenshots are kept in dist/smoke/ to look at.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import tomllib
from collections.abc import Sequence
from pathlib import Path

from bundle_checks import check_layout, check_libraries_resolve, check_xcb_window, xvfb_available
from deb_checks import check_installed_files, install, package_installed, remove
from smoke_checks import Report, check_demo_screenshot, check_sidecar_config, check_versions

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CONFIG = Path("_internal") / "resources" / "samples" / "mesh-sidecar.yaml"
DEFAULT_EXIT_AFTER_S = 30.0
"""The demo's 16 processes start in ~10 s here; on a busy 2-core machine it can take twice."""


def pyproject_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as file:
        version: str = tomllib.load(file)["project"]["version"]
    return version


def check_commands(
    report: Report, label: str, commands: Path, args: argparse.Namespace, work: Path
) -> None:
    """The checks of the `meshgui` and `mesh-proxy` in the folder `commands` (the bundle's,
    or /usr/bin)."""
    meshgui, proxy = str(commands / "meshgui"), str(commands / "mesh-proxy")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    report.run(f"{label}: --version", lambda: check_versions(meshgui, proxy, args.version, env))
    sample = Path(meshgui).resolve().parent / SAMPLE_CONFIG
    report.run(f"{label}: sidecar config", lambda: check_sidecar_config(proxy, sample, env))
    keep = args.keep / f"{label}-demo.png"
    report.run(
        f"{label}: demo screenshot",
        lambda: check_demo_screenshot(meshgui, work / f"{label}-demo", args.exit_after, keep),
    )


def check_bundle_phase(report: Report, args: argparse.Namespace, work: Path) -> None:
    bundle = args.bundle
    report.run("bundle: layout", lambda: check_layout(bundle))
    check_commands(report, "bundle", bundle, args, work)
    if xvfb_available():
        report.run("bundle: xcb window", lambda: check_xcb_window(str(bundle / "meshgui"), work))
    else:
        report.skip("bundle: xcb window", "no Xvfb here (apt-get install xvfb)")


def check_deb_phase(report: Report, args: argparse.Namespace, work: Path) -> None:
    name = "deb"
    if args.deb is None:
        report.skip(name, "no .deb given (--deb)")
        return
    if os.geteuid() != 0 or shutil.which("dpkg") is None:
        report.skip(name, "installing a .deb needs root and dpkg")
        return
    if package_installed():
        report.skip(name, "meshgui is already installed on this machine; not replacing it")
        return
    before = report.passed
    report.run("deb: install", lambda: install(args.deb))
    if report.passed == before:
        return
    try:
        report.run("deb: files", check_installed_files)
        opt = Path("/opt/meshgui")
        report.run("deb: libraries resolve", lambda: check_libraries_resolve(opt))
        check_commands(report, "deb", Path("/usr/bin"), args, work)
    finally:
        report.run("deb: remove", remove)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "meshgui")
    parser.add_argument(
        "--deb", help="also install, check and remove this .deb ('auto': the one in dist/)"
    )
    parser.add_argument("--exit-after", type=float, default=DEFAULT_EXIT_AFTER_S)
    parser.add_argument("--version", default=None, help="expected (default: pyproject.toml)")
    parser.add_argument("--keep", type=Path, default=ROOT / "dist" / "smoke")
    args = parser.parse_args(argv)
    args.bundle = args.bundle.resolve()
    args.version = args.version or pyproject_version()
    if args.deb == "auto":
        found = sorted((ROOT / "dist").glob(f"meshgui_{args.version}_*.deb"))
        args.deb = found[-1] if found else None
    elif args.deb is not None:
        args.deb = Path(args.deb)
    if not (args.bundle / "meshgui").is_file():
        print(f"smoke test: no bundle at {args.bundle}; run 'make installer' first")
        return 2
    report = Report()
    with tempfile.TemporaryDirectory(prefix="meshgui-smoke-") as work:
        check_bundle_phase(report, args, Path(work))
        check_deb_phase(report, args, Path(work))
    skipped = f", {len(report.skipped)} skipped" if report.skipped else ""
    print(f"{report.passed} passed, {len(report.failed)} failed{skipped}")
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
