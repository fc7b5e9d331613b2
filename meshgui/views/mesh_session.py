"""One connected mesh: the client's signals feed a fresh model, and once a second the model's
view goes out to whoever draws it. Data flows one way: sidecar -> client -> model -> view."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from meshgui.client import MeshClient, SidecarTarget

REFRESH_MS = 1000


def describe_event(sidecar_id: str, event: Any) -> str:
    """One status-bar line for an admin event (ejections, drains, config changes)."""
    kind = getattr(event, "kind", "")
    if kind == "endpoint_ejected":
        return f"{event.endpoint} ({event.service}) ejected for {event.duration_s:.0f} s"
    if kind == "endpoint_readmitted":
        return f"{event.endpoint} ({event.service}) readmitted"
    if kind == "drain_changed":
        return f"{event.target} {'draining' if event.drained else 'undrained'}"
    if kind == "config_applied":
        return f"{sidecar_id}: config version {event.version} applied by {event.by or 'file'}"
    return f"{sidecar_id}: {kind or type(event).__name__}"


def default_model_factory() -> Any:
    from meshgui.model.mesh_model import MeshModel  # the model is written alongside

    return MeshModel()


class MeshSession(QObject):
    refreshed = Signal(object, object)  # TopologyView, set of changed EdgeKeys
    sidecar_failed = Signal(str, str)  # sidecar id, why (never a token)
    event_described = Signal(str)  # an admin event, as a line for the status bar
    started = Signal(str)  # profile name: a fresh model replaced whatever mesh was shown

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        client: MeshClient | None = None,
        model_factory: Callable[[], Any] = default_model_factory,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(parent)
        self.client = client if client is not None else MeshClient(self)
        self.clock = clock
        self.model: Any = None
        self.profile_name: str | None = None
        self.split_versions = False
        self._consumers: list[Callable[[str, Any], None]] = []
        self._ingest_on_gui_thread = True
        """False while the client ingests each snapshot on its own thread (`start`)."""
        self._model_factory = model_factory
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.tick)
        self.client.snapshot_received.connect(self._on_snapshot)
        self.client.info_received.connect(self._on_info)
        self.client.sidecar_connected.connect(self._on_connected)
        self.client.sidecar_disconnected.connect(self._on_disconnected)
        self.client.sidecar_failed.connect(self.sidecar_failed)
        self.client.event_received.connect(
            lambda sidecar, event: self.event_described.emit(describe_event(sidecar, event))
        )

    @property
    def active(self) -> bool:
        return self.model is not None

    def start(self, profile_name: str, targets: Sequence[SidecarTarget]) -> None:
        """Drop whatever mesh was shown and watch `targets` with a fresh model."""
        self.model = self._model_factory()
        self.profile_name = profile_name
        self.set_split_versions(self.split_versions)
        self.model.set_sidecars([t.sidecar_id for t in targets])
        # At 1,000 sidecars ingesting is the larger part of a second's work: the model takes it
        # under its lock on the client's thread, when the client can do that.
        self._ingest_on_gui_thread = not getattr(self.client, "accepts_snapshot_callback", False)
        if self._ingest_on_gui_thread:
            self.client.connect_to(targets)
        else:
            self.client.connect_to(targets, on_snapshot=self._ingest)
        self._timer.start()
        self.started.emit(profile_name)

    def set_split_versions(self, on: bool) -> None:
        """Show each version of a service as a node of its own (kept across reconnects)."""
        self.split_versions = on
        split = getattr(self.model, "set_split_versions", None)  # optional in the model's API
        if split is not None:
            split(on)

    def stop(self) -> None:
        self._timer.stop()
        self.client.disconnect_all()
        self.model = None
        self.profile_name = None

    def shutdown(self) -> None:
        self._timer.stop()
        self.client.shutdown()

    def history(self, key: Any, seconds: float) -> Any:
        return self.model.history(key, seconds) if self.model is not None else None

    def tick(self) -> None:
        if self.model is None:
            return
        changed = self.model.changed_edges()  # since the previous view(): ask before view()
        self.refreshed.emit(self.model.view(), changed)

    def add_snapshot_consumer(self, consume: Callable[[str, Any], None]) -> None:
        """Also feed every snapshot to `consume` (thread-safe: it runs where the model ingests,
        on the client's thread when the client can, else on the GUI thread)."""
        self._consumers.append(consume)

    def _ingest(self, sidecar_id: str, snapshot: Any) -> None:
        model = self.model
        if model is not None:
            model.ingest(sidecar_id, snapshot)
        for consume in self._consumers:
            consume(sidecar_id, snapshot)

    def _on_snapshot(self, sidecar_id: str, snapshot: object) -> None:
        if self._ingest_on_gui_thread:
            self._ingest(sidecar_id, snapshot)

    def _on_info(self, sidecar_id: str, info: object) -> None:
        set_info = getattr(self.model, "set_info", None)  # optional in the model's API
        if set_info is not None:
            set_info(sidecar_id, info)

    def _on_connected(self, sidecar_id: str, at: float) -> None:
        if self.model is not None:
            self.model.sidecar_connected(sidecar_id, at)

    def _on_disconnected(self, sidecar_id: str, at: float) -> None:
        if self.model is not None:
            self.model.sidecar_disconnected(sidecar_id, at)
