"""A MeshClient stand-in for window tests: same signals, no network; records what it was asked."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, Signal

from meshgui.client import SidecarTarget


class FakeClient(QObject):
    snapshot_received = Signal(str, object)
    event_received = Signal(str, object)
    info_received = Signal(str, object)
    sidecar_connected = Signal(str, float)
    sidecar_disconnected = Signal(str, float)
    sidecar_failed = Signal(str, str)

    def __init__(self) -> None:
        super().__init__()
        self.targets: list[SidecarTarget] | None = None
        self.shut_down = False

    def connect_to(self, targets: Iterable[SidecarTarget]) -> None:
        self.targets = list(targets)

    def disconnect_all(self) -> None:
        self.targets = None

    def shutdown(self, timeout: float = 0.0) -> None:
        self.shut_down = True
