"""`MeshSession` hands the model's ingest to a client that can run it on its own thread (the
GUI thread then only passes the signal on), and ingests on the GUI thread when the client cannot
(the window tests' `FakeClient`). Each start says so with `started`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from meshgui.client import SidecarTarget
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

    def connect_to(
        self,
        targets: Iterable[SidecarTarget],
        on_snapshot: Callable[[str, Any], None] | None = None,
    ) -> None:
        super().connect_to(targets)
        self.on_snapshot = on_snapshot


SessionMaker = Callable[[FakeClient], tuple[MeshSession, list[FakeModel]]]


@pytest.fixture
def session_with(qtbot: QtBot) -> Iterator[SessionMaker]:
    """A session on `client` making `FakeModel`s (the list of every one it made); stopped after."""
    sessions: list[MeshSession] = []

    def make(client: FakeClient) -> tuple[MeshSession, list[FakeModel]]:
        models: list[FakeModel] = []

        def new_model() -> FakeModel:
            models.append(FakeModel())
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
