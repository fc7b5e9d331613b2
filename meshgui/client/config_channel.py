"""The GUI thread's way to read and change the mesh config: requests go to the client's worker
loop and return an id at once; answers come back as queued signals on the GUI thread.

Like `MeshClient`'s streams, every answer carries the connection generation it was asked in,
and answers for an older connection (the operator reconnected meanwhile) are dropped.
"""

from __future__ import annotations

import contextlib
from collections.abc import Collection, Mapping
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from meshgui.client.config_ops import (
    ApplyProgress,
    ApplyReport,
    ClientFactory,
    SidecarConfig,
    apply_change,
    fetch_configs,
    ops_client_for,
)
from meshgui.client.worker import MeshClient
from meshgui.model.mesh_change import MeshChange


class ConfigChannel(QObject):
    """Config fetch and apply against the sidecars `client` is connected to."""

    fetched = Signal(int, object)  # request id, dict[sidecar id, SidecarConfig]
    progress = Signal(int, object)  # request id, ApplyProgress, as each sidecar answers
    applied = Signal(int, object)  # request id, ApplyReport, when every sidecar has answered

    _answered = Signal(int, int, str, object)  # generation, request id, kind, payload

    def __init__(
        self,
        client: MeshClient,
        parent: QObject | None = None,
        *,
        client_factory: ClientFactory = ops_client_for,
    ) -> None:
        super().__init__(parent)
        self._client = client
        self._client_factory = client_factory
        self._last_id = 0
        self._routes = {"fetched": self.fetched, "progress": self.progress, "applied": self.applied}
        self._answered.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def fetch(self) -> int:
        """Ask every connected sidecar for its config; answered by `fetched`."""
        request_id, generation = self._next_id(), self._client.generation
        targets, factory = self._client.targets, self._client_factory

        async def run() -> None:
            try:
                configs = await fetch_configs(targets, factory)
            except Exception as exc:  # a bug must not leave the caller waiting forever
                why = f"reading the config failed: {type(exc).__name__}: {exc}"
                configs = {
                    t.sidecar_id: SidecarConfig(t.sidecar_id, None, None, why) for t in targets
                }
            self._send(generation, request_id, "fetched", configs)

        self._client.submit(run, name=f"config-fetch:{request_id}")
        return request_id

    def apply(
        self,
        change: MeshChange,
        expected: Mapping[str, int],
        only: Collection[str] | None = None,
    ) -> int:
        """Apply `change` to every connected sidecar (or those in `only`), each only if it runs
        `expected[its id]`; answered by `progress` per sidecar, then `applied`."""
        request_id, generation = self._next_id(), self._client.generation
        targets, factory = self._client.targets, self._client_factory
        expected = dict(expected)
        chosen = None if only is None else tuple(only)

        def report(progress: ApplyProgress) -> None:
            self._send(generation, request_id, "progress", progress)

        async def run() -> None:
            try:
                result = await apply_change(
                    targets, change, expected, report, only=chosen, client_factory=factory
                )
            except Exception as exc:  # a bug must not leave the caller waiting forever
                why = f"applying failed: {type(exc).__name__}: {exc}"
                ids = chosen if chosen is not None else [t.sidecar_id for t in targets]
                result = ApplyReport(
                    change, {s: ApplyProgress(s, "error", message=why) for s in ids}
                )
            self._send(generation, request_id, "applied", result)

        self._client.submit(run, name=f"config-apply:{request_id}")
        return request_id

    def _next_id(self) -> int:
        self._last_id += 1
        return self._last_id

    def _send(self, generation: int, request_id: int, kind: str, payload: object) -> None:
        # Runs on the worker loop. RuntimeError: the GUI side is gone while the loop winds down.
        with contextlib.suppress(RuntimeError):
            self._answered.emit(generation, request_id, kind, payload)

    def _deliver(self, generation: int, request_id: int, kind: str, payload: Any) -> None:
        if generation == self._client.generation:
            self._routes[kind].emit(request_id, payload)
