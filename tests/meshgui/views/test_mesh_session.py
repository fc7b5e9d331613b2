"""`MeshSession` hands the model's ingest and the view's computing to a client that can run them
on its own thread (the GUI thread then only receives views through a queued signal), and does
both on the GUI thread when the client cannot (the window tests' `FakeClient`). Each start says
so with `started`."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine, Iterable, Iterator
from concurrent.futures import Future
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from meshgui.client import SidecarTarget
from meshgui.model.types import EdgeChanges, EdgeKey
from meshgui.views.mesh_session import MeshSession
from tests.meshgui.views.fake_client import FakeClient
from tests.meshgui.views.fakes import FakeModel

TARGETS = [SidecarTarget("web-1", "127.0.0.1:41001", "tok")]


class CallbackClient(FakeClient):
    """Like `MeshClient`: takes the snapshot callback (and keeps it, as its loop would)."""

    accepts_snapshot_callback = True

    def __init__(self) -> None:
        super().__init__()
        self.on_snapshot: Callable[[str, Any], None] | None = None
        self.jobs: list[tuple[str, Callable[[], Coroutine[Any, Any, Any]], Future[Any]]] = []

    def connect_to(
        self,
        targets: Iterable[SidecarTarget],
        on_snapshot: Callable[[str, Any], None] | None = None,
    ) -> None:
        super().connect_to(targets)
        self.on_snapshot = on_snapshot

    def submit(
        self, coro_factory: Callable[[], Coroutine[Any, Any, Any]], name: str = "job"
    ) -> Future[Any]:
        """Kept, not run: the test runs a job's coroutine where it likes (`run_on_thread`)."""
        future: Future[Any] = Future()
        self.jobs.append((name, coro_factory, future))
        return future


def run_on_thread(work: Callable[[], Any]) -> None:
    """`work` on a thread of its own, as the client's loop would run it."""
    worker = threading.Thread(target=work)
    worker.start()
    worker.join(5.0)
    assert not worker.is_alive()


class ThreadRecordingModel(FakeModel):
    """Records which threads computed views and changed edges."""

    def __init__(self) -> None:
        super().__init__()
        self.view_threads: list[threading.Thread] = []

    def view(self) -> Any:
        self.view_threads.append(threading.current_thread())
        return super().view()

    def changed_edges(self) -> Any:
        self.view_threads.append(threading.current_thread())
        return super().changed_edges()


SessionMaker = Callable[[FakeClient], tuple[MeshSession, list[FakeModel]]]


@pytest.fixture
def session_with(qtbot: QtBot) -> Iterator[SessionMaker]:
    """A session on `client` making `FakeModel`s (the list of every one it made); stopped after."""
    sessions: list[MeshSession] = []

    def make(client: FakeClient) -> tuple[MeshSession, list[FakeModel]]:
        models: list[FakeModel] = []

        def new_model() -> FakeModel:
            models.append(ThreadRecordingModel())
            return models[-1]

        sessions.append(MeshSession(client=client, model_factory=new_model))  # type: ignore[arg-type]
        return sessions[-1], models

    yield make
    for session in sessions:
        session.shutdown()


def test_a_client_with_a_thread_of_its_own_ingests_and_the_signal_does_not_again(
    qtbot: QtBot, session_with: SessionMaker
) -> None:
    client = CallbackClient()
    session, models = session_with(client)
    with qtbot.waitSignal(session.started) as started:
        session.start("prod", TARGETS)
    assert started.args == ["prod"]
    assert client.on_snapshot is not None
    client.on_snapshot("web-1", "snap")  # what the client's loop does
    client.snapshot_received.emit("web-1", "snap")  # then the signal, for other listeners
    assert models[0].ingested == [("web-1", "snap")]


