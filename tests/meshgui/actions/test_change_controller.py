"""The change pipeline with the real dialogs and panel, and a channel the test answers: every
change is fetched, previewed, sent with each sidecar's version, reported, journalled, undoable."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from meshgui.actions.change_controller import ChangeController
from meshgui.actions.change_requests import drain_request
from meshgui.actions.change_types import ChangeRequest
from meshgui.actions.undo_history import UndoHistory
from meshgui.client.config_ops import SidecarConfig
from meshgui.model.change_journal import ChangeJournal
from meshgui.views.apply_progress import ApplyProgressPanel
from proxy.config import MeshConfig
from tests.meshgui.actions.fake_channel import FakeChannel
from tests.meshgui.model.demo_mesh import demo_mesh

SIDECARS = ("cart-1", "inventory-1", "web-1")


class Pipeline:
    def __init__(self, qtbot: QtBot, tmp_path: Path) -> None:
        self.window = QMainWindow()
        qtbot.addWidget(self.window)
        self.channel = FakeChannel()
        self.journal = ChangeJournal(tmp_path / "journal.jsonl")
        self.panel = ApplyProgressPanel(self.window)
        self.controller = ChangeController(
            self.channel, self.journal, self.panel, profile_name=lambda: "demo", window=self.window
        )
        self.history = UndoHistory(self.controller)
        self.qtbot = qtbot

    def fetched(self, mesh: MeshConfig, **versions: int) -> None:
        configs = {}
        for sid in SIDECARS:
            version = versions.get(sid.replace("-", "_"), mesh.version)
            configs[sid] = mesh.model_copy(update={"version": version})
        self.channel.answer_fetch(configs)

    def approve(self) -> None:
        self.qtbot.waitUntil(lambda: self.controller.preview_dialog is not None, timeout=3000)
        dialog = self.controller.preview_dialog
        assert dialog is not None
        dialog.apply_button.click()

    def drain(self, instance: str = "inventory-1") -> None:
        assert self.controller.begin(drain_request("inventory", instance, True, lambda: None))

    def drain_approved(self, mesh: MeshConfig, **versions: int) -> None:
        """Drain inventory-1 on `mesh` (sidecar versions as `fetched` takes them), previewed and
        approved: the change is on its way to the sidecars."""
        self.drain()
        self.fetched(mesh, **versions)
        self.approve()


PARTLY = {"cart-1": "applied", "inventory-1": "applied", "web-1": "denied"}
"""Answers to a change that reached two of the three sidecars."""


@pytest.fixture
def pipeline(qtbot: QtBot, tmp_path: Path) -> Pipeline:
    return Pipeline(qtbot, tmp_path)


def endpoint_drained(mesh: MeshConfig, name: str) -> bool:
    return next(e.drained for e in mesh.services["inventory"].endpoints if e.name == name)


def test_a_change_is_sent_with_each_sidecars_version_then_journalled_and_undoable(
    pipeline: Pipeline,
) -> None:
    base = demo_mesh()
    pipeline.drain()
    assert len(pipeline.channel.fetches) == 1 and pipeline.controller.busy
    pipeline.fetched(base, web_1=base.version - 1)  # web-1 lags: it gets its own version
    pipeline.approve()
    (_, change, expected, only) = pipeline.channel.applies[-1]
    assert expected == {
        "cart-1": base.version,
        "inventory-1": base.version,
        "web-1": base.version - 1,
    }
    assert only == sorted(SIDECARS)
    assert (
        endpoint_drained(change.after, "inventory-1") and change.after.version == base.version + 1
    )
    pipeline.channel.answer_apply({sid: "applied" for sid in SIDECARS})
    assert not pipeline.controller.busy
    [entry] = pipeline.journal.entries("demo")
    assert entry.outcome == "applied" and "drained: true" in entry.diff
    assert pipeline.history.can_undo and "Drain inventory-1" in pipeline.history.stack.undoText()


def test_cancelling_the_preview_sends_nothing(pipeline: Pipeline, qtbot: QtBot) -> None:
    pipeline.drain()
    pipeline.fetched(demo_mesh())
    qtbot.waitUntil(lambda: pipeline.controller.preview_dialog is not None, timeout=3000)
    pipeline.controller.preview_dialog.cancel_button.click()  # type: ignore[union-attr]
    assert pipeline.channel.applies == [] and not pipeline.controller.busy
    assert pipeline.journal.entries() == [] and not pipeline.history.can_undo


def test_a_stale_sidecar_is_reported_and_reload_rebuilds_on_the_newer_config(
    pipeline: Pipeline,
) -> None:
    base = demo_mesh()
    pipeline.drain_approved(base)
    pipeline.channel.answer_apply({sid: "stale" for sid in SIDECARS}, version=base.version + 5)
    assert pipeline.journal.entries()[-1].outcome == "failed"
    assert not pipeline.history.can_undo  # nothing reached a sidecar
    assert pipeline.panel.reload_button.isEnabled()
    pipeline.panel.reload_button.click()
    newer = base.model_copy(update={"version": base.version + 5})
    pipeline.fetched(newer)
    pipeline.approve()
    (_, change, expected, _) = pipeline.channel.applies[-1]
    assert set(expected.values()) == {base.version + 5}
    assert change.after.version == base.version + 6 and endpoint_drained(
        change.after, "inventory-1"
    )


def test_retry_goes_only_to_the_sidecars_that_failed(pipeline: Pipeline) -> None:
    base = demo_mesh()
    pipeline.drain_approved(base, web_1=base.version - 1)
    pipeline.channel.answer_apply(
        {"cart-1": "applied", "inventory-1": "applied", "web-1": "unreachable"}
    )
    assert pipeline.journal.entries()[-1].outcome == "partly applied"
    pipeline.panel.retry_button.click()
    (_, _, expected, only) = pipeline.channel.applies[-1]
    assert only == ["web-1"] and expected == {"web-1": base.version - 1}
    pipeline.channel.answer_apply({"web-1": "applied"})
    assert pipeline.journal.entries()[-1].summary.startswith("Retry: Drain inventory-1")


def test_roll_back_restores_the_sidecars_that_took_a_partial_change(pipeline: Pipeline) -> None:
    base = demo_mesh()
    pipeline.drain_approved(base)
    pipeline.channel.answer_apply(PARTLY)
    pipeline.panel.rollback_button.click()
    (_, change, expected, only) = pipeline.channel.applies[-1]
    assert only == ["cart-1", "inventory-1"]
    assert expected == {"cart-1": base.version + 1, "inventory-1": base.version + 1}
    assert not endpoint_drained(change.after, "inventory-1")


def test_undo_applies_the_inverse_and_a_failed_undo_leaves_the_stack_where_the_mesh_is(
    pipeline: Pipeline,
) -> None:
    base = demo_mesh()
    pipeline.drain_approved(base)
    applied = pipeline.channel.applies[-1][1]
    pipeline.channel.answer_apply({sid: "applied" for sid in SIDECARS})

    pipeline.history.undo()
    pipeline.fetched(applied.after)
    pipeline.approve()
    (_, undo, expected, _) = pipeline.channel.applies[-1]
    assert not endpoint_drained(undo.after, "inventory-1")
    assert set(expected.values()) == {applied.after.version}
    pipeline.channel.answer_apply({sid: "denied" for sid in SIDECARS})
    assert pipeline.history.can_undo and not pipeline.history.can_redo  # back: not undone

    pipeline.history.undo()
    pipeline.fetched(applied.after)
    pipeline.approve()
    pipeline.channel.answer_apply({sid: "applied" for sid in SIDECARS})
    assert pipeline.history.can_redo and not pipeline.history.can_undo
    assert pipeline.journal.entries()[-1].outcome == "undone"


def test_a_second_change_is_refused_while_one_is_on_its_way(pipeline: Pipeline) -> None:
    pipeline.drain()
    assert not pipeline.controller.begin(
        drain_request("inventory", "inventory-2", True, lambda: None)
    )
    assert len(pipeline.channel.fetches) == 1


def test_bring_up_to_date_sends_the_newest_config_to_the_lagging_sidecars_only(
    pipeline: Pipeline,
) -> None:
    base = demo_mesh()
    assert pipeline.controller.bring_up_to_date()
    pipeline.fetched(base, web_1=base.version - 2)
    pipeline.approve()
    (_, change, expected, only) = pipeline.channel.applies[-1]
    assert only == ["web-1"] and expected == {"web-1": base.version - 2}
    assert change.after.version == base.version


def test_reload_rebuilds_the_intent_and_keeps_the_other_clients_change(pipeline: Pipeline) -> None:
    base = demo_mesh()
    pipeline.drain_approved(base)
    pipeline.channel.answer_apply({sid: "stale" for sid in SIDECARS}, version=base.version + 1)
    pipeline.panel.reload_button.click()
    services = dict(base.services)
    services["cart"] = services["cart"].model_copy(update={"drained": True})  # theirs
    theirs = base.model_copy(update={"services": services, "version": base.version + 1})
    pipeline.fetched(theirs)
    pipeline.approve()
    (_, change, _, _) = pipeline.channel.applies[-1]
    assert change.after.services["cart"].drained, "the other client's drain was overwritten"
    assert endpoint_drained(change.after, "inventory-1")


def test_a_sidecar_that_did_not_answer_the_read_is_not_sent_the_change(pipeline: Pipeline) -> None:
    base = demo_mesh()
    pipeline.drain()
    pipeline.channel.answer_fetch({"cart-1": base, "inventory-1": base, "web-1": None})
    pipeline.approve()
    (_, _, expected, only) = pipeline.channel.applies[-1]
    assert only == ["cart-1", "inventory-1"] and set(expected) == {"cart-1", "inventory-1"}


def test_a_failure_while_asking_leaves_the_controller_usable(pipeline: Pipeline) -> None:
    def broken(base: MeshConfig, answer: object) -> None:
        raise ValueError("inventory-db is a tcp service")

    messages: list[str] = []
    pipeline.controller.message.connect(messages.append)
    assert pipeline.controller.begin(ChangeRequest("Move traffic", broken))
    pipeline.fetched(demo_mesh())
    assert not pipeline.controller.busy
    assert any("tcp service" in m for m in messages)
    pipeline.drain()  # the next change goes through
    assert len(pipeline.channel.fetches) == 2


def test_answers_lost_to_a_reconnect_do_not_leave_it_busy(pipeline: Pipeline) -> None:
    pipeline.drain_approved(demo_mesh())
    assert pipeline.controller.busy
    pipeline.controller.forget_all()  # another mesh: this apply's answer will never come
    assert not pipeline.controller.busy


def test_a_rolled_back_change_leaves_the_undo_stack(pipeline: Pipeline) -> None:
    base = demo_mesh()
    pipeline.drain_approved(base)
    pipeline.channel.answer_apply(PARTLY)
    assert pipeline.history.can_undo
    pipeline.panel.rollback_button.click()
    pipeline.channel.answer_apply({"cart-1": "applied", "inventory-1": "applied"})
    assert not pipeline.history.can_undo and pipeline.history.stack.count() == 0


def test_a_journal_that_cannot_be_written_does_not_block_the_next_change(
    pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(entry: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pipeline.journal, "append", full_disk)
    pipeline.drain_approved(demo_mesh())
    pipeline.channel.answer_apply({sid: "applied" for sid in SIDECARS})
    assert not pipeline.controller.busy and pipeline.history.can_undo


def test_a_lagging_sidecar_whose_config_cannot_be_read_is_still_brought_up_to_date(
    pipeline: Pipeline,
) -> None:
    base = demo_mesh()
    assert pipeline.controller.bring_up_to_date()
    configs = {sid: SidecarConfig(sid, base.version, base, None) for sid in SIDECARS}
    configs["web-1"] = SidecarConfig("web-1", base.version - 1, None, "unreadable config")
    pipeline.channel.fetched.emit(pipeline.channel.fetches[-1], configs)
    pipeline.approve()
    (_, change, expected, only) = pipeline.channel.applies[-1]
    assert only == ["web-1"] and expected == {"web-1": base.version - 1}
    assert change.after.version == base.version
    assert "web-1: running config unreadable" in change.summary
