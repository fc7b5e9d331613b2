"""Slow file work (saving or opening a large incident bundle) off the GUI thread, with a
progress dialog that appears only when the work takes a while, and a Cancel that is honoured.

The work runs in a worker thread and reports progress through a callback; the GUI thread polls
that state on a timer, so no Qt object is touched from the worker. The work must not touch Qt
either: give it data gathered beforehand, not widgets.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

Progress = Callable[[int, int], bool]
"""(done, total) -> keep going. The work calls it; False means Cancel was pressed."""
SHOW_AFTER_MS = 400
"""Quicker work finishes without a dialog flashing up."""
POLL_MS = 50


class BackgroundJob(QObject):
    """Run `work(progress)` in a worker thread once `start()` is called.

    Exactly one of `succeeded(result)`, `failed(exception)` or `cancelled()` is emitted, on the
    GUI thread. A work that stops because progress said so may raise any exception: after a
    Cancel it counts as cancelled.
    """

    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()

    def __init__(
        self,
        parent: QWidget,
        title: str,
        label: str,
        work: Callable[[Progress], Any],
        *,
        show_after_ms: int = SHOW_AFTER_MS,
    ) -> None:
        super().__init__(parent)
        self._work = work
        self._done, self._total = 0, 0
        self._cancel = threading.Event()
        self._outcome: tuple[str, Any] | None = None
        self.dialog_shown = False
        """Whether the work took long enough for the progress dialog to appear."""
        self._thread = threading.Thread(target=self._run, name=f"job: {title}")
        self.dialog = QProgressDialog(label, "&Cancel", 0, 0, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setAutoReset(False)
        self.dialog.setAutoClose(False)
        self.dialog.setMinimumDuration(2**31 - 1)  # shown by our own timer, not by setValue
        self.dialog.canceled.connect(self.cancel)
        self.dialog.hide()
        self._show_timer = QTimer(self, singleShot=True, interval=show_after_ms)
        self._show_timer.timeout.connect(self._show_dialog)
        self._poll = QTimer(self, interval=POLL_MS)
        self._poll.timeout.connect(self._check)

    @property
    def running(self) -> bool:
        return self._thread.is_alive() or (self._poll.isActive() and self._outcome is None)

    def start(self) -> None:
        self._thread.start()
        self._show_timer.start()
        self._poll.start()

    def cancel(self) -> None:
        """Ask the work to stop at its next progress report."""
        self._cancel.set()
        self.dialog.setLabelText("Cancelling…")

    def wait(self, timeout_s: float) -> bool:
        """Block until the worker ends (for shutdown); True when it did."""
        self._thread.join(timeout_s)
        return not self._thread.is_alive()

    def _progress(self, done: int, total: int) -> bool:
        self._done, self._total = done, total  # read by the GUI thread's poll
        return not self._cancel.is_set()

    def _run(self) -> None:
        try:
            self._outcome = ("ok", self._work(self._progress))
        except BaseException as exc:  # reported on the GUI thread, never lost in the worker
            self._outcome = ("cancelled" if self._cancel.is_set() else "error", exc)

    def _show_dialog(self) -> None:
        if self._outcome is None and not self._cancel.is_set():
            self.dialog_shown = True
            self.dialog.show()

    def _check(self) -> None:
        if self._total:
            self.dialog.setMaximum(self._total)
            self.dialog.setValue(min(self._done, self._total))
        if self._thread.is_alive() or self._outcome is None:
            return
        self._poll.stop()
        self._show_timer.stop()
        self.dialog.hide()
        self.dialog.deleteLater()  # one dialog per job; `dialog` is not to be used after this
        kind, value = self._outcome
        if kind == "ok":
            self.succeeded.emit(value)
        elif kind == "cancelled":
            self.cancelled.emit()
        else:
            self.failed.emit(value)
