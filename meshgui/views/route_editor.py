"""The route editor: every route towards one destination service (traffic split, timeout, retry
policy) and the service's outlier detection and circuit breaker, on tabs.

Every edit is validated at once by the sidecars' own schema (`proxy.config.MeshConfig`) on the
whole mesh as it would be after the edit, so the editor accepts exactly what a sidecar would.
Each problem is shown next to the field its location points at (the rest below the tabs), the
tab holding it is marked, and OK stays disabled while anything is wrong.

A route's tab is `meshgui.views.route_editor_route.RouteForm` (re-exported here).
"""

from __future__ import annotations

import copy
from typing import Any

from pydantic import ValidationError
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QScrollArea,
    QStyle,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from meshgui.model import mesh_edits
from meshgui.model.mesh_change import MeshChange
from meshgui.views.route_editor_fields import ErrorSlot, FieldError, Loc, mark_invalid
from meshgui.views.route_editor_policy import ServicePolicyPage
from meshgui.views.route_editor_route import RouteForm as RouteForm
from meshgui.views.route_editor_route import match_text as match_text
from meshgui.views.route_editor_route import route_title
from proxy.config import ConfigError, MeshConfig
from proxy.config.types import format_loc


def scrolled(page: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidget(page)
    return area


class RouteEditorDialog(QDialog):
    """`change()` is the edit as a `MeshChange` once the dialog is Accepted (None: no change)."""

    def __init__(self, mesh: MeshConfig, destination: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("routeEditorDialog")
        self.setWindowTitle(f"Routes to {destination}")
        self.mesh = mesh
        self.destination = destination
        self.problems: list[tuple[str, str]] = []
        """(path, reason) of every problem the schema found in the last edit."""
        self.validated: MeshConfig | None = mesh
        self._document = mesh.model_dump(mode="json")
        service = mesh.services[destination]
        self.tabs = QTabWidget(self)
        self.route_forms: list[RouteForm] = []
        for index, route in enumerate(mesh.routes_for(destination)):
            form = RouteForm(mesh, route, self)
            self.route_forms.append(form)
            self.tabs.addTab(scrolled(form), route_title(route, index))
            form.connect_edits(self.validate)
        self.policy = ServicePolicyPage(
            destination, service.outlier_detection, service.circuit_breaker, self
        )
        self.policy.edited.connect(self.validate)
        self.tabs.addTab(scrolled(self.policy), f"{destination} policy")
        layout = QVBoxLayout(self)
        if service.protocol == "tcp":
            note = QLabel(f"{destination} is a TCP service: it has no HTTP routes.", self)
            layout.addWidget(note)
        layout.addWidget(self.tabs, 1)
        self.general_error = FieldError(self)
        self.general_error.setObjectName("routeEditorErrors")
        layout.addWidget(self.general_error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._slots = self._error_slots()
        self.resize(780, 720)
        self.validate()

    # -- validation ----------------------------------------------------------------------------
    def document(self) -> dict[str, Any]:
        """The whole mesh document as it would be after the edit."""
        document = copy.copy(self._document)
        if self.route_forms:
            routes = dict(document.get("routes", {}))
            routes[self.destination] = [form.document() for form in self.route_forms]
            document["routes"] = routes
        services = dict(document["services"])
        service = dict(services[self.destination])
        service["outlier_detection"] = self.policy.outlier.document()
        service["circuit_breaker"] = self.policy.breaker.document()
        services[self.destination] = service
        document["services"] = services
        return document

    def validate(self) -> bool:
        """Check the edit with the sidecars' schema and show what is wrong, where it is."""
        try:
            self.validated = MeshConfig.model_validate(self.document())
            self.problems = []
        except ValidationError as error:
            self.validated = None
            found = ConfigError.from_validation(self.destination, error, MeshConfig).problems
            self.problems = [(problem.path, problem.reason) for problem in found]
        self._show_problems()
        self.ok_button.setEnabled(self.validated is not None)
        return self.validated is not None

    def _error_slots(self) -> dict[str, tuple[int, ErrorSlot]]:
        """Path (as ConfigError writes it) -> (tab index, where its problems go)."""
        slots: dict[str, tuple[int, ErrorSlot]] = {}
        for index, form in enumerate(self.route_forms):
            prefix: Loc = ("routes", self.destination, index)
            for loc, slot in form.error_slots().items():
                slots[format_loc((*prefix, *loc))] = (index, slot)
        policy_tab = len(self.route_forms)
        for loc, slot in self.policy.error_slots().items():
            slots[format_loc(("services", self.destination, *loc))] = (policy_tab, slot)
        return slots

    def slot_for(self, path: str) -> tuple[int, ErrorSlot] | None:
        """The slot of the longest registered path that `path` is at or below."""
        best: str | None = None
        for key in self._slots:
            below = path == key or path.startswith((f"{key}.", f"{key}["))
            if below and (best is None or len(key) > len(best)):
                best = key
        return self._slots[best] if best is not None else None

    def _show_problems(self) -> None:
        reasons: dict[int, list[str]] = {}
        invalid_fields: set[int] = set()
        bad_tabs: set[int] = set()
        general: list[str] = []
        for path, reason in self.problems:
            found = self.slot_for(path)
            if found is None:
                general.append(f"{path}: {reason}" if path else reason)
                continue
            tab, (field, label) = found
            reasons.setdefault(id(label), []).append(reason)
            if field is not None:
                invalid_fields.add(id(field))
            bad_tabs.add(tab)
        for _tab, (field, label) in self._slots.values():
            label.show_problems(reasons.get(id(label), []))
            mark_invalid(field, id(field) in invalid_fields)
        self.general_error.show_problems(general)
        warning = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        for tab in range(self.tabs.count()):
            self.tabs.setTabIcon(tab, warning if tab in bad_tabs else QIcon())
            self.tabs.setTabToolTip(
                tab, "Has problems: see the fields marked in red" if tab in bad_tabs else ""
            )

    # -- result --------------------------------------------------------------------------------
    def accept(self) -> None:
        if self.validate():
            super().accept()

    def change(self) -> MeshChange | None:
        """The edit as one change (version + 1); None when cancelled or nothing changed."""
        if self.result() != QDialog.DialogCode.Accepted or self.validated is None:
            return None
        return edit_change(self.mesh, self.validated, self.destination)


def edit_change(before: MeshConfig, edited: MeshConfig, destination: str) -> MeshChange | None:
    """The difference between `before` and `edited` for `destination` as one `MeshChange`."""
    old_service, new_service = before.services[destination], edited.services[destination]
    routes = edited.routes.get(destination, ())
    routes_changed = bool(routes) and routes != before.routes_for(destination)
    policy = (new_service.outlier_detection, new_service.circuit_breaker)
    policy_changed = policy != (old_service.outlier_detection, old_service.circuit_breaker)
    if routes_changed and not policy_changed:
        return mesh_edits.replace_routes(before, destination, routes)
    if policy_changed and not routes_changed:
        return mesh_edits.replace_service_policy(before, destination, *policy)
    if not routes_changed:
        return None
    first = mesh_edits.replace_routes(before, destination, routes)
    second = mesh_edits.replace_service_policy(first.after, destination, *policy)
    warnings = tuple(dict.fromkeys((*first.warnings, *second.warnings)))
    return MeshChange(
        summary=f"Edit routes and policy of {destination}",
        before=before,
        after=second.after.with_version(before.version + 1),
        warnings=warnings,
        kind=first.kind,
    )
