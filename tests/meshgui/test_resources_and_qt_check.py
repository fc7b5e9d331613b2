"""Resources are found from a checkout; a missing Qt library is explained, not thrown."""

from __future__ import annotations

from pathlib import Path

import pytest

from meshgui.qt_check import explain_qt_import_failure
from meshgui.resources import ResourceNotFoundError, resource_path


def test_icon_is_found() -> None:
    path = resource_path("icons/meshgui.svg")
    assert path.read_text().lstrip().startswith("<svg")


def test_override_directory_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "icons").mkdir()
    (tmp_path / "icons" / "meshgui.svg").write_text("<svg/>")
    monkeypatch.setenv("MESHGUI_RESOURCES", str(tmp_path))
    assert resource_path("icons/meshgui.svg") == tmp_path / "icons" / "meshgui.svg"


def test_missing_resource_lists_where_it_looked() -> None:
    with pytest.raises(ResourceNotFoundError, match="looked in"):
        resource_path("icons/nope.svg")


def test_missing_system_library_names_the_package() -> None:
    message = explain_qt_import_failure(
        ImportError("libEGL.so.1: cannot open shared object file: No such file or directory")
    )
    assert "libEGL.so.1" in message
    assert "apt-get install -y libegl1" in message
