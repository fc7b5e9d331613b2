"""The suggestions engine: every rule over the evidence and the running mesh config.

Pure and Qt-free: the app calls `evaluate` every few seconds with the collector it feeds and the
config the sidecars run, then filters the result through its `Dismissals`.
"""

from __future__ import annotations

from collections.abc import Sequence

from meshgui.model.suggestions.evidence import EvidenceCollector
from meshgui.model.suggestions.rules import ALL_RULES, Rule, RuleContext
from meshgui.model.suggestions.settings import RuleSettings
from meshgui.model.suggestions.types import Suggestion
from proxy.config import MeshConfig


class SuggestionEngine:
    def __init__(
        self, settings: RuleSettings | None = None, rules: Sequence[Rule] = ALL_RULES
    ) -> None:
        self.settings = settings if settings is not None else RuleSettings()
        self._rules = tuple(rules)

    def evaluate(
        self, evidence: EvidenceCollector, mesh: MeshConfig, now: float
    ) -> list[Suggestion]:
        """Suggestions for `mesh` from the evidence of the window ending at `now`: the ready
        ones first, most confident first; then those still waiting for data. One per id."""
        context = RuleContext(evidence, mesh, self.settings, now)
        found: dict[str, Suggestion] = {}
        for rule in self._rules:
            for suggestion in rule(context):
                found.setdefault(suggestion.id, suggestion)
        return sorted(found.values(), key=lambda s: (not s.ready, -s.confidence, s.id))
