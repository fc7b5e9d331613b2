"""File > Open Mesh Config: pick a native mesh YAML (or a whole sidecar file) and get the parsed
MeshConfig, or see exactly what is wrong with it (file, field path, reason, line).

Only reading and checking happens here; previewing the difference against the live mesh and
applying it is the change pipeline's, which takes the MeshConfig this returns.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from meshgui.export.cli import read_input
from proxy.config import ConfigError, MeshConfig

FOLDER_KEY = "open_mesh/folder"
FILTER = "Mesh configs (*.yaml *.yml *.json);;All files (*)"
SHOWN_PROBLEMS = 12
"""Problems listed in the message itself; all of them are in its details."""

ChooseFile = Callable[[QWidget, str], str]
"""(parent, start folder) -> the chosen path, "" when cancelled."""


class OpenedMeshFile(NamedTuple):
    """The mesh config read, and the file it came from (for the change's summary)."""

    mesh: MeshConfig
    path: Path


def choose_mesh_file(parent: QWidget, folder: str) -> str:
    path, _ = QFileDialog.getOpenFileName(parent, "Open Mesh Config", folder, FILTER)
    return path


def load_mesh_file(path: Path | str) -> MeshConfig:
    """The mesh config in a native mesh YAML/JSON document or a sidecar file's ``mesh:`` part.
    Raises ConfigError naming every problem, also for a file that cannot be read."""
    mesh, _sidecar = read_input(str(path))
    return mesh


def ask_mesh_file(
    parent: QWidget, settings: QSettings | None = None, *, choose: ChooseFile = choose_mesh_file
) -> OpenedMeshFile | None:
    """Ask for a file and return its mesh config and path; None when cancelled or when the file
    is refused (the ConfigError is then shown in a message box over `parent`). The folder is
    remembered in `settings` (default: the application's)."""
    settings = settings if settings is not None else QSettings()
    chosen = choose(parent, str(settings.value(FOLDER_KEY, str(Path.home()))))
    if not chosen:
        return None
    path = Path(chosen)
    settings.setValue(FOLDER_KEY, str(path.parent))
    try:
        return OpenedMeshFile(load_mesh_file(path), path)
    except ConfigError as error:
        show_config_error(parent, error)
        return None


def show_config_error(parent: QWidget, error: ConfigError) -> QMessageBox:
    """A window-modal message listing the file's problems; returns it (it closes itself)."""
    problems = [_problem_line(p.path, p.reason, p.line) for p in error.problems]
    count = len(problems)
    listed = problems[:SHOWN_PROBLEMS]
    if count > SHOWN_PROBLEMS:
        listed.append(f"… and {count - SHOWN_PROBLEMS} more (Show Details)")
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "Cannot Use This Mesh Config",
        f"{error.source} has {count} problem{'s' if count != 1 else ''}; nothing was changed.",
        QMessageBox.StandardButton.Close,
        parent,
    )
    box.setObjectName("meshConfigError")
    box.setInformativeText("\n".join(listed))
    box.setDetailedText(str(error))
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def _problem_line(path: str, reason: str, line: int | None) -> str:
    where = path or "the file"
    return f"• {where}: {reason}" + (f" (line {line})" if line is not None else "")
