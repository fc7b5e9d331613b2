"""What every rule reads: the evidence over the window, split into slices when a rule wants to
know that a finding holds throughout, the mesh config's routes, and the data-sufficiency gate."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from meshgui.model.suggestions.edits import RouteRef
from meshgui.model.suggestions.evidence import EvidenceCollector
from meshgui.model.suggestions.format import duration_text
from meshgui.model.suggestions.settings import Minimum, RuleSettings
from meshgui.model.suggestions.window_table import WindowTable
from proxy.config import MeshConfig, RouteConfig


@dataclass(frozen=True, slots=True)
class Gate:
    """A finding's standing: `reason` None when the data suffices; `data_ratio` how many times
    the minimum there is (the smallest of requests, events and window ratios)."""

    reason: str | None
    data_ratio: float


class RuleContext:
    def __init__(
        self, evidence: EvidenceCollector, mesh: MeshConfig, settings: RuleSettings, now: float
    ) -> None:
        self.evidence = evidence
        self.mesh = mesh
        self.settings = settings
        self.now = now
        self.window = evidence.table(now - evidence.window_s, now)
        self._slices: dict[int, list[WindowTable]] = {}
        self._routes: dict[str, list[tuple[RouteRef, RouteConfig]]] = {}

    def slices(self, count: int) -> list[WindowTable]:
        """The stretch of the window that has data, cut into `count` equal slices (fewer when
        they would be shorter than the evidence's step), oldest first."""
        cached = self._slices.get(count)
        if cached is not None:
            return cached
        requested = count
        since = self.evidence.data_since(self.now)
        tables: list[WindowTable] = []
        if since is not None and self.now > since:
            length = self.now - since
            count = max(1, min(count, int(length // self.evidence.step_s)))
            edges = [since + length * i / count for i in range(count + 1)]
            tables = [self.evidence.table(a, b) for a, b in itertools.pairwise(edges)]
        self._slices[requested] = tables
        return tables

    def routes(self, destination: str) -> list[tuple[RouteRef, RouteConfig]]:
        """The routes towards `destination`, the catch-all default included."""
        found = self._routes.get(destination)
        if found is None:
            implicit = destination not in self.mesh.routes
            found = [
                (RouteRef(destination, index, route.name, implicit), route)
                for index, route in enumerate(self.mesh.routes_for(destination))
            ]
            self._routes[destination] = found
        return found

    def gate(self, minimum: Minimum, requests: int, events: int, span_s: float) -> Gate | None:
        """None when there is too little even to mention a possible finding."""
        if not minimum.tentative(requests, events):
            return None
        ratios = [requests / minimum.requests, span_s / minimum.span_s]
        if minimum.events:
            ratios.append(events / minimum.events)
        return Gate(minimum.shortfall(requests, events, span_s), min(ratios))

    def over(self, span_s: float) -> str:
        """'over the last 5 min'."""
        return f"over the last {duration_text(span_s)}"
