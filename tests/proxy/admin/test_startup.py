"""Starting the admin API: never without a token, loudly; never with an unreadable one."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from proxy.admin.startup import is_loopback, start_admin_api
from proxy.config import ConfigError, parse_sidecar_document
from proxy.sidecar import Sidecar
from tests.proxy.admin.conftest import sidecar_config


async def test_without_a_token_source_the_admin_api_does_not_start(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    sidecar = Sidecar(parse_sidecar_document(sidecar_config(tmp_path)))
    with caplog.at_level(logging.WARNING, logger="mesh-proxy.admin"):
        assert await start_admin_api(sidecar) is None
    assert "admin gRPC API NOT started: no token configured" in caplog.text
    assert "admin" not in sidecar.listeners


async def test_an_unreadable_token_stops_the_start(tmp_path: Path) -> None:
    config = sidecar_config(tmp_path, token={"file": str(tmp_path / "missing-token")})
    sidecar = Sidecar(parse_sidecar_document(config))
    with pytest.raises(ConfigError) as caught:
        await start_admin_api(sidecar)
    assert "missing-token" in str(caught.value)


async def test_a_token_from_a_file_starts_it_and_is_never_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    token_file = tmp_path / "token"
    token_file.write_text("file-token-123\n")
    config = sidecar_config(tmp_path, token={"file": str(token_file)})
    sidecar = Sidecar(parse_sidecar_document(config))
    await sidecar.start()
    with caplog.at_level(logging.DEBUG):
        server = await start_admin_api(sidecar)
    try:
        assert server is not None and server.address is not None
        assert sidecar.listeners["admin"] == server.address
    finally:
        if server is not None:
            await server.stop(0)
        await sidecar.stop(drain_timeout=0)
    assert "file-token-123" not in caplog.text


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.8.0.1", True), ("::1", True), ("localhost", True),
     ("0.0.0.0", False), ("10.1.2.3", False), ("admin.example", False)],
)  # fmt: skip
def test_loopback_hosts(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
