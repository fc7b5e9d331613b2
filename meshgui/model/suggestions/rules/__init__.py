"""The suggestion rules, one module each; every rule reads a `RuleContext` and yields
`Suggestion`s (ready, or waiting for data with the reason)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from meshgui.model.suggestions.rules.backoff import backoff_suggestions
from meshgui.model.suggestions.rules.context import RuleContext
from meshgui.model.suggestions.rules.drain import drain_suggestions
from meshgui.model.suggestions.rules.reroute import reroute_suggestions
from meshgui.model.suggestions.rules.retry_budget import retry_budget_suggestions
from meshgui.model.suggestions.rules.timeouts import timeout_suggestions
from meshgui.model.suggestions.types import Suggestion

Rule = Callable[[RuleContext], Iterable[Suggestion]]

ALL_RULES: tuple[Rule, ...] = (
    drain_suggestions,
    reroute_suggestions,
    backoff_suggestions,
    retry_budget_suggestions,
    timeout_suggestions,
)

__all__ = [
    "ALL_RULES",
    "Rule",
    "RuleContext",
    "backoff_suggestions",
    "drain_suggestions",
    "reroute_suggestions",
    "retry_budget_suggestions",
    "timeout_suggestions",
]
