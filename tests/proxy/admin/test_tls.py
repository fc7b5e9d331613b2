"""The admin API over TLS: a client with the CA gets in; a plaintext client does not."""

from __future__ import annotations

from pathlib import Path

import pytest

from proxy.admin.auth import BearerToken
from proxy.admin.client import AdminClient
from proxy.admin.errors import UnavailableError
from proxy.admin.server import AdminServer
from proxy.config import ConfigError, parse_sidecar_document
from proxy.config.sidecar import AdminTls
from proxy.sidecar import Sidecar
from tests.harness.tls import self_signed
from tests.proxy.admin.conftest import TOKEN, sidecar_config

pytestmark = pytest.mark.timeout(30)


def test_admin_tls_settings_need_both_files() -> None:
    config = sidecar_config(Path("/tmp"), admin_tls={"cert": "/x/cert.pem"})
    with pytest.raises(ConfigError) as caught:
        parse_sidecar_document(config)
    assert [p.path for p in caught.value.problems] == ["sidecar.admin_tls.key"]


def test_admin_tls_read_names_the_unusable_file(tmp_path: Path) -> None:
    (tmp_path / "cert.pem").write_text("not a certificate")
    tls = AdminTls(cert=tmp_path / "cert.pem", key=tmp_path / "key.pem")
    with pytest.raises(ConfigError) as caught:
        tls.read()
    assert caught.value.problems[0].path == "cert" and "no PEM certificate" in str(caught.value)
    pair = self_signed(tmp_path)
    with pytest.raises(ConfigError) as caught:
        AdminTls(cert=pair.cert, key=tmp_path / "missing.pem").read()
    assert caught.value.problems[0].path == "key" and "cannot read" in str(caught.value)


async def test_a_client_verifying_the_ca_gets_in_and_plaintext_does_not(tmp_path: Path) -> None:
    pair = self_signed(tmp_path)
    config = sidecar_config(
        tmp_path / "state", admin_tls={"cert": str(pair.cert), "key": str(pair.key)}
    )
    sidecar = Sidecar(parse_sidecar_document(config))
    await sidecar.start()
    tls = sidecar.settings.admin_tls
    assert tls is not None
    server = AdminServer(sidecar, BearerToken(TOKEN), tls.read())
    try:
        _, port = await server.start()
        async with AdminClient(
            f"127.0.0.1:{port}", TOKEN, ca_file=pair.cert, server_name="localhost"
        ) as client:
            assert (await client.get_info()).instance == "web-1"
        async with AdminClient(f"127.0.0.1:{port}", TOKEN, retry_for=0.0) as plaintext:
            with pytest.raises(UnavailableError):
                await plaintext.get_info()
    finally:
        await server.stop(0)
        await sidecar.stop(drain_timeout=0)
