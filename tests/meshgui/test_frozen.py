"""Child-process command lines from a source install and from a frozen bundle, and the
`meshgui --run-module` dispatch that a bundle's children go through."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from meshgui import __version__
from meshgui.__main__ import main
from meshgui.demo.launch_plan import sidecar_command
from meshgui.frozen import RUN_MODULE_FLAG, is_frozen, python_module_command

TIMEOUT_S = 60


def test_source_install_runs_modules_with_dash_m(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(sys, "frozen", raising=False)
    assert not is_frozen()
    assert python_module_command("proxy") == [sys.executable, "-m", "proxy"]


def test_frozen_bundle_runs_modules_through_its_own_binary(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "/opt/meshgui/meshgui")
    assert is_frozen()
    assert python_module_command("meshgui.demo.app") == [
        "/opt/meshgui/meshgui",
        RUN_MODULE_FLAG,
        "meshgui.demo.app",
    ]
    # The demo's sidecars go through the same place.
    command = sidecar_command(Path("/run/s.yaml"))
    assert command == ["/opt/meshgui/meshgui", RUN_MODULE_FLAG, "proxy", "--config", "/run/s.yaml"]


def _write_module(directory: Path, name: str, body: str) -> None:
    (directory / f"{name}.py").write_text(body, encoding="utf-8")


def test_run_module_passes_the_arguments_and_the_exit_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = tmp_path / "argv.txt"
    body = (
        "import sys\n"
        "if __name__ == '__main__':\n"
        f"    open({str(record)!r}, 'w').write(repr(sys.argv[1:]))\n"
        "    sys.exit(7)\n"
    )
    _write_module(tmp_path, "meshgui_frozen_probe", body)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(sys, "argv", list(sys.argv))  # run_module replaces it
    with pytest.raises(SystemExit) as ended:
        main([RUN_MODULE_FLAG, "meshgui_frozen_probe", "--port", "1"])
    assert ended.value.code == 7
    assert record.read_text(encoding="utf-8") == "['--port', '1']"


def test_run_module_without_a_module_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([RUN_MODULE_FLAG]) == 2
    assert "needs a module name" in capsys.readouterr().err


def test_the_sidecar_runs_through_the_app_command() -> None:
    """What a bundle's `mesh-proxy` launcher does, from a source install."""
    result = subprocess.run(
        [sys.executable, "-m", "meshgui", RUN_MODULE_FLAG, "proxy", "--version"],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"mesh-proxy {__version__} (python build)"
