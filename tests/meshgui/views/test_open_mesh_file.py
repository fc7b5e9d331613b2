"""File > Open Mesh Config: a native mesh YAML or a sidecar file gives its MeshConfig; a bad one
shows every problem with file, field path, reason and line, and gives nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from meshgui.views.open_mesh_file import (
    SHOWN_PROBLEMS,
    ChooseFile,
    ask_mesh_file,
    load_mesh_file,
)
from proxy.config import dump_mesh_yaml
from tests.meshgui.export.samples import SAMPLE, sample


@pytest.fixture
def window(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def chooser(path: Path | str, seen: list[str] | None = None) -> ChooseFile:
    def choose(_parent: QWidget, folder: str) -> str:
        if seen is not None:
            seen.append(folder)
        return str(path)

    return choose


def error_box(window: QWidget) -> QMessageBox:
    boxes = [b for b in window.findChildren(QMessageBox) if b.objectName() == "meshConfigError"]
    assert len(boxes) == 1
    return boxes[0]


def test_a_native_file_gives_its_mesh_and_the_folder_is_remembered(
    window: QWidget, settings: QSettings, tmp_path: Path
) -> None:
    native = tmp_path / "configs" / "mesh.yaml"
    native.parent.mkdir()
    native.write_text(dump_mesh_yaml(sample().mesh), encoding="utf-8")
    seen: list[str] = []
    opened = ask_mesh_file(window, settings, choose=chooser(native, seen))
    assert opened is not None
    mesh, path = opened  # the change pipeline unpacks it so
    assert (mesh, path) == (sample().mesh, native)
    assert seen == [str(Path.home())]
    ask_mesh_file(window, settings, choose=chooser(native, seen))
    assert seen[-1] == str(native.parent)


def test_a_sidecar_file_gives_its_mesh_part() -> None:
    assert load_mesh_file(SAMPLE) == sample().mesh


def test_cancelling_gives_nothing(window: QWidget, settings: QSettings) -> None:
    assert ask_mesh_file(window, settings, choose=chooser("")) is None
    assert ask_mesh_file(window, choose=chooser("")) is None  # the app's own settings
    assert window.findChildren(QMessageBox) == []


def test_a_bad_file_shows_each_problem_with_path_reason_and_line(
    qtbot: QtBot, window: QWidget, settings: QSettings, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "version: 3\nservices:\n  web: {protocl: http}\n  cart: {protocol: smtp}\n",
        encoding="utf-8",
    )
    assert ask_mesh_file(window, settings, choose=chooser(broken)) is None
    box = error_box(window)
    assert box.isVisible()
    assert box.text() == f"{broken} has 2 problems; nothing was changed."
    lines = box.informativeText().splitlines()
    assert any(line.startswith("• services.web.protocl: unknown key 'protocl'") for line in lines)
    assert any("services.web.protocl" in line and "(line 3)" in line for line in lines)
    assert any(
        line.startswith("• services.cart.protocol:") and "(line 4)" in line for line in lines
    )
    assert str(broken) in box.detailedText()
    qtbot.wait(20)
    box.grab().save(str(tmp_path / "mesh-config-error.png"))
    box.close()


def test_an_unreadable_file_is_said_so(
    window: QWidget, settings: QSettings, tmp_path: Path
) -> None:
    assert ask_mesh_file(window, settings, choose=chooser(tmp_path / "gone.yaml")) is None
    box = error_box(window)
    assert "has 1 problem;" in box.text()
    assert box.informativeText().startswith("• the file: cannot read the file")


def test_many_problems_are_cut_short_but_all_are_in_the_details(
    window: QWidget, settings: QSettings, tmp_path: Path
) -> None:
    broken = tmp_path / "many.yaml"
    services = "".join(f"  s{i}: {{colour: red}}\n" for i in range(SHOWN_PROBLEMS + 5))
    broken.write_text(f"services:\n{services}", encoding="utf-8")
    ask_mesh_file(window, settings, choose=chooser(broken))
    box = error_box(window)
    lines = box.informativeText().splitlines()
    assert len(lines) == SHOWN_PROBLEMS + 1
    assert lines[-1] == "… and 5 more (Show Details)"
    assert box.detailedText().count("unknown key 'colour'") == SHOWN_PROBLEMS + 5
