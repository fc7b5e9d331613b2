"""Hands views computed on the client's thread to the GUI thread: the newest one only, with the
changed edges of every refresh it stands for, so a busy GUI thread never falls behind."""

from __future__ import annotations

import contextlib
import threading
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal


def merged_changes(earlier: Any, later: Any) -> Any:
    """Two refreshes' changed edges as one (`EdgeChanges.merge` keeps what each subset says)."""
    merge = getattr(earlier, "merge", None)
    if merge is not None and hasattr(later, "restyled"):
        merge(later)
        return earlier
    return set(earlier) | set(later)


class ViewPost(QObject):
    """Hands (model, view, changed edges) made on another thread to the GUI thread: `post` from
    any thread, `delivered` on this object's thread. When the GUI thread is busy, newer posts
    replace the waiting view and add their changed edges to its own, so it never falls behind
    by more than one refresh."""

    delivered = Signal(object, object, object)  # model, TopologyView, changed edges
    _posted = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._waiting: tuple[Any, Any, Any] | None = None
        self._posted.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def post(self, model: Any, view: Any, changed: Any) -> None:
        with self._lock:
            waiting = self._waiting
            if waiting is not None and waiting[0] is model:
                changed = merged_changes(waiting[2], changed)
            self._waiting = (model, view, changed)
        if waiting is None:
            with contextlib.suppress(RuntimeError):  # the GUI side is gone at quit
                self._posted.emit()

    def drop(self) -> None:
        """Forget whatever waits (a new mesh is shown)."""
        with self._lock:
            self._waiting = None

    def _deliver(self) -> None:
        with self._lock:
            waiting, self._waiting = self._waiting, None
        if waiting is not None:
            self.delivered.emit(*waiting)
