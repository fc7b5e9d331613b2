"""Finds the project's resource files (icons, style sheets, samples) wherever the app runs:
a source checkout, an installed wheel's data directory, or a PyInstaller bundle."""

from __future__ import annotations

import os
import sys
from pathlib import Path


class ResourceNotFoundError(FileNotFoundError):
    pass


def resource_roots() -> list[Path]:
    roots: list[Path] = []
    override = os.environ.get("MESHGUI_RESOURCES")
    if override:
        roots.append(Path(override))
    bundle = getattr(sys, "_MEIPASS", None)  # set by PyInstaller's bootloader
    if bundle:
        roots.append(Path(bundle) / "resources")
    roots.append(Path(__file__).resolve().parent.parent / "resources")  # source checkout
    roots.append(Path(sys.prefix) / "share" / "meshgui" / "resources")  # installed data files
    return roots


def resource_path(relative: str) -> Path:
    """Path of a resource such as ``icons/meshgui.svg``; raises with every place looked in."""
    tried = []
    for root in resource_roots():
        candidate = root / relative
        if candidate.is_file():
            return candidate
        tried.append(str(candidate))
    raise ResourceNotFoundError(f"resource {relative!r} not found; looked in: {', '.join(tried)}")
