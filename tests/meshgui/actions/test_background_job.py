"""Background jobs: the work runs off the GUI thread, a progress dialog appears only when it takes
a while, Cancel reaches the work, and every ending is reported once on the GUI thread."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.qtbot import QtBot

from meshgui.actions.background_job import BackgroundJob, Progress

WAIT_MS = 5000


@pytest.fixture
def window(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


class Gate:
    """Work that reports progress and then waits until the test opens the gate."""

    def __init__(self) -> None:
        self.opened = threading.Event()
        self.thread: threading.Thread | None = None
        self.answers: list[bool] = []

    def __call__(self, progress: Progress) -> str:
        self.thread = threading.current_thread()
        self.answers.append(progress(3, 10))
        assert self.opened.wait(WAIT_MS / 1000)
        self.answers.append(progress(10, 10))
        if not self.answers[-1]:
            raise RuntimeError("stopped")
        return "done"


@pytest.fixture
def gate() -> Iterator[Gate]:
    work = Gate()
    yield work
    work.opened.set()  # never leave a worker waiting


def test_the_work_runs_off_the_gui_thread_and_its_result_arrives_on_it(
    qtbot: QtBot, window: QWidget, gate: Gate
) -> None:
    job = BackgroundJob(window, "Saving", "Writing…", gate, show_after_ms=10_000)
    received: list[tuple[object, threading.Thread]] = []
    job.succeeded.connect(lambda result: received.append((result, threading.current_thread())))
    job.start()
    assert job.running
    gate.opened.set()
    qtbot.waitUntil(lambda: bool(received), timeout=WAIT_MS)
    assert received == [("done", threading.main_thread())]
    assert gate.thread is not threading.main_thread()
    assert not job.running
    assert not job.dialog_shown  # quick work: no dialog flashed up


def test_slow_work_shows_progress_and_cancel_stops_it(
    qtbot: QtBot, window: QWidget, gate: Gate
) -> None:
    job = BackgroundJob(window, "Saving", "Writing big.zip…", gate, show_after_ms=20)
    outcomes: list[str] = []
    job.succeeded.connect(lambda _: outcomes.append("succeeded"))
    job.failed.connect(lambda _: outcomes.append("failed"))
    job.cancelled.connect(lambda: outcomes.append("cancelled"))
    job.start()
    qtbot.waitUntil(lambda: job.dialog.isVisible() and job.dialog.value() == 3, timeout=WAIT_MS)
    assert job.dialog.maximum() == 10
    assert job.dialog.labelText() == "Writing big.zip…"
    assert job.dialog_shown
    cancel = job.dialog.findChild(QPushButton)
    assert cancel is not None and cancel.text() == "&Cancel"
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    gate.opened.set()
    qtbot.waitUntil(lambda: bool(outcomes), timeout=WAIT_MS)
    assert outcomes == ["cancelled"]
    assert gate.answers == [True, False]


def test_a_failure_is_reported_with_its_exception(qtbot: QtBot, window: QWidget) -> None:
    def broken(_progress: Progress) -> None:
        raise OSError(28, "No space left on device")

    job = BackgroundJob(window, "Saving", "Writing…", broken)
    with qtbot.waitSignal(job.failed, timeout=WAIT_MS) as failed:
        job.start()
    error = failed.args[0]
    assert isinstance(error, OSError) and error.strerror == "No space left on device"
    assert job.wait(1.0)
