"""`meshgui export --connection-file` against real sidecars: the newest running config is
exported, which sidecars answered is said, and a wrong token, a dead sidecar or an unreadable
file is reported clearly with a non-zero exit when nothing (or, asked for, not all) answered."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from meshgui.__main__ import main
from meshgui.connection_file import (
    ConnectionFile,
    FileToken,
    InlineToken,
    SidecarEntry,
    TokenRef,
    save_connection_file,
)
from meshgui.demo.ports import free_port
from proxy.config import dump_mesh_yaml, parse_mesh_document
from tests.harness.admin import admin_client, admin_settings
from tests.harness.processes import ProcessPool, RunningSidecar, SidecarPorts

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(90)]
TIMEOUT = "2"
"""--timeout for the runs that meet a dead sidecar: the whole run must stay well under a minute."""


@dataclass
class Mesh:
    sidecars: list[RunningSidecar]
    mesh: dict[str, Any]
    token_file: Path


def start_sidecars(processes: ProcessPool, count: int = 3) -> Mesh:
    """`count` sidecars (web-1, inventory-1..) sharing one mesh config, each with the e2e admin
    token; no apps, since only the admin API is asked."""
    settings = admin_settings(processes.workdir)
    ports = [SidecarPorts.allocate() for _ in range(count)]
    names = ["web-1", *(f"inventory-{i}" for i in range(1, count))]
    endpoints = [
        {"name": n, "address": f"127.0.0.1:{p.inbound}"} for n, p in zip(names, ports, strict=True)
    ]
    mesh: dict[str, Any] = {
        "version": 4,
        "services": {
            "web": {"endpoints": endpoints[:1]},
            "inventory": {"endpoints": endpoints[1:]},
        },
    }
    sidecars = [
        processes.start_sidecar(
            {"service": name.rsplit("-", 1)[0], "instance": name, "app": None, **settings},
            mesh,
            port,
        )
        for name, port in zip(names, ports, strict=True)
    ]
    return Mesh(sidecars, mesh, Path(settings["token"]["file"]))


def connection_file(
    tmp_path: Path, mesh: Mesh, tokens: dict[str, TokenRef] | None = None, dead: int = 0
) -> Path:
    entries = [
        SidecarEntry(
            service=sidecar.name.rsplit("-", 1)[0],
            instance=sidecar.name,
            admin=f"127.0.0.1:{sidecar.ports.admin}",
            metrics_url=f"{sidecar.metrics_url}/metrics",
            token=(tokens or {}).get(sidecar.name, FileToken(path=mesh.token_file)),
        )
        for sidecar in mesh.sidecars
    ]
    entries.extend(ghost_entry(mesh.token_file, i + 1) for i in range(dead))
    path = tmp_path / "mesh.connection.yaml"
    save_connection_file(ConnectionFile(name="e2e-shop", sidecars=tuple(entries)), path)
    return path


def ghost_entry(token_file: Path, number: int = 1) -> SidecarEntry:
    """A sidecar the file lists but nothing listens for."""
    return SidecarEntry(
        service="ghost",
        instance=f"ghost-{number}",
        admin=f"127.0.0.1:{free_port()}",
        metrics_url="http://127.0.0.1:1/metrics",
        token=FileToken(path=token_file),
    )


def export(
    capsys: pytest.CaptureFixture[str], connection: Path, out: Path, *extra: str
) -> tuple[int, str, str]:
    code = main(
        [
            "export",
            "--connection-file",
            str(connection),
            "--format",
            "native",
            "-o",
            str(out),
            *extra,
        ]
    )
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_every_sidecar_answers_and_the_running_config_is_exported(
    processes: ProcessPool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mesh = start_sidecars(processes)
    code, out, err = export(capsys, connection_file(tmp_path, mesh), tmp_path / "out")
    assert code == 0, err
    assert "e2e-shop: mesh version 4 from web-1; 3 of 3 sidecars answered: " in out
    assert "web-1, inventory-1, inventory-2" in out
    assert err == ""
    written = (tmp_path / "out" / "mesh.yaml").read_text(encoding="utf-8")
    assert written == dump_mesh_yaml(parse_mesh_document(mesh.mesh))


def test_the_newest_version_wins_and_lagging_sidecars_are_named(
    processes: ProcessPool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mesh = start_sidecars(processes)
    changed = {**mesh.mesh, "version": 9, "services": {**mesh.mesh["services"], "extra": {}}}

    async def apply_to_inventory_2() -> int:
        async with admin_client(mesh.sidecars[2]) as client:
            return await client.apply_config(dump_mesh_yaml(parse_mesh_document(changed)), None)

    version = asyncio.run(apply_to_inventory_2())
    code, out, err = export(
        capsys, connection_file(tmp_path, mesh), tmp_path / "out", "--format", "istio"
    )
    assert code == 0, err
    assert f"mesh version {version} from inventory-2; 3 of 3 sidecars answered" in out
    assert f"warning: web-1 (127.0.0.1:{mesh.sidecars[0].ports.admin}) runs mesh version 4" in err
    assert "warning: inventory-1 (" in err and "it missed a change" in err
    assert "from the running mesh e2e-shop, version 9 from inventory-2" in (
        tmp_path / "out" / "istio.yaml"
    ).read_text(encoding="utf-8")


def test_a_wrong_token_and_a_dead_sidecar_are_reported_and_the_rest_exported(
    processes: ProcessPool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mesh = start_sidecars(processes)
    wrong = {"inventory-1": InlineToken(value="not-the-token")}
    connection = connection_file(tmp_path, mesh, wrong, dead=1)
    started = time.monotonic()
    code, out, err = export(capsys, connection, tmp_path / "out", "--timeout", TIMEOUT)
    assert time.monotonic() - started < 15
    assert code == 0, err
    assert "2 of 4 sidecars answered: web-1, inventory-2" in out
    assert "warning: inventory-1 (" in err and "refused the admin token" in err
    assert (
        "warning: ghost-1 (" in err
        and "not reachable (Connection refused): is the sidecar running?" in err
    )
    assert "not-the-token" not in out + err
    assert (tmp_path / "out" / "mesh.yaml").exists()

    code, out, err = export(
        capsys, connection, tmp_path / "strict", "--require-all", "--timeout", TIMEOUT
    )
    assert code == 1
    assert "error: inventory-1 (" in err and "error: ghost-1 (" in err
    assert "2 of 4 sidecars did not answer (--require-all)" in err
    assert not (tmp_path / "strict").exists()


def test_nothing_answering_exits_1_naming_each_reason(
    processes: ProcessPool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mesh = start_sidecars(processes, count=3)
    mesh.sidecars[2].stop()  # a sidecar that was there and died
    tokens: dict[str, TokenRef] = {
        "web-1": InlineToken(value="wrong"),
        "inventory-1": FileToken(path=tmp_path / "no-such-token"),
    }
    connection = connection_file(tmp_path, mesh, tokens)
    code, out, err = export(capsys, connection, tmp_path / "out", "--timeout", TIMEOUT)
    assert code == 1
    assert out == ""
    assert "error: web-1 (" in err and "refused the admin token" in err
    assert "error: inventory-1 (" in err and "no admin token: cannot read the token file" in err
    assert "error: inventory-2 (" in err and "is the sidecar running?" in err
    assert "none of the 3 sidecars of e2e-shop answered" in err
    assert not (tmp_path / "out").exists()


def test_an_unreadable_or_foreign_connection_file_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = export(capsys, tmp_path / "missing.yaml", tmp_path / "out")
    assert code == 1 and "missing.yaml: cannot read the file" in err
    foreign = tmp_path / "foreign.yaml"
    foreign.write_text("format: something/v9\nsidecars: []\n", encoding="utf-8")
    code, _, err = export(capsys, foreign, tmp_path / "out")
    assert code == 1 and "format: unsupported format 'something/v9'" in err
    good = tmp_path / "good.yaml"
    save_connection_file(ConnectionFile(name="x", sidecars=(ghost_entry(tmp_path),)), good)
    code, _, err = export(capsys, good, tmp_path / "out", "--ca-file", str(tmp_path / "no-ca.pem"))
    assert code == 1 and f"cannot read the CA file {tmp_path / 'no-ca.pem'}" in err
    empty = tmp_path / "empty.yaml"
    save_connection_file(ConnectionFile(name="nothing"), empty)
    code, _, err = export(capsys, empty, tmp_path / "out")
    assert code == 1 and "lists no sidecars" in err


@pytest.mark.parametrize(
    "args",
    [
        ["--from-file", "a.yaml", "--connection-file", "b.yaml", "--format", "istio", "-o", "o"],
        ["--format", "istio", "-o", "o"],
        ["--connection-file", "b.yaml", "--format", "istio", "-o", "o", "--timeout", "0"],
    ],
)
def test_usage_errors_exit_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["export", *args])
    assert exited.value.code == 2
    assert "usage: meshgui export" in capsys.readouterr().err


def test_the_live_export_imports_no_qt(processes: ProcessPool, tmp_path: Path) -> None:
    mesh = start_sidecars(processes, count=1)
    connection = connection_file(tmp_path, mesh)
    script = (
        "import sys; from meshgui.__main__ import main; "
        f"code = main(['export', '--connection-file', {str(connection)!r}, '--format', 'envoy', "
        f"'-o', {str(tmp_path / 'out')!r}]); "
        "qt = [m for m in sys.modules "
        "      if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph')]; "
        "print(code, qt)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.stdout.splitlines()[-1] == "0 []", result.stderr
