"""The policy parts of the route editor: a route's retry policy and the destination service's
outlier detection and circuit breaker limits.

Each editor turns its fields into a plain document for the sidecars' own schema to validate
(`proxy.config`) and names its fields by their location in that document, so the dialog can put
each validation error next to the field it is about. Durations are typed the way the config
files take them ("300ms", "1.5s"); fields the editor does not show are carried over untouched.
The inline error labels and field helpers live in `meshgui.views.route_editor_fields` (and are
re-exported here).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, get_args

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from meshgui.views.route_editor_fields import DURATION_HINT as DURATION_HINT
from meshgui.views.route_editor_fields import ErrorSlot as ErrorSlot
from meshgui.views.route_editor_fields import FieldError as FieldError
from meshgui.views.route_editor_fields import Loc as Loc
from meshgui.views.route_editor_fields import duration_edit as duration_edit
from meshgui.views.route_editor_fields import duration_value as duration_value
from meshgui.views.route_editor_fields import mark_invalid as mark_invalid
from meshgui.views.route_editor_fields import spin_box as spin_box
from meshgui.views.route_editor_fields import with_error_below as with_error_below
from proxy.config import CircuitBreaker, OutlierDetection, RetryPolicy
from proxy.config.policies import RetryOn

RETRY_ON_CHOICES: tuple[str, ...] = get_args(RetryOn)


class PolicyForm(QGroupBox):
    """A group of labelled fields, each with its error label below it."""

    edited = Signal()

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.form = QFormLayout(self)
        self.slots: dict[Loc, ErrorSlot] = {}
        self.group_error = FieldError(self)
        self.form.addRow(self.group_error)
        self.slots[()] = (None, self.group_error)

    def add_field(self, label: str, loc: Loc, widget: QWidget, *, outline: bool = True) -> None:
        """A row for `widget` and its error label; `outline`: a problem outlines the widget
        (not for a container, whose children would all take the outline's style)."""
        # A duration or a count is short; fields as wide as the dialog read as paragraphs.
        error = FieldError(self)
        self.form.addRow(label, with_error_below(widget, error, natural_width=True))
        self.slots[loc] = (widget if outline else None, error)
        for signal in ("textEdited", "valueChanged", "toggled"):
            if hasattr(widget, signal):
                getattr(widget, signal).connect(lambda *_: self.edited.emit())
                break


class RetryEditor(PolicyForm):
    """A route's retry policy; unchecking the group means no retries."""

    def __init__(self, policy: RetryPolicy | None, parent: QWidget | None = None) -> None:
        super().__init__("Retries", parent)
        self.setCheckable(True)
        self.setChecked(policy is not None)
        self.toggled.connect(lambda _on: self.edited.emit())
        self._base = (policy or RetryPolicy()).model_dump(mode="json")
        shown = policy or RetryPolicy()
        self.attempts = spin_box(shown.attempts, 0, 100, self)
        self.attempts.setToolTip("Retries after the first try: 2 means up to 3 tries in all")
        self.add_field("Attempts:", ("attempts",), self.attempts)
        self.per_try_timeout = duration_edit(
            shown.per_try_timeout, "none (route timeout only)", self
        )
        self.add_field("Per-try timeout:", ("per_try_timeout",), self.per_try_timeout)
        self.backoff_base = duration_edit(shown.backoff_base, None, self)
        self.add_field("Backoff base:", ("backoff_base",), self.backoff_base)
        self.backoff_max = duration_edit(shown.backoff_max, None, self)
        self.add_field("Backoff max:", ("backoff_max",), self.backoff_max)
        self.retry_on: dict[str, QCheckBox] = {}
        conditions = QWidget(self)
        grid = QGridLayout(conditions)
        grid.setContentsMargins(0, 0, 0, 0)
        for index, condition in enumerate(RETRY_ON_CHOICES):
            box = QCheckBox(condition, conditions)
            box.setChecked(condition in shown.retry_on)
            box.toggled.connect(lambda _on: self.edited.emit())
            grid.addWidget(box, index // 2, index % 2)
            self.retry_on[condition] = box
        self.add_field("Retry on:", ("retry_on",), conditions, outline=False)
        codes = ", ".join(str(code) for code in shown.retriable_status_codes)
        self.status_codes = QLineEdit(codes, self)
        self.status_codes.setPlaceholderText("e.g. 502, 503")
        self.status_codes.setToolTip(
            "HTTP status codes the retriable-status-codes condition retries"
        )
        self.add_field("Retriable status codes:", ("retriable_status_codes",), self.status_codes)
        self.non_idempotent = QCheckBox("Also retry POST and PATCH (may repeat side effects)", self)
        self.non_idempotent.setChecked(shown.retry_non_idempotent)
        self.add_field("", ("retry_non_idempotent",), self.non_idempotent)

    def document(self) -> dict[str, Any] | None:
        if not self.isChecked():
            return None
        codes: list[int | str] = []
        for token in self.status_codes.text().replace(",", " ").split():
            # Non-numbers go through as text so the schema names them in its message.
            codes.append(int(token) if token.isdigit() else token)
        return {
            **self._base,
            "attempts": self.attempts.value(),
            "per_try_timeout": duration_value(self.per_try_timeout),
            "backoff_base": duration_value(self.backoff_base) or "",
            "backoff_max": duration_value(self.backoff_max) or "",
            "retry_on": [name for name, box in self.retry_on.items() if box.isChecked()],
            "retriable_status_codes": codes,
            "retry_non_idempotent": self.non_idempotent.isChecked(),
        }


class OutlierEditor(PolicyForm):
    """Passive health checking of the destination's endpoints."""

    def __init__(self, policy: OutlierDetection, parent: QWidget | None = None) -> None:
        super().__init__("Outlier detection", parent)
        self._base = policy.model_dump(mode="json")
        self.enabled = QCheckBox("Eject endpoints that keep failing", self)
        self.enabled.setChecked(policy.enabled)
        self.add_field("", ("enabled",), self.enabled)
        self.consecutive_failures = spin_box(policy.consecutive_failures, 1, 10_000, self)
        self.add_field(
            "Consecutive failures:", ("consecutive_failures",), self.consecutive_failures
        )
        self.base_ejection_time = duration_edit(policy.base_ejection_time, None, self)
        self.base_ejection_time.setToolTip(
            f"How long the first ejection lasts; each further one lasts longer. {DURATION_HINT}"
        )
        self.add_field("Base ejection time:", ("base_ejection_time",), self.base_ejection_time)
        self.max_ejection_percent = spin_box(policy.max_ejection_percent, 0, 100, self, " %")
        self.add_field(
            "Max ejected endpoints:", ("max_ejection_percent",), self.max_ejection_percent
        )
        self.enabled.toggled.connect(self._enable_fields)
        self._enable_fields(policy.enabled)

    def _enable_fields(self, on: bool) -> None:
        for field in (
            self.consecutive_failures,
            self.base_ejection_time,
            self.max_ejection_percent,
        ):
            field.setEnabled(on)

    def document(self) -> dict[str, Any]:
        return {
            **self._base,
            "enabled": self.enabled.isChecked(),
            "consecutive_failures": self.consecutive_failures.value(),
            "base_ejection_time": duration_value(self.base_ejection_time) or "",
            "max_ejection_percent": self.max_ejection_percent.value(),
        }


class BreakerEditor(PolicyForm):
    """Limits on concurrent work towards the destination; excess fails fast with 503."""

    def __init__(self, policy: CircuitBreaker, parent: QWidget | None = None) -> None:
        super().__init__("Circuit breaker", parent)
        self._base = policy.model_dump(mode="json")
        self.max_requests = spin_box(policy.max_requests, 1, 1_000_000, self)
        self.max_requests.setToolTip("Requests in flight to the service at once")
        self.add_field("Max requests:", ("max_requests",), self.max_requests)
        self.max_pending = spin_box(policy.max_pending, 0, 1_000_000, self)
        self.max_pending.setToolTip("Requests waiting for a connection")
        self.add_field("Max pending:", ("max_pending",), self.max_pending)

    def document(self) -> dict[str, Any]:
        return {
            **self._base,
            "max_requests": self.max_requests.value(),
            "max_pending": self.max_pending.value(),
        }


class ServicePolicyPage(QWidget):
    """The destination service's outlier detection and breaker, on a tab of their own."""

    edited = Signal()

    def __init__(
        self,
        service: str,
        outlier: OutlierDetection,
        breaker: CircuitBreaker,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        note = QLabel(f"These apply to every route that sends traffic to {service}.", self)
        note.setWordWrap(True)
        self.outlier = OutlierEditor(outlier, self)
        self.breaker = BreakerEditor(breaker, self)
        layout.addWidget(note)
        layout.addWidget(self.outlier)
        layout.addWidget(self.breaker)
        layout.addStretch(1)
        self.outlier.edited.connect(self.edited)
        self.breaker.edited.connect(self.edited)

    def error_slots(self) -> Mapping[Loc, ErrorSlot]:
        """Relative to the service: ("outlier_detection", ...) and ("circuit_breaker", ...)."""
        slots: dict[Loc, ErrorSlot] = {}
        for key, form in (("outlier_detection", self.outlier), ("circuit_breaker", self.breaker)):
            slots.update({(key, *loc): slot for loc, slot in form.slots.items()})
        return slots
