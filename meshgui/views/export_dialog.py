"""File > Export Config: the mesh config as native mesh-proxy YAML, Istio, Gateway API and Envoy
files in a folder, with what each target could not express shown after writing.

A failure is said as one: an error icon and the app's error red on a red tint, the field at fault
outlined and focused; it stays until the operator changes what was asked.

The formats, folder and namespace chosen are remembered (QSettings). Files already in the folder
are replaced only after the operator agreed to it, and each is written whole or not at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from meshgui.export.common import ExportResult
from meshgui.export.files import write_file
from meshgui.export.targets import FILE_NAMES, TARGETS, Target, export_mesh, render_file
from meshgui.views.error_box import ErrorBox
from meshgui.views.route_editor_fields import mark_invalid
from proxy.config import MeshConfig

FOLDER_KEY = "export/folder"
FORMATS_KEY = "export/formats"
NAMESPACE_KEY = "export/namespace"
TARGET_LABELS: dict[Target, str] = {
    "native": "&Native mesh-proxy YAML (mesh.yaml)",
    "istio": "&Istio VirtualService + DestinationRule (istio.yaml)",
    "gateway": "&Gateway API HTTPRoute (gateway-api.yaml)",
    "envoy": "&Envoy static bootstrap (envoy.yaml)",
}
_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
BAD_NAMESPACE = "The namespace must be a Kubernetes name: a-z, 0-9 and '-'."

ConfirmReplace = Callable[[QWidget, Sequence[Path]], bool]


def ask_to_replace(parent: QWidget, existing: Sequence[Path]) -> bool:
    names = ", ".join(path.name for path in existing)
    them = "it" if len(existing) == 1 else "them"
    answer = QMessageBox.question(
        parent,
        "Replace Files?",
        f"{existing[0].parent} already has {names}.\n\nReplace {them}?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


def write_exports(
    mesh: MeshConfig, targets: Sequence[Target], folder: Path, *, namespace: str, source: str
) -> dict[Target, ExportResult]:
    """Write each target's file into `folder` (made when missing). Raises OSError."""
    folder.mkdir(parents=True, exist_ok=True)
    results: dict[Target, ExportResult] = {}
    for target in targets:
        result = export_mesh(mesh, target, namespace=namespace)
        write_file(folder / FILE_NAMES[target], render_file(result, source))
        results[target] = result
    return results


