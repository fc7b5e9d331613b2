"""File > Export Config: chosen formats written as the exporters render them, warnings shown,
choices remembered, nothing replaced without asking, failures said in the dialog."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from meshgui.export.targets import export_mesh, render_file
from meshgui.views.export_dialog import ExportDialog
from proxy.config import MeshConfig, parse_mesh_document
from tests.meshgui.export.samples import sample

SOURCE = "demo, mesh version 7"


class Answers:
    """Stands in for the Replace? question: records what was asked, answers `replace`."""

    def __init__(self, replace: bool) -> None:
        self.replace = replace
        self.asked: list[list[str]] = []

    def __call__(self, _parent: QWidget, existing: Sequence[Path]) -> bool:
        self.asked.append(sorted(path.name for path in existing))
        return self.replace


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def mesh() -> MeshConfig:
    return sample().mesh


def dialog(
    qtbot: QtBot, mesh: MeshConfig, settings: QSettings, answers: Answers | None = None
) -> ExportDialog:
    shown = ExportDialog(mesh, settings, source=SOURCE, confirm_replace=answers or Answers(True))
    qtbot.addWidget(shown)
    shown.show()
    return shown


def choose(shown: ExportDialog, folder: Path, *targets: str) -> None:
    for target, check in shown.checks.items():
        check.setChecked(target in targets)
    shown.folder.setText(str(folder))


def test_native_is_the_default_and_the_files_are_what_the_exporters_render(
    qtbot: QtBot, mesh: MeshConfig, settings: QSettings, tmp_path: Path
) -> None:
    shown = dialog(qtbot, mesh, settings)
    assert shown.chosen_targets() == ["native"]
    choose(shown, tmp_path / "out", "native", "istio", "envoy")
    qtbot.mouseClick(shown.export_button, Qt.MouseButton.LeftButton)
    for target, name in (("native", "mesh.yaml"), ("istio", "istio.yaml"), ("envoy", "envoy.yaml")):
        written = (tmp_path / "out" / name).read_text(encoding="utf-8")
        assert written == render_file(export_mesh(mesh, target), SOURCE)  # type: ignore[arg-type]
    assert not (tmp_path / "out" / "gateway-api.yaml").exists()
    assert parse_mesh_document((tmp_path / "out" / "mesh.yaml").read_text()) == mesh


def test_warnings_are_listed_per_file_after_writing(
    qtbot: QtBot, mesh: MeshConfig, settings: QSettings, tmp_path: Path
) -> None:
    shown = dialog(qtbot, mesh, settings)
    choose(shown, tmp_path, "native", "gateway")
    assert shown.export()
    warnings = export_mesh(mesh, "gateway").warnings
    assert warnings, "the sample must have something Gateway API cannot express"
    assert f"Wrote 2 files to {tmp_path}: mesh.yaml, gateway-api.yaml." in shown.status.text()
    assert f"{len(warnings)} settings could not be expressed exactly" in shown.status.text()
    report = shown.report.toPlainText()
    assert report.startswith(f"gateway-api.yaml ({len(warnings)}):")
    assert all(str(warning) in report for warning in warnings)
    assert "mesh.yaml" not in report  # native loses nothing


def test_choices_are_remembered(
    qtbot: QtBot, mesh: MeshConfig, settings: QSettings, tmp_path: Path
) -> None:
    first = dialog(qtbot, mesh, settings)
    choose(first, tmp_path / "kube", "istio", "gateway")
    first.namespace.setText("shop")
    assert first.export()
    again = dialog(qtbot, mesh, settings)
    assert again.chosen_targets() == ["istio", "gateway"]
    assert again.folder.text() == str(tmp_path / "kube")
    assert again.namespace.text() == "shop"
    assert "shop.svc.cluster.local" in (tmp_path / "kube" / "istio.yaml").read_text()


def test_existing_files_are_replaced_only_when_the_operator_agrees(
    qtbot: QtBot, mesh: MeshConfig, settings: QSettings, tmp_path: Path
) -> None:
    (tmp_path / "mesh.yaml").write_text("precious", encoding="utf-8")
    (tmp_path / "envoy.yaml").write_text("precious", encoding="utf-8")
    refuse = Answers(replace=False)
    shown = dialog(qtbot, mesh, settings, refuse)
    choose(shown, tmp_path, "native", "istio", "envoy")
    assert not shown.export()
    assert refuse.asked == [["envoy.yaml", "mesh.yaml"]]
    assert (tmp_path / "mesh.yaml").read_text() == "precious"
    assert not (tmp_path / "istio.yaml").exists()  # nothing at all was written
    assert "existing files were kept" in shown.status.text()
    refuse.replace = True
    assert shown.export()
    assert (tmp_path / "mesh.yaml").read_text() != "precious"


def test_a_folder_that_cannot_be_written_is_said_in_the_dialog(
    qtbot: QtBot, mesh: MeshConfig, settings: QSettings, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    shown = dialog(qtbot, mesh, settings)
    choose(shown, blocker, "native")
    assert not shown.export()
    assert shown.error.text().startswith(f"Could not write into {blocker}")
    assert settings.value("export/folder") is None  # a failed folder is not remembered


def test_export_needs_a_format_a_folder_and_a_valid_namespace(
    qtbot: QtBot, mesh: MeshConfig, settings: QSettings, tmp_path: Path
) -> None:
    shown = dialog(qtbot, mesh, settings)
    choose(shown, tmp_path)
    assert not shown.export_button.isEnabled()
    assert shown.status.text() == "Choose at least one format."
    choose(shown, tmp_path, "istio")
    assert shown.export_button.isEnabled()
    shown.namespace.setText("Not_A_Name")
    assert not shown.export_button.isEnabled()
    assert "namespace must be a Kubernetes name" in shown.error.text()
    shown.namespace.setText("retail")
    shown.folder.setText("  ")
    assert not shown.export_button.isEnabled()


def test_ctrl_return_exports_and_escape_closes(
    qtbot: QtBot, mesh: MeshConfig, settings: QSettings, tmp_path: Path
) -> None:
    shown = dialog(qtbot, mesh, settings)
    choose(shown, tmp_path, "envoy")
    shown.activateWindow()
    assert QTest.qWaitForWindowActive(shown)  # window shortcuts need the active window
    QTest.keyClick(shown.namespace, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert (tmp_path / "envoy.yaml").exists()
    QTest.keyClick(shown.namespace, Qt.Key.Key_Escape)
    assert not shown.isVisible()


def test_it_looks_right(
    qtbot: QtBot, mesh: MeshConfig, settings: QSettings, tmp_path: Path
) -> None:
    shown = dialog(qtbot, mesh, settings)
    choose(shown, tmp_path, "native", "istio", "gateway", "envoy")
    assert shown.export()
    qtbot.wait(50)  # the layout follows the new texts on the next turn of the event loop
    assert shown.status.height() >= shown.status.heightForWidth(shown.status.width())
    picture = shown.grab()
    assert not picture.isNull()
    picture.save(str(tmp_path / "export-dialog.png"))
