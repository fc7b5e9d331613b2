"""The desktop app's one asyncio loop: a worker thread owning every sidecar's gRPC streams.

The GUI thread only calls `connect`/`disconnect` (which hand work to the loop and return at
once) and receives results through queued Qt signals, so it never waits on the network. Each
`connect` starts a new generation; whatever an older generation still had in flight is dropped
on the GUI side, so a reconnect never mixes two meshes.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import threading
from collections.abc import Callable, Coroutine, Iterable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, Signal

from meshgui.client.sidecar_watch import ClientFactory, SidecarWatch, admin_client_for
from meshgui.client.targets import SidecarTarget

SHUTDOWN_WAIT_S = 3.0
_Result = TypeVar("_Result")
SnapshotCallback = Callable[[str, Any], None]
"""Called on the loop thread with (sidecar id, snapshot): must be thread-safe and quick."""
_log = logging.getLogger(__name__)


class _SignalSink:
    """A WatchSink for one generation: every call becomes one queued emission."""

    def __init__(
        self, signal: Any, generation: int, on_snapshot: SnapshotCallback | None = None
    ) -> None:
        self._emit = signal.emit
        self._generation = generation
        self._on_snapshot = on_snapshot

    def _send(self, kind: str, sidecar_id: str, payload: object) -> None:
        # RuntimeError: the GUI side is already gone while the loop winds down.
        with contextlib.suppress(RuntimeError):
            self._emit(self._generation, kind, sidecar_id, payload)

    def snapshot(self, sidecar_id: str, snapshot: Any) -> None:
        if self._on_snapshot is not None:
            # Before the signal, so listeners on the GUI thread already find it ingested. A
            # failing callback must not end the sidecar's watch: logged, and the signal goes.
            try:
                self._on_snapshot(sidecar_id, snapshot)
            except Exception:
                _log.exception("taking the snapshot of %s failed", sidecar_id)
        self._send("snapshot", sidecar_id, snapshot)

    def event(self, sidecar_id: str, event: Any) -> None:
        self._send("event", sidecar_id, event)

    def info(self, sidecar_id: str, info: Any) -> None:
        self._send("info", sidecar_id, info)

    def connected(self, sidecar_id: str, at: float) -> None:
        self._send("connected", sidecar_id, at)

    def disconnected(self, sidecar_id: str, at: float) -> None:
        self._send("disconnected", sidecar_id, at)

    def failed(self, sidecar_id: str, message: str) -> None:
        self._send("failed", sidecar_id, message)


class MeshClient(QObject):
    """Streams from every sidecar of one mesh at a time, delivered on the GUI thread."""

    snapshot_received = Signal(str, object)  # sidecar id, proxy.admin.models.StatsSnapshot
    event_received = Signal(str, object)  # sidecar id, proxy.admin.models.AdminEvent
    info_received = Signal(str, object)  # sidecar id, proxy.admin.models.Info
    sidecar_connected = Signal(str, float)  # sidecar id, wall time
    sidecar_disconnected = Signal(str, float)  # sidecar id, wall time it was last seen alive
    sidecar_failed = Signal(str, str)  # sidecar id, what went wrong (never a token)

    _delivered = Signal(int, str, str, object)  # generation, kind, sidecar id, payload

    accepts_snapshot_callback = True
    """`connect_to` takes `on_snapshot`, run on the loop thread (stand-ins without a loop don't)."""

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        interval: float = 1.0,
        stale_after: float = 3.5,
        client_factory: ClientFactory = admin_client_for,
    ) -> None:
        super().__init__(parent)
        self._interval = interval
        self._stale_after = stale_after
        self._client_factory = client_factory
        self._generation = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._tasks: list[asyncio.Task[None]] = []  # touched on the loop thread only
        self._jobs: set[asyncio.Task[Any]] = set()  # submitted work; loop thread only
        self._targets: tuple[SidecarTarget, ...] = ()
        self._routes = {
            "snapshot": self.snapshot_received,
            "event": self.event_received,
            "info": self.info_received,
            "connected": self.sidecar_connected,
            "disconnected": self.sidecar_disconnected,
            "failed": self.sidecar_failed,
        }
        self._delivered.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def targets(self) -> tuple[SidecarTarget, ...]:
        """The sidecars of the current generation (empty when disconnected)."""
        return self._targets

    @property
    def generation(self) -> int:
        """Grows with every connect, disconnect and shutdown: answers computed for an older
        generation belong to a mesh that is no longer shown and must be dropped."""
        return self._generation

    def submit(
        self, coro_factory: Callable[[], Coroutine[Any, Any, _Result]], name: str = "job"
    ) -> concurrent.futures.Future[_Result]:
        """Run ``coro_factory()`` on the worker loop (it is called there, so whatever it makes
        belongs to that loop); returns at once. Shutdown cancels what is still running."""
        return asyncio.run_coroutine_threadsafe(
            self._run_job(coro_factory, name), self._ensure_loop()
        )

    def connect_to(
        self, targets: Iterable[SidecarTarget], on_snapshot: SnapshotCallback | None = None
    ) -> None:
        """Watch exactly `targets` from now on (any previous mesh is dropped). Returns at once.

        `on_snapshot(sidecar_id, snapshot)` runs on the loop thread for each snapshot of this
        generation, before `snapshot_received` is queued: heavy work that need not be on the GUI
        thread (the model's ingest) goes there. It may still be called for a while after the next
        `connect_to`/`disconnect_all`, until the old streams have stopped."""
        self._generation += 1
        self._targets = tuple(targets)
        loop = self._ensure_loop()
        sink = _SignalSink(self._delivered, self._generation, on_snapshot)
        loop.call_soon_threadsafe(self._restart_watches, self._targets, sink)

    def disconnect_all(self) -> None:
        self._generation += 1
        self._targets = ()
        if self._loop is not None and self.running:
            self._loop.call_soon_threadsafe(self._restart_watches, (), None)

    def shutdown(self, timeout: float = SHUTDOWN_WAIT_S) -> None:
        """Stop every stream and the loop; waits (bounded) for the thread, at quit only."""
        self._generation += 1
        self._targets = ()
        loop, thread = self._loop, self._thread
        self._loop = self._thread = None
        if loop is None or thread is None:
            return
        with contextlib.suppress(RuntimeError):  # the loop already closed
            loop.call_soon_threadsafe(lambda: asyncio.ensure_future(self._stop(loop)))
        thread.join(timeout)

    # -- GUI thread ------------------------------------------------------------------------
    def _deliver(self, generation: int, kind: str, sidecar_id: str, payload: object) -> None:
        if generation == self._generation:
            self._routes[kind].emit(sidecar_id, payload)

    def _ensure_loop(self) -> asyncio.AbstractEventLoop:
        if self._loop is None or not self.running:
            loop = asyncio.new_event_loop()
            thread = threading.Thread(
                target=self._run_loop, args=(loop,), name="meshgui-client", daemon=True
            )
            self._loop, self._thread = loop, thread
            thread.start()
        assert self._loop is not None
        return self._loop

    # -- loop thread -----------------------------------------------------------------------
    @staticmethod
    def _run_loop(loop: asyncio.AbstractEventLoop) -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_forever()
        finally:
            loop.close()

    def _restart_watches(self, targets: tuple[SidecarTarget, ...], sink: Any) -> None:
        for task in self._tasks:
            task.cancel()
        self._tasks = []
        for target in targets:
            watch = SidecarWatch(
                target,
                sink,
                interval=self._interval,
                stale_after=self._stale_after,
                client_factory=self._client_factory,
            )
            name = f"watch:{target.sidecar_id}"
            self._tasks.append(asyncio.create_task(watch.run(), name=name))

    async def _run_job(
        self, coro_factory: Callable[[], Coroutine[Any, Any, _Result]], name: str
    ) -> _Result:
        task = asyncio.current_task()
        assert task is not None
        task.set_name(name)
        self._jobs.add(task)
        try:
            return await coro_factory()
        finally:
            self._jobs.discard(task)

    async def _stop(self, loop: asyncio.AbstractEventLoop) -> None:
        tasks: list[asyncio.Task[Any]] = [*self._tasks, *self._jobs]
        self._tasks = []
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        loop.stop()
