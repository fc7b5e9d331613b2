"""A fake admin client for config fetch/apply tests: answers from a script, no network."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from meshgui.client.targets import SidecarTarget
from proxy.admin.errors import AdminError
from proxy.admin.models import ConfigState
from proxy.config import MeshConfig, dump_mesh_yaml, parse_mesh_document


@dataclass
class FakeSidecar:
    """One sidecar's config; `error` is raised by every call, `hang` makes calls never end."""

    mesh: MeshConfig
    error: AdminError | None = None
    hang: bool = False
    applied: list[tuple[str, int | None]] = field(default_factory=list)
    closed: int = 0


class FakeAdmin:
    """Has the calls of `AdminClient` that config operations and the stream watch make."""

    def __init__(self, sidecar: FakeSidecar) -> None:
        self._sidecar = sidecar
        self.on_stream_retry: object = None  # AdminClient's hook; these streams never retry

    async def _answer(self) -> None:
        if self._sidecar.hang:
            await asyncio.Event().wait()
        if self._sidecar.error is not None:
            raise self._sidecar.error

    async def get_config(self) -> ConfigState:
        await self._answer()
        mesh = self._sidecar.mesh
        return ConfigState(version=mesh.version, document=dump_mesh_yaml(mesh))

    async def apply_config(self, document: str, expected_version: int | None) -> int:
        await self._answer()
        self._sidecar.applied.append((document, expected_version))
        mesh = parse_mesh_document(document)
        current = self._sidecar.mesh.version
        self._sidecar.mesh = mesh.with_version(max(mesh.version, current + 1))
        return self._sidecar.mesh.version

    async def watch_stats(self, interval: float = 1.0) -> AsyncIterator[object]:
        await asyncio.Event().wait()  # the stream watch of MeshClient: nothing to report
        yield object()

    async def watch_events(self) -> AsyncIterator[object]:
        await asyncio.Event().wait()
        yield object()

    async def close(self) -> None:
        self._sidecar.closed += 1


class FakeFleet:
    """Fake sidecars by id, and the client factory that reaches them."""

    def __init__(self, sidecars: dict[str, FakeSidecar]) -> None:
        self.sidecars = sidecars

    def targets(self) -> list[SidecarTarget]:
        return [
            SidecarTarget(sid, f"10.0.0.{n}:15000", "secret-token")
            for n, sid in enumerate(self.sidecars, 1)
        ]

    def __call__(self, target: SidecarTarget) -> FakeAdmin:
        return FakeAdmin(self.sidecars[target.sidecar_id])
