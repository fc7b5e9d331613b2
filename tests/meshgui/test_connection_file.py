"""The connection file: the contract between mesh-demo and the desktop app."""

from __future__ import annotations

import stat
from pathlib import Path

import keyring
import pytest
import yaml

from meshgui.connection_file import (
    FORMAT,
    ConnectionFile,
    DemoInfo,
    FileToken,
    InlineToken,
    KeyringToken,
    SidecarEntry,
    TokenUnavailableError,
    dump_connection_file,
    load_connection_file,
    read_token,
    save_connection_file,
)
from proxy.config import ConfigError
from tests.harness.keyring_memory import MemoryKeyring


def sample(token: KeyringToken | FileToken | InlineToken | None = None) -> ConnectionFile:
    entries = (
        SidecarEntry(
            service="inventory",
            instance="inventory-1",
            version="v1",
            admin="127.0.0.1:41001",
            metrics_url="http://127.0.0.1:41002/metrics",
            token=token or KeyringToken(username="demo/run1/inventory-1"),
            pid=4242,
            app_pid=4241,
        ),
        SidecarEntry(
            service="web",
            instance="web-1",
            admin="127.0.0.1:41003",
            metrics_url="http://127.0.0.1:41004/metrics",
        ),
    )
    demo = DemoInfo(run_id="run1", pid=4200, run_dir=Path("/tmp/x"), control="127.0.0.1:41999")
    return ConnectionFile(name="demo/run1", sidecars=entries, demo=demo)


def test_saved_file_loads_back_equal_and_is_private(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "connection.yaml"
    connection = sample()
    save_connection_file(connection, path)
    assert load_connection_file(path) == connection
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["connection.yaml"]  # no temp file left


def test_yaml_says_what_the_app_needs_per_sidecar() -> None:
    data = yaml.safe_load(dump_connection_file(sample()))
    assert data["format"] == FORMAT
    first, second = data["sidecars"]
    assert first == {
        "service": "inventory",
        "instance": "inventory-1",
        "version": "v1",
        "admin": "127.0.0.1:41001",
        "metrics_url": "http://127.0.0.1:41002/metrics",
        "token": {"source": "keyring", "service": "meshgui", "username": "demo/run1/inventory-1"},
        "pid": 4242,
        "app_pid": 4241,
    }
    assert second["version"] is None and "pid" not in second
    assert data["demo"]["control"] == "127.0.0.1:41999"


def test_an_inline_token_is_written_but_never_shown() -> None:
    connection = sample(InlineToken(value="s3cret-token"))  # type: ignore[arg-type]
    assert "s3cret-token" in dump_connection_file(connection)
    assert "s3cret-token" not in repr(connection) and "s3cret-token" not in str(connection)
    assert read_token(connection.sidecars[0].token) == "s3cret-token"  # type: ignore[arg-type]


def test_unknown_keys_and_formats_are_refused_with_their_path(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    data = yaml.safe_load(dump_connection_file(sample()))
    data["sidecars"][0]["admn"] = "127.0.0.1:1"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(ConfigError, match=r"sidecars\[0\]\.admn: unknown key"):
        load_connection_file(path)
    path.write_text("format: meshgui.connection/v9\nname: x\n")
    with pytest.raises(ConfigError, match="unsupported format"):
        load_connection_file(path)
    with pytest.raises(ConfigError, match="cannot read"):
        load_connection_file(tmp_path / "missing.yaml")


def test_tokens_are_read_from_where_they_live(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    keyring.set_password("meshgui", "demo/run1/web-1", "from-keyring")
    assert read_token(KeyringToken(username="demo/run1/web-1")) == "from-keyring"
    token_file = tmp_path / "web-1.token"
    token_file.write_text("from-file\n")
    assert read_token(FileToken(path=token_file)) == "from-file"


def test_a_missing_token_names_where_it_looked_and_not_a_token(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    with pytest.raises(TokenUnavailableError, match="keyring entry meshgui/demo/gone"):
        read_token(KeyringToken(username="demo/gone"))
    with pytest.raises(TokenUnavailableError, match="cannot read the token file"):
        read_token(FileToken(path=tmp_path / "nope"))
    empty = tmp_path / "empty"
    empty.write_text("  \n")
    with pytest.raises(TokenUnavailableError, match="no token in the file"):
        read_token(FileToken(path=empty))
