"""What the Apply Progress panel offers after a change reached only some sidecars: retry the ones
that failed, roll back the ones that took it, or reload the live config and make the same change
again on it. Each goes through `ChangeController` like any other change."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING

from meshgui.actions.change_types import ChangeRequest, no_ask, rebased
from meshgui.client.config_ops import ApplyReport
from meshgui.model.mesh_change import MeshChange
from meshgui.model.mesh_edits import inverse

if TYPE_CHECKING:
    from meshgui.actions.change_controller import ChangeController

REMEMBERED = 8
"""Only the last few reports can still be retried or reloaded from the panel."""


class ChangeRecovery:
    def __init__(self, controller: ChangeController) -> None:
        self._controller = controller
        self._sent: dict[int, tuple[ChangeRequest, dict[str, int]]] = {}
        """id(change) -> the request it came from and the versions it was sent against."""
        panel = controller.panel
        panel.retry_requested.connect(self.retry_failed)
        panel.rollback_requested.connect(self.roll_back)
        panel.reload_requested.connect(self.reload_and_reapply)

    def remember(
        self, change: MeshChange, request: ChangeRequest, expected: Mapping[str, int]
    ) -> None:
        self._sent = {id(change): (request, dict(expected)), **self._sent}
        if len(self._sent) > REMEMBERED:
            self._sent.pop(next(reversed(self._sent)))

    def _free(self, what: str) -> bool:
        if self._controller.busy:
            self._controller.message.emit(
                f"Another change is still being applied; {what} when it is done."
            )
            return False
        return True

    def retry_failed(self, report: ApplyReport) -> None:
        if not self._free("retry"):
            return
        retry = [sid for sid in report.failed if sid not in report.stale]
        sent = self._sent.get(id(report.change), (None, {}))[1]
        expected = {sid: sent.get(sid, report.change.before.version) for sid in retry}
        request = ChangeRequest(f"Retry: {report.change.summary}", no_ask, purpose="retry")
        self._controller.send(request, report.change, expected, retry)

    def roll_back(self, report: ApplyReport) -> None:
        if not self._free("roll back"):
            return
        applied = report.applied
        versions = {
            sid: report.results[sid].version or report.change.after.version for sid in applied
        }
        undo = inverse(report.change, report.change.after)
        original = report.change
        rolled_back = self._controller.rolled_back
        request = ChangeRequest(
            f"Roll back: {original.summary}",
            no_ask,
            purpose="rollback",
            on_done=lambda reached: rolled_back.emit(original) if reached else None,
        )
        self._controller.send(request, undo, versions, list(applied))

    def reload_and_reapply(self, report: ApplyReport) -> None:
        """The same intent built again on what the sidecars run now (someone else's change
        is kept, not overwritten); the preview shows the result before anything is sent."""
        change = report.change
        original = self._sent.get(id(change), (None, {}))[0]
        if original is not None and original.builder is not None:
            request = dataclasses.replace(original, versions={}, only=None)
        else:
            request = ChangeRequest(
                f"Reapply: {change.summary}",
                no_ask,
                builder=lambda base: rebased(change, base),
            )
        self._controller.begin(request)
