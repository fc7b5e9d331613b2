"""One route's tab in the route editor: what the route matches (shown, not edited), its traffic
split, its timeout and its retry policy.

`RouteForm.document()` is the route as the sidecars' schema takes it, and `error_slots()` says
where a problem at each location in that document is shown, relative to the route.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from meshgui.views.route_editor_backends import BackendsEditor
from meshgui.views.route_editor_fields import (
    ErrorSlot,
    FieldError,
    Loc,
    duration_edit,
    duration_value,
    with_error_below,
)
from meshgui.views.route_editor_policy import RetryEditor
from proxy.config import MeshConfig, RouteConfig, RouteMatch


def match_text(match: RouteMatch) -> str:
    """What a route matches, in words; the editor shows it but does not change it."""
    parts = []
    if match.path_prefix is not None:
        parts.append(f"path starting {match.path_prefix}")
    if match.method is not None:
        parts.append(f"method {match.method}")
    parts.extend(f"header {name}: {value}" for name, value in match.headers.items())
    return "Matches " + (", ".join(parts) if parts else "every request")


def route_title(route: RouteConfig, index: int) -> str:
    return route.name or f"route {index + 1}"


class RouteForm(QWidget):
    """One route: what it matches, its traffic split, its timeout and its retries."""

    def __init__(self, mesh: MeshConfig, route: RouteConfig, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._base = route.model_dump(mode="json")
        self.match_label = QLabel(match_text(route.match), self)
        self.match_label.setWordWrap(True)
        split = QGroupBox("Traffic split", self)
        self.backends = BackendsEditor(mesh, route.backends, split)
        QVBoxLayout(split).addWidget(self.backends)
        self.timeout = duration_edit(route.timeout, "none (no deadline)", self)
        self.timeout.setToolTip(
            "Overall deadline of a request, retries included: e.g. 1s or 1500ms; empty for none"
        )
        self.timeout_error = FieldError(self)
        timeout_row = QFormLayout()
        timeout_row.addRow(
            "Timeout:", with_error_below(self.timeout, self.timeout_error, natural_width=True)
        )
        self.retry = RetryEditor(route.retry, self)
        self.route_error = FieldError(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.match_label)
        layout.addWidget(self.route_error)
        layout.addWidget(split)
        layout.addLayout(timeout_row)
        layout.addWidget(self.retry)
        layout.addStretch(1)

    def document(self) -> dict[str, Any]:
        return {
            **self._base,
            "backends": self.backends.documents(),
            "timeout": duration_value(self.timeout),
            "retry": self.retry.document(),
        }

    def error_slots(self) -> dict[Loc, ErrorSlot]:
        slots: dict[Loc, ErrorSlot] = {(): (None, self.route_error)}
        slots.update(self.backends.error_slots())
        slots[("timeout",)] = (self.timeout, self.timeout_error)
        slots.update({("retry", *loc): slot for loc, slot in self.retry.slots.items()})
        return slots

    def connect_edits(self, slot: Any) -> None:
        self.backends.edited.connect(slot)
        self.timeout.textEdited.connect(slot)
        self.retry.edited.connect(slot)
