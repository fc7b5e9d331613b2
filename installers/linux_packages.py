"""Turns the PyInstaller bundle (dist/meshgui/) into what people install on Linux: a .deb with
the bundle under /opt/meshgui, and a tarball. Used by installers/build.py."""

from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
import tarfile
from importlib.metadata import version
from pathlib import Path

INSTALLERS = Path(__file__).resolve().parent
ROOT = INSTALLERS.parent
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
LAUNCHERS = ("mesh-proxy", "mesh-demo")
"""Shell scripts put beside the bundle's binary; each runs one of our modules through it."""
COMMANDS = ("meshgui", *LAUNCHERS)
_GLIBC_RE = re.compile(rb"GLIBC_(\d+)\.(\d+)(?:\.(\d+))?\x00")


def project_version() -> str:
    """The one version number: the installed package's metadata, from pyproject.toml."""
    return version("meshgui")


def finish_bundle(bundle: Path) -> None:
    """Put the launchers beside the binary, and drop the symlinks PyInstaller made to libraries
    that bundle_pruning.py kept out (they would dangle)."""
    for name in LAUNCHERS:
        target = bundle / name
        shutil.copyfile(INSTALLERS / "linux" / name, target)
        target.chmod(0o755)
    for path in bundle.rglob("*"):
        if path.is_symlink() and not path.exists():
            path.unlink()


def _elf_files(tree: Path) -> list[Path]:
    found = []
    for path in tree.rglob("*"):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as file:
                if file.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def glibc_floor(bundle: Path) -> str:
    """The newest glibc symbol version any bundled binary needs: the .deb's libc6 minimum
    (the bundle carries its own libraries, but never libc)."""
    newest: tuple[int, ...] = (2, 17)
    for path in _elf_files(bundle):
        for match in _GLIBC_RE.finditer(path.read_bytes()):
            newest = max(newest, tuple(int(part) for part in match.groups() if part))
    return ".".join(str(part) for part in newest)


def debian_architecture() -> str:
    result = subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def _normalise_modes(tree: Path) -> None:
    """Packages must not inherit the builder's umask: 755 for folders and programs, else 644."""
    for path in [tree, *tree.rglob("*")]:
        if path.is_symlink():
            continue
        executable = path.is_dir() or os.access(path, os.X_OK)
        path.chmod(0o755 if executable else 0o644)


def _installed_size_kib(tree: Path) -> int:
    files = [p for p in tree.rglob("*") if p.is_file() and not p.is_symlink()]
    return math.ceil(sum(p.stat().st_size for p in files) / 1024)


def _lay_out_deb_tree(bundle: Path, tree: Path) -> None:
    shutil.copytree(bundle, tree / "opt" / "meshgui", symlinks=True)
    bin_dir = tree / "usr" / "bin"
    bin_dir.mkdir(parents=True)
    for command in COMMANDS:
        (bin_dir / command).symlink_to(f"/opt/meshgui/{command}")
    share = tree / "usr" / "share"
    (share / "applications").mkdir(parents=True)
    shutil.copyfile(
        INSTALLERS / "linux" / "meshgui.desktop", share / "applications" / "meshgui.desktop"
    )
    icons = ROOT / "resources" / "icons"
    for size in ICON_SIZES:
        apps = share / "icons" / "hicolor" / f"{size}x{size}" / "apps"
        apps.mkdir(parents=True)
        shutil.copyfile(icons / f"meshgui-{size}.png", apps / "meshgui.png")
    scalable = share / "icons" / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True)
    shutil.copyfile(icons / "meshgui.svg", scalable / "meshgui.svg")
    doc = share / "doc" / "meshgui"
    doc.mkdir(parents=True)
    shutil.copyfile(INSTALLERS / "deb" / "copyright", doc / "copyright")


def build_deb(bundle: Path, out_dir: Path, work_dir: Path) -> Path:
    """dist/meshgui_<version>_<arch>.deb from the bundle; the tree is laid out under work_dir."""
    project = project_version()
    arch = debian_architecture()
    tree = work_dir / f"meshgui_{project}_{arch}"
    shutil.rmtree(tree, ignore_errors=True)
    _lay_out_deb_tree(bundle, tree)
    control = (INSTALLERS / "deb" / "control.in").read_text(encoding="utf-8")
    fields = {
        "VERSION": project,
        "ARCH": arch,
        "INSTALLED_SIZE": str(_installed_size_kib(tree)),
        "GLIBC": glibc_floor(bundle),
    }
    for key, value in fields.items():
        control = control.replace(f"@{key}@", value)
    if re.search(r"@[A-Z_]+@", control):
        raise ValueError("installers/deb/control.in has a placeholder this script does not fill")
    (tree / "DEBIAN").mkdir()
    (tree / "DEBIAN" / "control").write_text(control, encoding="utf-8")
    _normalise_modes(tree)
    out_dir.mkdir(parents=True, exist_ok=True)
    package = out_dir / f"meshgui_{project}_{arch}.deb"
    subprocess.run(
        ["dpkg-deb", "--build", "--root-owner-group", "-Zzstd", str(tree), str(package)],
        check=True,
    )
    return package


def _as_root(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    return info


def build_tarball(bundle: Path, out_dir: Path) -> Path:
    """dist/meshgui-<version>-linux-<machine>.tar.gz: the bundle as folder meshgui-<version>/,
    with the .desktop entry and icon to install by hand."""
    project = project_version()
    machine = os.uname().machine
    out_dir.mkdir(parents=True, exist_ok=True)
    archive = out_dir / f"meshgui-{project}-linux-{machine}.tar.gz"
    top = f"meshgui-{project}"
    with tarfile.open(archive, "w:gz", compresslevel=6) as tar:
        tar.add(bundle, arcname=top, filter=_as_root)
        desktop = INSTALLERS / "linux" / "meshgui.desktop"
        tar.add(desktop, f"{top}/share/meshgui.desktop", filter=_as_root)
        icon = ROOT / "resources" / "icons" / "meshgui-256.png"
        tar.add(icon, f"{top}/share/meshgui.png", filter=_as_root)
    return archive
