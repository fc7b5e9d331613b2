"""The export dialog's failures are unmistakable: said with an error icon in the error colour,
the field at fault outlined and focused, and kept until the input changes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from meshgui.views.diff_view import REMOVED, readable
from meshgui.views.export_dialog import ExportDialog
from tests.meshgui.export.samples import sample
from tests.meshgui.views.test_export_dialog import SOURCE, Answers, choose

NOWHERE = Path("/proc/nope/dir")


@pytest.fixture
def shown(qtbot: QtBot, tmp_path: Path) -> ExportDialog:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    dialog = ExportDialog(sample().mesh, settings, source=SOURCE, confirm_replace=Answers(True))
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def error_colour(dialog: ExportDialog) -> str:
    return readable(REMOVED, dialog.palette()).name()


def test_a_write_failure_is_an_error_on_the_folder(shown: ExportDialog) -> None:
    choose(shown, NOWHERE, "native")
    shown.namespace.setFocus()
    assert not shown.export()
    assert shown.error.isVisible()
    assert shown.error.text() == (
        f"Could not write into {NOWHERE}: No such file or directory. "
        "Choose a folder you can write into."
    )
    assert not shown.error.icon.pixmap().isNull()  # the error icon
    assert error_colour(shown) in shown.error.message.styleSheet()
    assert error_colour(shown) in shown.folder.styleSheet()  # the folder is outlined
    assert shown.focusWidget() is shown.folder
    assert shown.folder.selectedText() == str(NOWHERE)  # typing replaces it
    assert shown.status.text() == ""


def test_the_error_stays_until_the_input_changes(shown: ExportDialog, tmp_path: Path) -> None:
    choose(shown, NOWHERE, "native")
    assert not shown.export()
    shown.report.setFocus()  # looking elsewhere changes nothing
    assert shown.error.text().startswith("Could not write into")
    shown.checks["istio"].setChecked(True)
    assert not shown.error.isVisible() and shown.error.text() == ""
    assert shown.folder.styleSheet() == ""
    assert not shown.export()  # the same folder again: said again
    shown.folder.setText(str(tmp_path / "out"))
    assert shown.error.text() == ""
    assert shown.export()
    assert shown.status.text().startswith("Wrote 2 files")


def test_a_folder_that_is_a_file_is_said_plainly(shown: ExportDialog, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    choose(shown, blocker, "native")
    assert not shown.export()
    assert shown.error.text().startswith(f"Could not write into {blocker}: that is a file")


def test_an_earlier_success_does_not_sit_beside_a_failure(
    shown: ExportDialog, tmp_path: Path
) -> None:
    choose(shown, tmp_path, "native")
    assert shown.export()
    shown.folder.setText(str(NOWHERE))
    assert not shown.export()
    assert shown.status.text() == "" and shown.error.isVisible()


def test_a_bad_namespace_is_an_error_on_the_namespace(shown: ExportDialog) -> None:
    shown.namespace.setFocus()
    shown.namespace.setText("Not_A_Name")
    assert shown.error.text().startswith("The namespace must be a Kubernetes name")
    assert error_colour(shown) in shown.namespace.styleSheet()
    assert not shown.export_button.isEnabled()
    shown.namespace.setText("retail")
    assert shown.error.text() == "" and shown.namespace.styleSheet() == ""
    assert shown.export_button.isEnabled()


DARK = {
    QPalette.ColorRole.Window: "#2b2b2b",
    QPalette.ColorRole.Base: "#1e1e1e",
    QPalette.ColorRole.Button: "#353535",
    QPalette.ColorRole.WindowText: "#e0e0e0",
    QPalette.ColorRole.Text: "#e0e0e0",
    QPalette.ColorRole.ButtonText: "#e0e0e0",
    QPalette.ColorRole.PlaceholderText: "#888888",
}


@pytest.fixture(params=["light", "dark"])
def theme(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    """The application's palette, light or dark, for dialogs made meanwhile."""
    before = qapp.palette()
    if request.param == "dark":
        palette = QPalette(before)
        for role, colour in DARK.items():
            palette.setColor(role, QColor(colour))
        qapp.setPalette(palette)
    yield request.param
    qapp.setPalette(before)


def test_it_looks_right(qtbot: QtBot, tmp_path: Path, theme: str) -> None:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    shown = ExportDialog(sample().mesh, settings, source=SOURCE)
    qtbot.addWidget(shown)
    shown.show()
    choose(shown, NOWHERE, "native")
    assert not shown.export()
    qtbot.wait(50)  # the layout follows the new texts on the next turn of the event loop
    message = shown.error.message
    assert message.height() >= message.heightForWidth(message.width())  # nothing cut off
    base = shown.palette().color(QPalette.ColorRole.Base)
    assert (base.lightness() < 128) == (theme == "dark")
