"""Suggestions from metrics: what to change in the mesh (retry backoff, timeouts, drains, retry
budgets, reroutes), with the evidence, the expected effect and a confidence.

`EvidenceCollector` takes the sidecars' snapshots; `SuggestionEngine.evaluate` turns the evidence
and the mesh config into `Suggestion`s, whose `apply(mesh)` makes the edited config;
`Dismissals` hides the ones an operator dismissed until their evidence changes materially.
"""

from meshgui.model.suggestions.dismissals import Dismissals, changed_materially
from meshgui.model.suggestions.engine import SuggestionEngine
from meshgui.model.suggestions.evidence import EndpointHealth, EvidenceCollector
from meshgui.model.suggestions.settings import Minimum, RuleSettings
from meshgui.model.suggestions.traffic import TrafficStats
from meshgui.model.suggestions.types import StaleSuggestionError, Suggestion, TargetKind
from meshgui.model.suggestions.window_table import WindowTable

__all__ = [
    "Dismissals",
    "EndpointHealth",
    "EvidenceCollector",
    "Minimum",
    "RuleSettings",
    "StaleSuggestionError",
    "Suggestion",
    "SuggestionEngine",
    "TargetKind",
    "TrafficStats",
    "WindowTable",
    "changed_materially",
]
