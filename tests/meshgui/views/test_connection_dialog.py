"""The connection dialog: profiles saved with their token in the keyring, checked before they
are accepted, and a plain word when the token can only live for this session."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from meshgui.profiles import ConnectionProfile, ProfileStore
from meshgui.secrets import TokenStore
from meshgui.views.connection_dialog import NEW_PROFILE, ConnectionDialog
from tests.harness.keyring_memory import MemoryKeyring


def make_dialog(qtbot: QtBot, tmp_path: Path) -> tuple[ConnectionDialog, ProfileStore]:
    store = ProfileStore(
        QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat), TokenStore()
    )
    dialog = ConnectionDialog(store)
    qtbot.addWidget(dialog)
    return dialog, store


def test_a_new_profile_is_saved_with_its_token_in_the_keyring(
    qtbot: QtBot, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    dialog, store = make_dialog(qtbot, tmp_path)
    assert dialog.profile_box.currentText() == NEW_PROFILE
    dialog.name_edit.setText("staging")
    dialog.addresses_edit.setPlainText("127.0.0.1:41001\n  127.0.0.1:41011\n")
    dialog.token_edit.setText("tok")
    dialog.accept()
    assert dialog.result() == ConnectionDialog.DialogCode.Accepted
    assert store.load("staging") == ConnectionProfile(
        "staging", addresses=("127.0.0.1:41001", "127.0.0.1:41011")
    )
    assert store.token("staging") == "tok"
    assert "keyring" in dialog.token_note.text()


def test_problems_keep_the_dialog_open(
    qtbot: QtBot, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    dialog, store = make_dialog(qtbot, tmp_path)
    dialog.show()
    dialog.addresses_edit.setPlainText("not-an-address")
    dialog.tls_check.setChecked(True)
    dialog.accept()
    assert dialog.isVisible()
    errors = dialog.error_label.text()
    assert "name" in errors and "not-an-address" in errors and "CA" in errors
    dialog.file_radio.setChecked(True)
    assert "connection file" in "\n".join(dialog.problems())
    assert store.names() == []


def test_an_existing_profile_is_loaded_and_its_token_kept(
    qtbot: QtBot, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    conn = tmp_path / "connection.yaml"
    conn.write_text("x")
    ca = tmp_path / "ca.pem"
    ca.write_text("x")
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    store = ProfileStore(settings, TokenStore())
    store.save(ConnectionProfile("demo", connection_file=conn, tls=True, ca_file=ca), "kept")
    store.set_last_profile("demo")
    dialog = ConnectionDialog(store)
    qtbot.addWidget(dialog)
    assert dialog.profile_box.currentText() == "demo"
    assert dialog.file_radio.isChecked() and dialog.file_edit.text() == str(conn)
    assert dialog.tls_check.isChecked() and dialog.ca_edit.isEnabled()
    assert not dialog.addresses_edit.isEnabled()
    assert "leave empty" in dialog.token_edit.placeholderText()
    dialog.accept()
    assert store.token("demo") == "kept"


def test_without_a_keyring_the_dialog_says_the_token_is_for_this_session(
    qtbot: QtBot, tmp_path: Path, no_keyring: None
) -> None:
    dialog, _ = make_dialog(qtbot, tmp_path)
    assert "session only" in dialog.token_note.text()


def test_a_profile_can_be_deleted(
    qtbot: QtBot, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    store = ProfileStore(settings, TokenStore())
    store.save(ConnectionProfile("old", addresses=("h:1",)), "t")
    dialog = ConnectionDialog(store)
    qtbot.addWidget(dialog)
    dialog.profile_box.setCurrentText("old")
    dialog.delete_button.click()
    assert store.names() == [] and store.token("old") is None
    assert dialog.profile_box.currentText() == NEW_PROFILE
