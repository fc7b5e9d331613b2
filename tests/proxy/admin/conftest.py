"""In-process admin API fixtures: a real `Sidecar` on ephemeral loopback ports with its real
`AdminServer`, and a client of it. No subprocesses, so these tests run in well under a second."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from proxy.admin.auth import BearerToken
from proxy.admin.client import AdminClient
from proxy.admin.server import AdminServer
from proxy.config import parse_sidecar_document
from proxy.sidecar import Sidecar

TOKEN = "test-token-not-secret"


def mesh_document(version: int = 1) -> dict[str, Any]:
    return {
        "version": version,
        "services": {
            "inventory": {
                "endpoints": [
                    {"name": "inventory-1", "address": "127.0.0.1:9", "labels": {"version": "v1"}},
                    {"name": "inventory-2", "address": "127.0.0.1:9", "labels": {"version": "v2"}},
                ]
            },
            "inventory-db": {
                "protocol": "tcp",
                "endpoints": [{"name": "db-1", "address": "127.0.0.1:9"}],
            },
        },
    }


@dataclass
class LiveAdmin:
    sidecar: Sidecar
    server: AdminServer
    client: AdminClient
    target: str

    def client_with(self, token: str | None, **kwargs: Any) -> AdminClient:
        return AdminClient(self.target, token, retry_for=0.0, **kwargs)


def sidecar_config(state_dir: Path, **extra: Any) -> dict[str, Any]:
    return {
        "sidecar": {
            "service": "web",
            "instance": "web-1",
            "labels": {"version": "v1"},
            "outbound": "127.0.0.1:0",
            "inbound": "127.0.0.1:0",
            "admin": "127.0.0.1:0",
            "metrics": "127.0.0.1:0",
            "tcp_outbound": {"inventory-db": "127.0.0.1:0"},
            "state_dir": str(state_dir),
            **extra,
        },
        "mesh": mesh_document(),
    }


@pytest.fixture
async def live(tmp_path: Path) -> AsyncIterator[LiveAdmin]:
    sidecar = Sidecar(parse_sidecar_document(sidecar_config(tmp_path / "state")))
    await sidecar.start()
    server = AdminServer(sidecar, BearerToken(TOKEN))
    try:
        host, port = await server.start()
        target = f"{host}:{port}"
        client = AdminClient(target, TOKEN, operator="tester", retry_for=0.0)
        try:
            yield LiveAdmin(sidecar, server, client, target)
        finally:
            await client.close()
    finally:
        await server.stop(0)
        await sidecar.stop(drain_timeout=0)
