"""`meshgui --connection-file FILE`: a file that cannot be used is said on one line before any
window opens (exit 2); a good one is connected at start, as `--demo` does, without becoming a
saved profile."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from meshgui.app import open_connection_file
from meshgui.connection_file import (
    ConnectionFile,
    SidecarEntry,
    error_line,
    load_connection_file,
    save_connection_file,
)
from meshgui.demo.ports import free_ports
from meshgui.views.main_window import MainWindow
from proxy.config import ConfigError
from tests.harness.keyring_memory import MemoryKeyring
from tests.meshgui.test_cli import run_meshgui
from tests.meshgui.views.fake_client import FakeClient


def refusing_mesh(path: Path) -> Path:
    """A connection file naming two sidecars on free loopback ports: nobody answers there."""
    admin = free_ports(2)
    entries = tuple(
        SidecarEntry(
            service=service,
            instance=f"{service}-1",
            admin=f"127.0.0.1:{port}",
            metrics_url=f"http://127.0.0.1:{port}/metrics",
        )
        for service, port in zip(("web", "cart"), admin, strict=True)
    )
    save_connection_file(ConnectionFile(name="alldead", sidecars=entries), path)
    return path


def expected_error(path: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        load_connection_file(path)
    return f"meshgui: {error_line(caught.value)}"


def test_a_missing_file_is_said_on_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    result = run_meshgui("--connection-file", str(missing), tmp_path=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == expected_error(missing)
    assert "No such file or directory" in result.stderr and str(missing) in result.stderr
    assert result.stdout == ""


def test_a_mesh_config_is_not_a_connection_file(tmp_path: Path) -> None:
    wrong = tmp_path / "mesh.yaml"
    wrong.write_text("services: {}\n", encoding="utf-8")
    result = run_meshgui("--connection-file", str(wrong), tmp_path=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == expected_error(wrong)
    assert "looks like a mesh config" in result.stderr


def test_a_file_listing_no_sidecars_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.yaml"
    save_connection_file(ConnectionFile(name="empty"), empty)
    result = run_meshgui("--connection-file", str(empty), tmp_path=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == f"meshgui: {empty}: lists no sidecars"


def test_it_does_not_go_with_demo(tmp_path: Path) -> None:
    result = run_meshgui("--demo", "--connection-file", "x.yaml", tmp_path=tmp_path)
    assert result.returncode == 2
    assert "not allowed with argument" in result.stderr


def test_the_help_names_it(tmp_path: Path) -> None:
    result = run_meshgui("--help", tmp_path=tmp_path)
    assert "--connection-file FILE" in result.stdout


def test_sidecars_that_refuse_still_give_a_window(tmp_path: Path, qapp: object) -> None:
    conn = refusing_mesh(tmp_path / "alldead.yaml")
    shot = tmp_path / "shot.png"
    result = run_meshgui(
        "--connection-file",
        str(conn),
        "--screenshot",
        str(shot),
        "--exit-after",
        "3",
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "meshgui: Connecting to 2 sidecars of alldead…" in result.stdout
    assert f"screenshot written to {shot}" in result.stdout
    image = QImage(str(shot))
    assert not image.isNull() and image.width() >= 400 and image.height() >= 300
    settings = "\n".join(p.read_text() for p in (tmp_path / "cfg").rglob("*.conf"))
    assert "[main_window]" in settings  # the settings were written...
    assert "alldead" not in settings  # ...but not the file as a profile, nor as the last one


def test_the_window_is_titled_after_the_profile(
    qtbot: QtBot, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    window = MainWindow(
        QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
        client=FakeClient(),  # type: ignore[arg-type]
        journal_path=tmp_path / "journal.jsonl",
    )
    qtbot.addWidget(window)
    assert open_connection_file(window, str(refusing_mesh(tmp_path / "alldead.yaml")))
    assert window.windowTitle() == "alldead — meshgui"
    assert window.canvas.placeholder_text == "Connecting to alldead…"
    assert window.profiles.last_profile is None
    assert window.profiles.names() == []  # nor saved as a profile
