"""Every operator change goes the same careful way, whatever asked for it (a drag, a menu, the
route editor, an opened file, a suggestion, undo): read the live config from every sidecar,
build the change on the newest one, preview its diff (warning about the traffic it would lose
and forecasting the rest from the view on screen), apply it to every sidecar that answered
with the `expected_version` each reported, show each sidecar's answer, journal the outcome,
and put what was applied on the undo stack.

Nothing here waits on the network: the `ConfigChannel` answers through queued signals, and the
dialogs are opened window-modal (`open()`), so tests and users drive the same code.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from meshgui.actions.change_recovery import ChangeRecovery
from meshgui.actions.change_traffic import forecast, with_traffic_warnings
from meshgui.actions.change_types import Builder, ChangeRequest, no_ask
from meshgui.client.config_ops import ApplyReport, SidecarConfig, base_config
from meshgui.model.change_journal import ChangeJournal, JournalEntry
from meshgui.model.mesh_change import MeshChange, mesh_diff
from meshgui.model.types import TopologyView
from meshgui.views.apply_progress import ApplyProgressPanel
from meshgui.views.change_preview import ChangePreviewDialog
from proxy.config import MeshConfig


class ChangeController(QObject):
    change_applied = Signal(object, str)  # MeshChange that reached a sidecar, its purpose
    journal_changed = Signal()
    busy_changed = Signal(bool)
    rolled_back = Signal(object)  # the MeshChange a roll back took back on every sidecar it had
    message = Signal(str)  # a line for the status bar

    def __init__(
        self,
        channel: Any,
        journal: ChangeJournal,
        panel: ApplyProgressPanel,
        *,
        profile_name: Callable[[], str | None],
        window: QWidget | None = None,
        clock: Callable[[], float] = time.time,
        view: Callable[[], TopologyView | None] = lambda: None,
    ) -> None:
        """`view` gives the traffic on screen: every preview warns about the traffic its change
        would lose and predicts where the rest goes from it."""
        super().__init__(window)
        self._channel = channel
        self.journal = journal
        self.panel = panel
        self._profile_name = profile_name
        self._window = window
        self._clock = clock
        self._view = view
        self._request: ChangeRequest | None = None
        self._pending_fetch: int | None = None
        self._applying: dict[int, tuple[ChangeRequest, MeshChange]] = {}
        self.preview_dialog: ChangePreviewDialog | None = None
        self.read_only_reason: str | None = None
        channel.fetched.connect(self._on_fetched)
        channel.progress.connect(self._on_progress)
        channel.applied.connect(self._on_applied)
        self.recovery = ChangeRecovery(self)

    # -- state -------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self._request is not None or bool(self._applying)

    def _set_request(self, request: ChangeRequest | None) -> None:
        was = self.busy
        self._request = request
        if was != self.busy:
            self.busy_changed.emit(self.busy)

    def cancel(self) -> None:
        """Forget the change being prepared (not one already sent)."""
        request, self._pending_fetch = self._request, None
        self._set_request(None)
        self._close_preview(request)

    def forget_all(self) -> None:
        """The mesh is no longer shown (reconnect, disconnect, a bundle): answers to what was
        sent can no longer arrive, so nothing may stay waiting for them."""
        was = self.busy
        self._applying.clear()
        self.cancel()
        if was and not self.busy:
            self.busy_changed.emit(False)

    def _close_preview(self, request: ChangeRequest | None) -> None:
        if self.preview_dialog is not None:
            self.preview_dialog.close()
            self.preview_dialog = None
        if request is not None and request.on_done is not None:
            request.on_done(False)

    # -- the flow: begin -> fetch -> ask -> build -> preview -> apply -> report ------------------
    def begin(self, request: ChangeRequest) -> bool:
        """Start `request`; False (and a message) when another change is still on its way."""
        if self.read_only_reason is not None:
            self._refuse(request, self.read_only_reason)
            return False
        if self.busy:
            self._refuse(request, "Another change is still being applied; wait for it to finish.")
            return False
        self._set_request(request)
        self._fetch()
        return True

    def _refuse(self, request: ChangeRequest, why: str) -> None:
        self.message.emit(why)
        if request.on_done is not None:
            request.on_done(False)

    def _fetch(self) -> None:
        self.message.emit("Reading the mesh config from the sidecars…")
        self._pending_fetch = self._channel.fetch()

    def _on_fetched(self, request_id: int, configs: Mapping[str, SidecarConfig]) -> None:
        request = self._request
        if request is None or request_id != self._pending_fetch:
            return
        self._pending_fetch = None
        base, versions = base_config(configs)
        if base is None:
            errors = "; ".join(f"{c.sidecar_id}: {c.error}" for c in configs.values() if c.error)
            self._fail(request, f"No sidecar gave its config, nothing changed. {errors}".strip())
            return
        request.versions = dict(versions)
        if request.purpose == "sync":
            self._sync(request, base, configs)
            return
        if request.builder is not None:
            self._build_and_preview(request, base)
            return

        def answered(builder: Builder | None) -> None:
            if self._request is not request:
                return
            if builder is None:
                self.cancel()
                return
            request.builder = builder
            self._build_and_preview(request, base)

        try:
            request.ask(base, answered)
        except Exception as exc:  # e.g. a drop the edits refuse: say why, stay usable
            self._fail(request, f"{request.title}: {exc}")

    def _build_and_preview(self, request: ChangeRequest, base: MeshConfig) -> None:
        try:
            self._preview(request, base)
        except Exception as exc:  # a config the schema refuses: say why, send nothing
            self._fail(request, f"{request.title}: this change cannot be made: {exc}")

    def _preview(self, request: ChangeRequest, base: MeshConfig) -> None:
        assert request.builder is not None
        change = request.builder(base)
        unchanged = change is None or not mesh_diff(change.before, change.after)
        if change is None or (unchanged and request.purpose != "sync"):
            self._fail(request, f"{request.title}: the mesh already looks like that.")
            return
        # Whatever built it (a drag, a file, undo), a change that loses traffic says so.
        view = (request.traffic or self._view)()
        change = with_traffic_warnings(change, view)
        if request.predict is not None:
            predicted = request.predict(change, base)
        else:
            predicted = forecast(change, view)
        dialog = ChangePreviewDialog(
            change, sorted(request.only or request.versions), predicted, self._window
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preview_dialog = dialog
        dialog.finished.connect(lambda result: self._previewed(request, change, result))
        dialog.open()

    def _previewed(self, request: ChangeRequest, change: MeshChange, result: int) -> None:
        self.preview_dialog = None
        if self._request is not request:
            return
        if result != QDialog.DialogCode.Accepted:
            self.message.emit(f"{request.title}: cancelled, nothing changed.")
            self.cancel()
            return
        self.send(request, change, request.versions, request.only or sorted(request.versions))

    def send(
        self,
        request: ChangeRequest,
        change: MeshChange,
        expected: Mapping[str, int],
        only: list[str] | None,
    ) -> None:
        """Apply `change` to `only` (None: every sidecar in `expected`), each with the version
        it is expected to run, and show their answers in the progress panel."""
        targets = only if only is not None else sorted(expected)
        expected = {sid: version for sid, version in expected.items() if sid in targets}
        self.panel.start(change, targets)
        self.panel.show()
        self.panel.raise_()
        was = self.busy
        request_id = self._channel.apply(change, dict(expected), only)
        self.recovery.remember(change, request, expected)
        self._applying[request_id] = (request, change)
        self._request = None
        if not was:
            self.busy_changed.emit(True)

    def _on_progress(self, request_id: int, progress: Any) -> None:
        if request_id in self._applying:
            self.panel.show_progress(progress)

    def _on_applied(self, request_id: int, report: ApplyReport) -> None:
        entry = self._applying.pop(request_id, None)
        if entry is None:
            return
        request, change = entry
        self.panel.finish(report)
        if report.applied:
            self.change_applied.emit(change, request.purpose)
            if request.after_applied is not None:
                request.after_applied(change)
        self.message.emit(_outcome_line(request.title, report))
        if request.on_done is not None:
            request.on_done(bool(report.applied))
        if not self.busy:
            self.busy_changed.emit(False)
        try:
            self._journal(request, change, report)
        except OSError as exc:  # a full disk must not undo the bookkeeping above
            self.message.emit(f"{request.title}: applied, but the journal was not written: {exc}")

    def _fail(self, request: ChangeRequest, why: str) -> None:
        self.message.emit(why)
        if self._window is not None and request.purpose != "sync":
            box = QMessageBox(QMessageBox.Icon.Warning, request.title, why, parent=self._window)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()  # never a nested event loop: the sidecars' answers keep arriving
        self.cancel()

    # -- out of sync ---------------------------------------------------------------------------
    def bring_up_to_date(self) -> bool:
        """Send the newest config to the sidecars that run an older one (they were down during
        a change, say), after a preview of what changes for them."""
        return self.begin(ChangeRequest("Bring sidecars up to date", no_ask, purpose="sync"))

    def _sync(
        self, request: ChangeRequest, base: MeshConfig, configs: Mapping[str, SidecarConfig]
    ) -> None:
        lagging = sorted(sid for sid, v in request.versions.items() if v < base.version)
        if not lagging:
            self.message.emit(f"Every sidecar runs version {base.version}: nothing to do.")
            self.cancel()
            return
        # The preview shows what changes for the oldest one whose config could be read; one
        # whose config could not be read is brought up to date all the same, and named.
        readable = [sid for sid in lagging if configs[sid].mesh is not None]
        oldest = min(readable, key=lambda sid: request.versions[sid], default=None)
        older = configs[oldest].mesh if oldest is not None else None
        summary = f"Bring {', '.join(lagging)} up to version {base.version}"
        unreadable = [sid for sid in lagging if sid not in readable]
        if unreadable:
            summary += f" ({', '.join(unreadable)}: running config unreadable, not shown)"
        if older is None:
            older = base
        request.only = lagging
        request.builder = lambda _fresh: MeshChange(summary, older, base)
        self._build_and_preview(request, base)

    def _journal(self, request: ChangeRequest, change: MeshChange, report: ApplyReport) -> None:
        # A retry, roll back or sync says so; a change (and undo/redo) by its own summary.
        own = request.purpose in ("change", "undo", "redo")
        entry = JournalEntry(
            at=self._clock(),
            profile=self._profile_name() or "",
            summary=change.summary if own else request.title,
            diff=mesh_diff(change.before, change.after),
            outcome=_journal_outcome(request.purpose, report),
            versions={sid: p.version for sid, p in report.results.items() if p.version is not None},
        )
        self.journal.append(entry)
        self.journal_changed.emit()


def _journal_outcome(purpose: str, report: ApplyReport) -> str:
    if not report.applied:
        return "failed"
    if not report.ok:
        return "partly applied"
    return {"undo": "undone", "redo": "redone", "rollback": "rolled back"}.get(purpose, "applied")


def _outcome_line(title: str, report: ApplyReport) -> str:
    total = len(report.results)
    if report.ok:
        return f"{title}: applied on all {total} sidecars."
    if not report.applied:
        return f"{title}: not applied — every sidecar refused or was unreachable."
    return f"{title}: applied on {len(report.applied)} of {total} sidecars; see the progress panel."