class ExportDialog(QDialog):
    """Choose formats and a folder, export, read the warnings. `source` says in each file's
    header where the config came from ("demo, mesh version 7")."""

    def __init__(
        self,
        mesh: MeshConfig,
        settings: QSettings,
        *,
        source: str,
        parent: QWidget | None = None,
        confirm_replace: ConfirmReplace = ask_to_replace,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export Config")
        self._mesh = mesh
        self._settings = settings
        self._source = source
        self._confirm_replace = confirm_replace
        self.results: dict[Target, ExportResult] = {}
        """What the last export wrote, by target."""
        remembered = str(settings.value(FORMATS_KEY, "native")).split(",")
        self.checks: dict[Target, QCheckBox] = {}
        formats = QVBoxLayout()
        for target in TARGETS:
            check = QCheckBox(TARGET_LABELS[target], self)
            check.setChecked(target in remembered)
            check.toggled.connect(self._input_changed)
            self.checks[target] = check
            formats.addWidget(check)
        self.folder = QLineEdit(str(settings.value(FOLDER_KEY, _default_folder())), self)
        self.folder.textChanged.connect(self._input_changed)
        browse = QPushButton("&Browse…", self)
        browse.clicked.connect(self.browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        self.namespace = QLineEdit(str(settings.value(NAMESPACE_KEY, "default")), self)
        self.namespace.setToolTip(
            "Kubernetes namespace of the services (Istio, Gateway API, Envoy)"
        )
        self.namespace.textChanged.connect(self._input_changed)
        folder_label = QLabel("&Folder:", self)
        folder_label.setBuddy(self.folder)
        form = QFormLayout()
        form.addRow("Formats:", formats)
        form.addRow(folder_label, folder_row)
        form.addRow("&Namespace:", self.namespace)
        self.error = ErrorBox(self)
        self._error_field: QWidget | None = None
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        # A wrapped label's height follows its width only if the layout is told so.
        self.status.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.report = QPlainTextEdit(self)
        self.report.setReadOnly(True)
        self.report.setPlaceholderText(
            "What each format cannot express is listed here after exporting."
        )
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.export_button = self.buttons.addButton(
            "&Export", QDialogButtonBox.ButtonRole.ApplyRole
        )
        self.export_button.setDefault(True)
        self.export_button.setToolTip("Export (Ctrl+Return)")
        self.export_button.clicked.connect(self.export)
        self.export_shortcut = QShortcut(QKeySequence("Ctrl+Return"), self)
        self.export_shortcut.activated.connect(self.export_button.click)  # no-op when disabled
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.status)
        layout.addWidget(self.report, 1)
        layout.addWidget(self.buttons)
        self.resize(640, 460)
        self._update_buttons()

    def chosen_targets(self) -> list[Target]:
        return [target for target, check in self.checks.items() if check.isChecked()]

    def browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Export Into Folder", self.folder.text())
        if folder:
            self.folder.setText(folder)

    def export(self) -> bool:
        """Write the chosen files; True when written. Asks before replacing files."""
        targets, folder = self.chosen_targets(), Path(self.folder.text().strip()).expanduser()
        namespace = self.namespace.text().strip()
        existing = [folder / FILE_NAMES[t] for t in targets if (folder / FILE_NAMES[t]).exists()]
        if existing and not self._confirm_replace(self, existing):
            self.status.setText("Nothing written: the existing files were kept.")
            return False
        try:
            self.results = write_exports(
                self._mesh, targets, folder, namespace=namespace, source=self._source
            )
        except OSError as exc:
            self.show_error(_write_failure(folder, exc), self.folder)
            return False
        self._remember(targets, folder, namespace)
        self._show_results(folder)
        return True

    def show_error(self, text: str, field: QWidget, *, focus: bool = True) -> None:
        """Say `text` as an error with `field` outlined (and focused, its text selected so
        typing replaces it) until the input changes."""
        if self._error_field is not None and self._error_field is not field:
            mark_invalid(self._error_field, False)
        self._error_field = field
        mark_invalid(field, True)
        self.status.clear()  # an earlier "Wrote 2 files" must not sit beside the failure
        self.error.say(text)
        if focus:
            field.setFocus(Qt.FocusReason.OtherFocusReason)
            if isinstance(field, QLineEdit):
                field.selectAll()

    def _input_changed(self) -> None:
        """What was asked changed: the error about it no longer holds."""
        self.error.say("")
        mark_invalid(self._error_field, False)
        self._error_field = None
        self._update_buttons()

    def _show_results(self, folder: Path) -> None:
        count = sum(len(result.warnings) for result in self.results.values())
        names = ", ".join(FILE_NAMES[target] for target in self.results)
        noun = "file" if len(self.results) == 1 else "files"
        lost = f"{count} settings could not be expressed exactly:" if count else "Nothing was lost."
        self.status.setText(f"Wrote {len(self.results)} {noun} to {folder}: {names}. {lost}")
        groups = [
            "\n".join(
                [f"{FILE_NAMES[target]} ({len(result.warnings)}):"]
                + [f"  • {w}" for w in result.warnings]
            )
            for target, result in self.results.items()
            if result.warnings
        ]
        self.report.setPlainText("\n\n".join(groups))

    def _remember(self, targets: Sequence[Target], folder: Path, namespace: str) -> None:
        self._settings.setValue(FORMATS_KEY, ",".join(targets))
        self._settings.setValue(FOLDER_KEY, str(folder))
        self._settings.setValue(NAMESPACE_KEY, namespace)

    def _update_buttons(self) -> None:
        namespace_ok = bool(_DNS_LABEL.match(self.namespace.text().strip()))
        ready = bool(self.chosen_targets()) and bool(self.folder.text().strip()) and namespace_ok
        self.export_button.setEnabled(ready)
        if not namespace_ok:
            self.show_error(BAD_NAMESPACE, self.namespace, focus=False)  # typing there already
        elif not self.chosen_targets():
            self.status.setText("Choose at least one format.")
        elif not self.results:
            self.status.setText("")


def _write_failure(folder: Path, exc: OSError) -> str:
    if folder.exists() and not folder.is_dir():
        reason = "that is a file, not a folder"
    else:
        reason = exc.strerror or str(exc)
        if exc.filename and Path(exc.filename).parent == folder:  # a file in it, not it
            reason += f" ({exc.filename})"
    return f"Could not write into {folder}: {reason}. Choose a folder you can write into."


def _default_folder() -> str:
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return str(Path(documents or Path.home()) / "mesh-export")
