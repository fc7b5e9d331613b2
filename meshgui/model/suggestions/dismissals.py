"""Dismissed suggestions stay hidden, per (rule, target), until the evidence changes materially.

"Materially" means one of:
1. the proposal changed: a parameter appeared or went, or one moved by `factor` (1.5x) or more
   either way (e.g. a backoff max of 50ms becoming 100ms; 50ms ↔ 40ms is the same advice);
2. the situation got markedly worse: the rule's headline `measure` grew by `factor` or more
   since the dismissal (an error gap of 10 points becoming 15), or passed from waiting for data
   to ready, which is new evidence too;
3. a new episode: the rule stopped suggesting anything for that target for `forget_after_s`
   (2 min by default, so a value hovering at a threshold does not resurrect it every tick), and
   now suggests again.
Getting better is not material: the dismissed advice matters even less.

Once a change is material the dismissal is dropped; the suggestion shows until dismissed again.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from meshgui.model.suggestions.types import Suggestion

DEFAULT_FACTOR = 1.5
DEFAULT_FORGET_AFTER_S = 120.0


def changed_materially(
    dismissed: Suggestion, current: Suggestion, factor: float = DEFAULT_FACTOR
) -> bool:
    """Whether `current` says something `dismissed` did not (rules 1 and 2 above)."""
    before, now = dict(dismissed.parameters), dict(current.parameters)
    if before.keys() != now.keys():
        return True
    for name, value in now.items():
        if _apart(before[name], value) >= factor:
            return True
    if current.ready and not dismissed.ready:
        return True
    return dismissed.measure > 0 and current.measure >= factor * dismissed.measure


def _apart(a: float, b: float) -> float:
    if a == b:
        return 1.0
    if a <= 0 or b <= 0:
        return math.inf
    return max(a / b, b / a)


@dataclass(slots=True)
class _Dismissal:
    suggestion: Suggestion
    last_seen: float


class Dismissals:
    """Which suggestions an operator dismissed; `visible` filters an evaluation's result."""

    def __init__(
        self, *, factor: float = DEFAULT_FACTOR, forget_after_s: float = DEFAULT_FORGET_AFTER_S
    ) -> None:
        self.factor = factor
        self.forget_after_s = forget_after_s
        self._dismissed: dict[str, _Dismissal] = {}

    def __len__(self) -> int:
        return len(self._dismissed)

    def dismiss(self, suggestion: Suggestion, now: float) -> None:
        self._dismissed[suggestion.id] = _Dismissal(suggestion, now)

    def restore(self, suggestion_id: str) -> None:
        """Show it again (an operator's undo of a dismissal)."""
        self._dismissed.pop(suggestion_id, None)

    def is_dismissed(self, suggestion_id: str) -> bool:
        return suggestion_id in self._dismissed

    def visible(self, suggestions: Iterable[Suggestion], now: float) -> list[Suggestion]:
        """The suggestions not hidden by a dismissal, in their order. Call it with every
        evaluation: it is how dismissals learn that their evidence changed or went away."""
        shown: list[Suggestion] = []
        present: set[str] = set()
        for suggestion in suggestions:
            present.add(suggestion.id)
            entry = self._dismissed.get(suggestion.id)
            if entry is not None:
                absent_for = now - entry.last_seen
                if absent_for < self.forget_after_s and not changed_materially(
                    entry.suggestion, suggestion, self.factor
                ):
                    entry.last_seen = now
                    continue
                del self._dismissed[suggestion.id]
            shown.append(suggestion)
        for suggestion_id, entry in list(self._dismissed.items()):
            if suggestion_id not in present and now - entry.last_seen >= self.forget_after_s:
                del self._dismissed[suggestion_id]  # bounded: dismissals of the past go
        return shown
