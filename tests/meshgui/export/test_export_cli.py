"""`meshgui export` as a script runs it: files equal to the golden ones, warnings on stderr, exit
status 0 / 1 (bad input) / 2 (usage), and no Qt."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from meshgui.__main__ import main
from proxy.config import parse_mesh_document
from tests.meshgui.export.samples import REPO, SAMPLE, golden, sample

TIMEOUT_S = 60


def run_export(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "meshgui", "export", *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        cwd=REPO,
        check=False,
    )


@pytest.mark.parametrize(
    ("target", "file_name"),
    [
        ("native", "mesh.yaml"),
        ("istio", "istio.yaml"),
        ("gateway", "gateway-api.yaml"),
        ("envoy", "envoy.yaml"),
    ],
)
def test_each_target_writes_its_golden_file(tmp_path: Path, target: str, file_name: str) -> None:
    result = run_export("--from-file", str(SAMPLE), "--format", target, "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / file_name).read_text(encoding="utf-8") == golden(file_name)
    warnings = [line for line in result.stderr.splitlines() if ": warning: " in line]
    assert (warnings == []) == (target == "native")
    assert all(line.startswith("meshgui export: warning: ") for line in warnings)


def test_export_imports_no_qt(tmp_path: Path) -> None:
    script = (
        "import sys; from meshgui.__main__ import main; "
        f"code = main(['export', '--from-file', {str(SAMPLE)!r}, '--format', 'istio', "
        f"'-o', {str(tmp_path)!r}]); "
        "qt = [m for m in sys.modules "
        "      if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph')]; "
        "print(code, qt)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    assert result.stdout.splitlines()[-1] == "0 []", result.stderr


def test_a_bad_input_file_exits_1_with_the_config_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("services:\n  web: {protocl: http}\n", encoding="utf-8")
    result = run_export("--from-file", str(broken), "--format", "envoy", "-o", str(tmp_path / "o"))
    assert result.returncode == 1
    assert f"{broken}: services.web.protocl: unknown key 'protocl'" in result.stderr
    assert "(line 2)" in result.stderr
    assert not (tmp_path / "o").exists()


def test_a_missing_input_file_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.yaml"
    assert (
        main(["export", "--from-file", str(missing), "--format", "istio", "-o", str(tmp_path)]) == 1
    )
    assert "cannot read the file" in capsys.readouterr().err


def test_an_unwritable_output_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    code = main(["export", "--from-file", str(SAMPLE), "--format", "envoy", "-o", str(blocker)])
    assert code == 1
    assert "cannot write" in capsys.readouterr().err


@pytest.mark.parametrize(
    "args",
    [
        ["--from-file", "x.yaml", "-o", "out"],  # no --format
        ["--from-file", "x.yaml", "--format", "linkerd", "-o", "out"],
        ["--from-file", "x.yaml", "--format", "istio", "-o", "out", "--namespace", "Not_A_Name"],
        ["--from-file", "x.yaml", "--format", "gateway", "-o", "out", "--service-port", "0"],
    ],
)
def test_usage_errors_exit_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["export", *args])
    assert exited.value.code == 2
    assert "usage: meshgui export" in capsys.readouterr().err


def test_a_bare_mesh_document_and_a_namespace(tmp_path: Path) -> None:
    # The native export of the sample is a bare mesh document; export that again.
    native = tmp_path / "mesh.yaml"
    assert (
        main(["export", "--from-file", str(SAMPLE), "--format", "native", "-o", str(tmp_path)]) == 0
    )
    assert parse_mesh_document(native.read_text(encoding="utf-8")) == sample().mesh
    out = tmp_path / "istio"
    code = main(
        [
            "export",
            "--from-file",
            str(native),
            "--format",
            "istio",
            "-o",
            str(out),
            "--namespace",
            "shop",
        ]
    )
    assert code == 0
    hosts = [d["spec"].get("hosts") for d in yaml.safe_load_all((out / "istio.yaml").read_text())]
    assert hosts[0] == ["inventory.shop.svc.cluster.local"]


def test_the_namespace_defaults_to_the_sidecar_files(tmp_path: Path) -> None:
    text = SAMPLE.read_text(encoding="utf-8").replace("namespace: default", "namespace: retail")
    source = tmp_path / "sidecar.yaml"
    source.write_text(text, encoding="utf-8")
    assert (
        main(["export", "--from-file", str(source), "--format", "envoy", "-o", str(tmp_path)]) == 0
    )
    assert "inventory.retail.svc.cluster.local" in (tmp_path / "envoy.yaml").read_text()
