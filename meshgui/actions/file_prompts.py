"""What every file action asks and tells: where to save (a suggested name in the folder used
last), what to open, and why something cannot be done — without waiting on a modal loop, so the
GUI keeps refreshing and tests can drive it. The file dialogs are replaceable (`choose_*`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

FOLDER_KEY = "export/last_file_folder"
ChoosePath = Callable[[QWidget, str, str, str], str]
"""(parent, title, suggested path or folder, filters) -> chosen path, "" when cancelled."""


def choose_save_path(parent: QWidget, title: str, suggested: str, filters: str) -> str:
    return QFileDialog.getSaveFileName(parent, title, suggested, filters)[0]


def choose_open_path(parent: QWidget, title: str, folder: str, filters: str) -> str:
    return QFileDialog.getOpenFileName(parent, title, folder, filters)[0]


class FilePrompts:
    def __init__(
        self,
        window: Callable[[], QWidget],
        settings: QSettings,
        *,
        profile_name: Callable[[], str | None],
        clock: Callable[[], float],
        tell: Callable[[str], None],
    ) -> None:
        """`window`: the parent of dialogs; `tell`: a line for the status bar."""
        self._window = window
        self._settings = settings
        self._profile_name = profile_name
        self._clock = clock
        self._tell = tell
        self.choose_save_path: ChoosePath = choose_save_path
        self.choose_open_path: ChoosePath = choose_open_path
        self.notice: QMessageBox | None = None
        """The last explanation or error shown."""

    @property
    def folder(self) -> Path:
        return Path(str(self._settings.value(FOLDER_KEY, str(Path.home()))))

    def ask_save(self, title: str, stem: str, suffix: str, filters: str) -> Path | None:
        """Where to save; suggests ``<profile>-<stem>-<time>.<suffix>`` in the folder used last.
        A name typed without a suffix gets `suffix`."""
        profile = re.sub(r"[^A-Za-z0-9._-]+", "-", self._profile_name() or "mesh").strip("-")
        stamp = datetime.fromtimestamp(self._clock()).strftime("%Y%m%d-%H%M%S")
        suggested = self.folder / f"{profile}-{stem}-{stamp}.{suffix}"
        chosen = self.choose_save_path(self._window(), title, str(suggested), filters)
        if not chosen:
            return None
        path = Path(chosen)
        self._settings.setValue(FOLDER_KEY, str(path.parent))
        return path if path.suffix else path.with_suffix(f".{suffix}")

    def ask_open(self, title: str, filters: str) -> Path | None:
        chosen = self.choose_open_path(self._window(), title, str(self.folder), filters)
        if not chosen:
            return None
        self._settings.setValue(FOLDER_KEY, str(Path(chosen).parent))
        return Path(chosen)

    def inform(self, title: str, text: str, *, error: bool = False) -> None:
        """A window-modal message nothing waits on, and its first line in the status bar."""
        icon = QMessageBox.Icon.Warning if error else QMessageBox.Icon.Information
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Close, self._window())
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.notice = box
        self._tell(text.splitlines()[0])
