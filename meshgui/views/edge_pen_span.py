"""The rates that keep an edge's pen: every rate between two of the same width step has that
step (`edge_width` only grows), so an edge whose new rate stays within its span needs no pen
lookup. A stats tick re-checks thousands of edges; this makes most checks two comparisons."""

from __future__ import annotations

import math

from meshgui.model.edge_looks import WIDTH_STEPS_PER_UNIT
from meshgui.views.styles import edge_width

_BISECTIONS = 200
"""Enough to reach one float's spacing from 1e15 down to 0."""
_rps_spans: dict[int, tuple[float, float]] = {}


def width_step(rps: float) -> int:
    return round(edge_width(rps) * WIDTH_STEPS_PER_UNIT)


def rps_span(step: int, member: float) -> tuple[float, float]:
    """Rates [low, high] that all get width `step` (`member` does). Bisection on `edge_width`
    itself, so it follows styles.py; once per step."""
    span = _rps_spans.get(step)
    if span is None:
        span = _rps_spans[step] = (_span_end(step, member, -1.0), _span_end(step, member, 1e15))
    return span


def _span_end(step: int, member: float, towards: float) -> float:
    """The last rate from `member` towards `towards` that still has `step` (to the float)."""
    if width_step(towards) == step:  # below 0 all rates count as 0
        return math.copysign(math.inf, towards)
    inside, outside = member, towards
    for _ in range(_BISECTIONS):
        middle = (inside + outside) / 2
        if middle in (inside, outside):
            break
        inside, outside = (middle, outside) if width_step(middle) == step else (inside, middle)
    return inside
