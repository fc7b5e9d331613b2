"""A ConfigChannel stand-in: same signals, no network; the test answers each request."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from PySide6.QtCore import QObject, Signal

from meshgui.client.config_ops import ApplyProgress, ApplyReport, SidecarConfig
from meshgui.model.mesh_change import MeshChange
from proxy.config import MeshConfig


class FakeChannel(QObject):
    fetched = Signal(int, object)
    progress = Signal(int, object)
    applied = Signal(int, object)

    def __init__(self) -> None:
        super().__init__()
        self.fetches: list[int] = []
        self.applies: list[tuple[int, MeshChange, dict[str, int], list[str] | None]] = []
        self._last = 0

    def fetch(self) -> int:
        self._last += 1
        self.fetches.append(self._last)
        return self._last

    def apply(
        self, change: MeshChange, expected: Mapping[str, int], only: Collection[str] | None = None
    ) -> int:
        self._last += 1
        self.applies.append(
            (self._last, change, dict(expected), None if only is None else list(only))
        )
        return self._last

    # -- the test's side ---------------------------------------------------------------------
    def answer_fetch(self, configs: Mapping[str, MeshConfig | None]) -> None:
        answer = {
            sid: SidecarConfig(sid, None if m is None else m.version, m, None if m else "down")
            for sid, m in configs.items()
        }
        self.fetched.emit(self.fetches[-1], answer)

    def answer_apply(self, states: Mapping[str, str], version: int | None = None) -> ApplyReport:
        request_id, change, _expected, _only = self.applies[-1]
        results = {}
        for sid, state in states.items():
            answered = version if version is not None else change.after.version
            progress = ApplyProgress(sid, state, answered, "" if state == "applied" else state)  # type: ignore[arg-type]
            results[sid] = progress
            self.progress.emit(request_id, progress)
        report = ApplyReport(change, results)
        self.applied.emit(request_id, report)
        return report