def test_each_start_gives_the_client_the_new_models_ingest(session_with: SessionMaker) -> None:
    client = CallbackClient()
    session, models = session_with(client)
    session.start("prod", TARGETS)
    session.start("staging", TARGETS)
    assert client.on_snapshot is not None
    client.on_snapshot("web-1", "snap")
    assert (models[0].ingested, models[1].ingested) == ([], [("web-1", "snap")])


def test_a_client_without_a_thread_leaves_the_ingest_to_the_gui_thread(
    session_with: SessionMaker,
) -> None:
    client = FakeClient()
    session, models = session_with(client)
    session.start("prod", TARGETS)
    client.snapshot_received.emit("web-1", "snap")
    assert models[0].ingested == [("web-1", "snap")]
    session.stop()
    client.snapshot_received.emit("web-1", "late")  # after stop: nobody to ingest it
    assert models[0].ingested == [("web-1", "snap")]


def test_with_a_client_thread_the_view_is_computed_there_and_received_through_the_event_loop(
    qtbot: QtBot, session_with: SessionMaker
) -> None:
    client = CallbackClient()
    session, models = session_with(client)
    session.start("prod", TARGETS)
    assert [name for name, _, _ in client.jobs] == ["refresh-view"]
    received: list[tuple[Any, Any]] = []
    session.refreshed.connect(lambda view, changed: received.append((view, changed)))
    run_on_thread(lambda: session.publish_view(models[0]))
    assert received == []  # not on the client's thread: queued for the GUI thread
    qtbot.waitUntil(lambda: bool(received), timeout=2000)
    assert received == [(models[0].current, set(models[0].current.edges))]
    model = models[0]
    assert isinstance(model, ThreadRecordingModel)
    assert threading.main_thread() not in model.view_threads
    session.tick()  # a refresh asked for now (versions shown as nodes) goes there too
    assert [name for name, _, _ in client.jobs][-1] == "refresh-view-now"
    run_on_thread(lambda: asyncio.run(client.jobs[-1][1]()))
    qtbot.waitUntil(lambda: len(received) == 2, timeout=2000)
    assert threading.main_thread() not in model.view_threads


def test_views_posted_while_the_gui_thread_was_busy_arrive_as_one_with_every_change(
    qtbot: QtBot, session_with: SessionMaker
) -> None:
    client = CallbackClient()
    session, models = session_with(client)
    session.start("prod", TARGETS)
    received: list[tuple[Any, Any]] = []
    session.refreshed.connect(lambda view, changed: received.append((view, changed)))
    a, b, c = (EdgeKey("web", name, "http") for name in ("a", "b", "c"))
    model = models[0]
    model.changed = EdgeChanges({a, b}, restyled={a}, relabelled={a, b})
    run_on_thread(lambda: session.publish_view(model))
    model.changed = EdgeChanges({c}, restyled={c}, relabelled={c})
    run_on_thread(lambda: session.publish_view(model))
    qtbot.waitUntil(lambda: bool(received), timeout=2000)
    qtbot.wait(50)  # nothing more comes
    [(_, changed)] = received
    assert changed == {a, b, c}
    assert (changed.restyled, changed.relabelled) == ({a, c}, {a, b, c})


def test_a_view_of_a_mesh_no_longer_shown_is_dropped(
    qtbot: QtBot, session_with: SessionMaker
) -> None:
    client = CallbackClient()
    session, models = session_with(client)
    session.start("prod", TARGETS)
    received: list[Any] = []
    session.refreshed.connect(lambda view, changed: received.append(view))
    run_on_thread(lambda: session.publish_view(models[0]))
    session.start("staging", TARGETS)  # before the GUI thread took the first one
    assert client.jobs[0][2].cancelled()  # the old mesh's refreshes stop
    run_on_thread(lambda: session.publish_view(models[0]))  # a late one from the old loop
    qtbot.wait(50)
    assert received == []
    run_on_thread(lambda: session.publish_view(models[1]))
    qtbot.waitUntil(lambda: bool(received), timeout=2000)
    session.stop()
    assert client.jobs[1][2].cancelled()
