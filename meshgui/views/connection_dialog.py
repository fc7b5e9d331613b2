"""File > Connect…: pick or edit a connection profile — sidecar admin addresses or a connection
file from `mesh-demo`, TLS and its CA, and a token that goes to the keyring (or, without one,
is kept for this session only, which the dialog says plainly)."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QWidget,
)

from meshgui.profiles import ConnectionProfile, ProfileStore

NEW_PROFILE = "New profile"
ADDRESS = re.compile(r"^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9_.-]+):(\d{1,5})$")


def _path_row(edit: QLineEdit, browse: QPushButton) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(edit, 1)
    layout.addWidget(browse)
    return row


class ConnectionDialog(QDialog):
    def __init__(self, store: ProfileStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("connectionDialog")
        self.setWindowTitle("Connect to a mesh")
        self._store = store
        self.profile_box = QComboBox(self)
        self.profile_box.addItems([NEW_PROFILE, *store.names()])
        self.name_edit = QLineEdit(self)
        self.addresses_radio = QRadioButton("Sidecar admin addresses", self)
        self.file_radio = QRadioButton("Connection file", self)
        source = QButtonGroup(self)
        source.addButton(self.addresses_radio)
        source.addButton(self.file_radio)
        self.addresses_radio.setChecked(True)
        self.addresses_edit = QPlainTextEdit(self)
        self.addresses_edit.setPlaceholderText("127.0.0.1:41001\n127.0.0.1:41011")
        self.addresses_edit.setFixedHeight(90)
        self.file_edit = QLineEdit(self)
        file_browse = QPushButton("Browse…", self)
        file_browse.clicked.connect(lambda: self._browse(self.file_edit, "Connection file"))
        self.tls_check = QCheckBox("Use TLS", self)
        self.ca_edit = QLineEdit(self)
        self.ca_edit.setPlaceholderText("CA certificate (PEM)")
        ca_browse = QPushButton("Browse…", self)
        ca_browse.clicked.connect(lambda: self._browse(self.ca_edit, "CA certificate"))
        self.token_edit = QLineEdit(self)
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_note = QLabel(self)
        self.token_note.setWordWrap(True)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("connectionErrors")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #d64541")

        form = QFormLayout(self)
        form.addRow("Profile:", self.profile_box)
        form.addRow("Name:", self.name_edit)
        form.addRow(self.addresses_radio, self.addresses_edit)
        form.addRow(self.file_radio, _path_row(self.file_edit, file_browse))
        form.addRow(self.tls_check, _path_row(self.ca_edit, ca_browse))
        form.addRow("Admin token:", self.token_edit)
        form.addRow("", self.token_note)
        form.addRow(self.error_label)
        buttons = QDialogButtonBox(self)
        self.connect_button = buttons.addButton("Connect", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.delete_button = buttons.addButton(
            "Delete profile", QDialogButtonBox.ButtonRole.DestructiveRole
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.delete_button.clicked.connect(self._delete_profile)
        form.addRow(buttons)

        self.profile_box.currentTextChanged.connect(self._load_profile)
        for control in (self.addresses_radio, self.file_radio, self.tls_check):
            control.toggled.connect(self._update_enabled)
        if store.last_profile in store.names():
            self.profile_box.setCurrentText(store.last_profile)
        self._load_profile(self.profile_box.currentText())

    def _browse(self, edit: QLineEdit, title: str) -> None:
        path, _ = QFileDialog.getOpenFileName(self, title, edit.text() or str(Path.home()))
        if path:
            edit.setText(path)

    def _load_profile(self, name: str) -> None:
        profile = self._store.load(name) if name != NEW_PROFILE else None
        profile = profile or ConnectionProfile(name="")
        self.name_edit.setText(profile.name)
        self.addresses_edit.setPlainText("\n".join(profile.addresses))
        self.file_edit.setText(str(profile.connection_file or ""))
        (self.file_radio if profile.connection_file else self.addresses_radio).setChecked(True)
        self.tls_check.setChecked(profile.tls)
        self.ca_edit.setText(str(profile.ca_file or ""))
        self.token_edit.clear()
        has_token = bool(profile.name) and self._store.token(profile.name) is not None
        self.token_edit.setPlaceholderText(
            "stored — leave empty to keep it" if has_token else "none (read-only sidecars)"
        )
        status = self._store.tokens.status
        self.token_note.setText(
            "Tokens are stored in the system keyring."
            if status.available
            else "No system keyring on this machine: the token is kept for this session only."
        )
        self.delete_button.setEnabled(profile.name != "")
        self.error_label.clear()
        self._update_enabled()

    def _update_enabled(self) -> None:
        by_file = self.file_radio.isChecked()
        self.addresses_edit.setEnabled(not by_file)
        self.file_edit.setEnabled(by_file)
        self.ca_edit.setEnabled(self.tls_check.isChecked())

    def profile(self) -> ConnectionProfile:
        by_file = self.file_radio.isChecked()
        addresses = [a.strip() for a in self.addresses_edit.toPlainText().split()]
        file_text, ca_text = self.file_edit.text().strip(), self.ca_edit.text().strip()
        return ConnectionProfile(
            name=self.name_edit.text().strip(),
            addresses=() if by_file else tuple(a for a in addresses if a),
            connection_file=Path(file_text) if by_file and file_text else None,
            tls=self.tls_check.isChecked(),
            ca_file=Path(ca_text) if ca_text else None,
        )

    def token(self) -> str | None:
        """The token typed in, or None to keep the stored one."""
        return self.token_edit.text().strip() or None

    def problems(self) -> list[str]:
        profile, found = self.profile(), []
        if not profile.name:
            found.append("Give the profile a name.")
        if self.file_radio.isChecked():
            if profile.connection_file is None or not profile.connection_file.is_file():
                found.append("Choose an existing connection file.")
        elif not profile.addresses:
            found.append("Enter at least one sidecar admin address (host:port).")
        bad = [a for a in profile.addresses if not ADDRESS.match(a)]
        if bad:
            found.append(f"Not host:port: {', '.join(bad)}")
        if profile.tls and (profile.ca_file is None or not profile.ca_file.is_file()):
            found.append("TLS needs an existing CA certificate file.")
        return found

    def accept(self) -> None:
        problems = self.problems()
        if problems:
            self.error_label.setText("\n".join(problems))
            return
        self._store.save(self.profile(), self.token())
        super().accept()

    def _delete_profile(self) -> None:
        name = self.profile_box.currentText()
        if name == NEW_PROFILE:
            return
        self._store.delete(name)
        self.profile_box.removeItem(self.profile_box.currentIndex())
        self.profile_box.setCurrentText(NEW_PROFILE)
