"""Trims the Linux bundle's binaries before PyInstaller copies them (used by meshgui.spec).

Two things PyInstaller does not do well by itself:
- It takes every plugin of the Qt modules in use. The GTK 3 theme drags in ~9 MB of GTK's
  dependency tree (cairo, pango, harfbuzz, gdk-pixbuf...) and still cannot load where GTK is
  not installed (Qt's own Fusion style looks right everywhere); the embedded-device platforms
  (eglfs, linuxfb, vnc) and input drivers (evdev, tuio) bring QtNetwork and EGLFS libraries a
  desktop app never loads. The desktop platforms stay: xcb, wayland, offscreen and minimal.
- Its `strip=True` runs `strip` on everything, which corrupts the auditwheel-patched libraries
  in `*.libs/` folders (numpy's OpenBLAS: "ELF load command address/offset not page-aligned").
  Only the debug sections are worth removing (~46 MB: libpython, uvloop, aiohttp, yaml...), so
  here only files that carry them lose them, with `strip --strip-debug`.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath

TocEntry = tuple[str, str, str]  # (destination name, source path, type code)

_QT_PLUGINS = "PySide6/Qt/plugins"
UNWANTED_QT_PLUGINS = (
    f"{_QT_PLUGINS}/platformthemes/libqgtk3.so",
    f"{_QT_PLUGINS}/generic/*",
    f"{_QT_PLUGINS}/egldeviceintegrations/*",
    *(
        f"{_QT_PLUGINS}/platforms/{name}"
        for name in ("libqeglfs.so", "libqminimalegl.so", "libqlinuxfb.so", "libqvnc.so")
    ),
    f"{_QT_PLUGINS}/platforms/libqvkkhrdisplay.so",
)
"""Patterns (fnmatch) of the bundle paths of Qt plugins that stay out of the bundle."""
_NEEDED_RE = re.compile(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]")


def _is_elf(path: str) -> bool:
    try:
        with open(path, "rb") as file:
            return file.read(4) == b"\x7fELF"
    except OSError:
        return False


def _readelf(option: str, path: str) -> str:
    result = subprocess.run(
        ["readelf", option, "-W", path], capture_output=True, text=True, check=False
    )
    return result.stdout


def _needed(path: str) -> list[str]:
    return _NEEDED_RE.findall(_readelf("-d", path)) if _is_elf(path) else []


def _reachable(starts: Iterable[str], by_name: dict[str, str]) -> set[str]:
    """Names of the bundled libraries that the files in `starts` load, directly or not."""
    seen: set[str] = set()
    stack = [needed for path in starts for needed in _needed(path)]
    while stack:
        name = stack.pop()
        if name in seen or name not in by_name:
            continue
        seen.add(name)
        stack.extend(_needed(by_name[name]))
    return seen


def _is_plugin(dest: str, patterns: Sequence[str]) -> bool:
    return any(fnmatch(PurePosixPath(dest).as_posix(), pattern) for pattern in patterns)


def drop_plugins_and_private_libraries(
    binaries: list[TocEntry], plugins: Sequence[str] = UNWANTED_QT_PLUGINS
) -> list[TocEntry]:
    """`binaries` without the plugins matching `plugins` and the libraries only they load."""
    by_name = {PurePosixPath(dest).name: src for dest, src, kind in binaries if kind != "SYMLINK"}
    dropped = {dest: src for dest, src, _ in binaries if _is_plugin(dest, plugins)}
    candidates = _reachable(dropped.values(), by_name)
    # Everything else is a root, and what the roots load stays, whoever else loads it too.
    roots = [
        src
        for dest, src, _ in binaries
        if dest not in dropped and PurePosixPath(dest).name not in candidates
    ]
    private = candidates - _reachable(roots, by_name)
    return [
        (dest, src, kind)
        for dest, src, kind in binaries
        if dest not in dropped and PurePosixPath(dest).name not in private
    ]


def drop_qt_translations(datas: list[TocEntry]) -> list[TocEntry]:
    """The app speaks English only and installs no QTranslator: Qt's 99 catalogues are 7 MB."""
    return [entry for entry in datas if not entry[0].startswith("PySide6/Qt/translations/")]


def strip_debug_info(binaries: list[TocEntry], workdir: Path) -> list[TocEntry]:
    """`binaries` with every file that carries debug sections replaced by a copy without them
    (made under `workdir`). Without binutils the list is returned as it is."""
    if shutil.which("strip") is None or shutil.which("readelf") is None:
        print("bundle_pruning: no strip/readelf (binutils); the bundle keeps its debug info")
        return binaries
    result: list[TocEntry] = []
    for dest, src, kind in binaries:
        if kind == "SYMLINK" or not _is_elf(src) or ".debug_info" not in _readelf("-S", src):
            result.append((dest, src, kind))
            continue
        copy = workdir / dest
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, copy)
        subprocess.run(["strip", "--strip-debug", str(copy)], check=True)
        result.append((dest, str(copy), kind))
    return result
