"""One connected mesh: the client's signals feed a fresh model, and once a second the model's
view goes out to whoever draws it. Data flows one way: sidecar -> client -> model -> view.

When the client has a thread of its own, the model ingests there and the view is computed there
too, once a second; the GUI thread only receives it through a queued signal (`ViewPost`) and
never waits for the model's lock on a refresh."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from meshgui.client import MeshClient, SidecarTarget
from meshgui.views.view_post import ViewPost

REFRESH_MS = 1000
_log = logging.getLogger(__name__)


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
        self._post = ViewPost(self)
        self._post.delivered.connect(self._on_view_delivered)
        self._worker_refresh: Future[None] | None = None
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
        self._stop_refreshing()
        if self._ingest_on_gui_thread:
            self.client.connect_to(targets)
            self._timer.start()
        else:
            self.client.connect_to(targets, on_snapshot=self._ingest)
            # The view too is computed there: the GUI thread only receives it.
            model = self.model
            self._worker_refresh = self.client.submit(
                lambda: self._refresh_on_worker(model), name="refresh-view"
            )
        self.started.emit(profile_name)

    def set_split_versions(self, on: bool) -> None:
        """Show each version of a service as a node of its own (kept across reconnects)."""
        self.split_versions = on
        split = getattr(self.model, "set_split_versions", None)  # optional in the model's API
        if split is not None:
            split(on)

    def stop(self) -> None:
        self._stop_refreshing()
        self.client.disconnect_all()
        self.model = None
        self.profile_name = None

    def shutdown(self) -> None:
        self._stop_refreshing()
        self.client.shutdown()

    def history(self, key: Any, seconds: float) -> Any:
        return self.model.history(key, seconds) if self.model is not None else None

    def tick(self) -> None:
        """Refresh now: at once when the model lives on the GUI thread, else the client's
        thread computes the view and `refreshed` follows through the event loop."""
        model = self.model
        if model is None:
            return
        if self._ingest_on_gui_thread:
            changed = model.changed_edges()  # since the previous view(): ask before view()
            self.refreshed.emit(model.view(), changed)
        else:
            self.client.submit(lambda: self._publish_once(model), name="refresh-view-now")

    def publish_view(self, model: Any) -> None:
        """Compute `model`'s view and changed edges here (the client's thread) and post them to
        the GUI thread, where `refreshed` carries them on if `model` is still the one shown."""
        changed = model.changed_edges()  # since the previous view(): ask before view()
        self._post.post(model, model.view(), changed)

    async def _publish_once(self, model: Any) -> None:
        self.publish_view(model)

    async def _refresh_on_worker(self, model: Any) -> None:
        while True:
            await asyncio.sleep(REFRESH_MS / 1000)
            try:
                self.publish_view(model)
            except Exception:  # one bad refresh must not end them all
                _log.exception("computing the view failed")

    def _stop_refreshing(self) -> None:
        self._timer.stop()
        if self._worker_refresh is not None:
            self._worker_refresh.cancel()
            self._worker_refresh = None
        self._post.drop()

    def _on_view_delivered(self, model: Any, view: Any, changed: Any) -> None:
        if model is self.model:  # else a refresh of a mesh no longer shown
            self.refreshed.emit(view, changed)

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
