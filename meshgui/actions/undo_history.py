"""Undo and redo of applied changes (QUndoStack). Undoing applies the inverse config the same
careful way as any change — fetch, preview, apply with expected versions, report — so the stack
only moves for good once the sidecars took it; a cancelled or failed undo puts it back."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from meshgui.actions.change_controller import ChangeController
from meshgui.actions.change_requests import redo_request, undo_request
from meshgui.model.mesh_change import MeshChange

RECORDED_PURPOSES = frozenset({"change"})
"""What goes on the stack: operator changes, not undo/redo/rollback/retry/sync themselves."""


class AppliedChange(QUndoCommand):
    def __init__(self, history: UndoHistory, change: MeshChange) -> None:
        super().__init__(change.summary)
        self.change = change
        self._history = history
        self._pushed = False

    def redo(self) -> None:
        if not self._pushed:  # push() calls redo(): the change is applied already
            self._pushed = True
            return
        self._history.replay("redo", self.change)

    def undo(self) -> None:
        self._history.replay("undo", self.change)


class UndoHistory(QObject):
    state_changed = Signal()

    def __init__(self, controller: ChangeController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.stack = QUndoStack(self)
        self._controller = controller
        self._quiet = False
        controller.change_applied.connect(self._record)
        controller.rolled_back.connect(self._drop)
        controller.busy_changed.connect(self._changed)
        self.stack.indexChanged.connect(self._changed)

    @property
    def can_undo(self) -> bool:
        return self.stack.canUndo() and not self._controller.busy

    @property
    def can_redo(self) -> bool:
        return self.stack.canRedo() and not self._controller.busy

    def undo(self) -> None:
        if self.can_undo:
            self.stack.undo()

    def redo(self) -> None:
        if self.can_redo:
            self.stack.redo()

    def clear(self) -> None:
        """A different mesh: its changes are not this one's to undo."""
        self.stack.clear()

    def _changed(self, *_args: object) -> None:
        self.state_changed.emit()

    def replay(self, kind: str, change: MeshChange) -> None:
        if self._quiet:
            return
        make = undo_request if kind == "undo" else redo_request
        self._controller.begin(make(change, lambda ok: self._settle(kind, ok)))

    def _settle(self, kind: str, ok: bool) -> None:
        if ok:
            return
        # The sidecars did not (all) take it: the stack goes back to where the mesh is.
        with self._quietly():
            if kind == "undo":
                self.stack.redo()
            else:
                self.stack.undo()

    def _record(self, change: MeshChange, purpose: str) -> None:
        known = any(self._command(i).change is change for i in range(self.stack.count()))
        if purpose in RECORDED_PURPOSES or (purpose == "retry" and not known):
            self.stack.push(AppliedChange(self, change))

    def _drop(self, change: MeshChange) -> None:
        """A rolled-back change is gone from the mesh: it leaves the stack too."""
        index = self.stack.index()
        if index > 0 and self._command(index - 1).change is change:
            top = self.stack.command(index - 1)
            top.setObsolete(True)
            with self._quietly():
                self.stack.undo()  # an obsolete command is deleted when undone

    def _command(self, index: int) -> AppliedChange:
        command = self.stack.command(index)
        assert isinstance(command, AppliedChange)
        return command

    @contextlib.contextmanager
    def _quietly(self) -> Iterator[None]:
        self._quiet = True
        try:
            yield
        finally:
            self._quiet = False
