"""Numbers as suggestions show them, round values to propose, and the confidence formula."""

from __future__ import annotations

import math

_NICE_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)


def duration_text(seconds: float) -> str:
    """A window length: '45 s', '5 min', '1.5 h'."""
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        minutes = seconds / 60
        return f"{minutes:.0f} min" if minutes.is_integer() else f"{minutes:.1f} min"
    return f"{seconds / 3600:.1f} h"


def ms_text(ms: float | None) -> str:
    """A measured time, to 2 significant digits: '0.8 ms', '42 ms', '1.2 s'."""
    if ms is None or math.isnan(ms):
        return "n/a"
    if ms >= 999.5:  # what would print as "1000 ms"
        return f"{ms / 1000:.2g} s" if ms < 10_000 else f"{ms / 1000:.0f} s"
    if ms >= 10:
        return f"{ms:.0f} ms"
    return f"{ms:.2g} ms"


def setting_text(seconds: float | None) -> str:
    """A configured duration as an operator writes it: '25ms', '1s', '2.5s'; 'none'."""
    if seconds is None:
        return "none"
    ms = seconds * 1000
    if ms < 1000:
        return f"{ms:g}ms"
    return f"{seconds:g}s"


def percent(rate: float) -> str:
    """'30%', '4.2%', '0.05%'."""
    value = rate * 100
    if value >= 10 or value == 0:
        return f"{value:.0f}%"
    return f"{value:.2g}%" if value >= 0.1 else f"{value:.1g}%"


def nice_up(ms: float) -> float:
    """The smallest 1/2/2.5/5 x 10ⁿ ms at or above `ms` (at least 1 ms)."""
    ms = max(ms, 1.0)
    scale = 10.0 ** math.floor(math.log10(ms))
    for step in _NICE_STEPS:
        if step * scale >= ms * (1 - 1e-9):
            return step * scale
    return 10 * scale  # unreachable: the 10 step always fits


def nice_near(ms: float) -> float:
    """The 1/2/2.5/5 x 10ⁿ ms nearest to `ms` on a log scale (at least 1 ms)."""
    ms = max(ms, 1.0)
    scale = 10.0 ** math.floor(math.log10(ms))
    candidates = [step * scale for step in _NICE_STEPS]
    return min(candidates, key=lambda value: abs(math.log(value / ms)))


def off_by(current: float, proposed: float) -> float:
    """How many times apart two positive values are (≥ 1); infinite when one is zero."""
    if current <= 0 or proposed <= 0:
        return math.inf if current != proposed else 1.0
    return max(current / proposed, proposed / current)


def confidence(data_ratio: float, signal: float) -> float:
    """0.5 at exactly the rule's minimum of data, rising to 0.9 at ten times it; scaled by the
    signal's clarity (0..1). Tentative findings (data_ratio < 1) fall below 0.5."""
    if data_ratio <= 0:
        return 0.0
    data = 0.5 * data_ratio if data_ratio < 1 else min(0.9, 0.5 + 0.4 * math.log10(data_ratio))
    value = max(0.0, min(1.0, data * max(0.0, min(1.0, signal))))
    return math.floor(value * 1000) / 1000  # rounded down: 0.4999 must not read as 0.5


def plural(count: float, noun: str) -> str:
    """'1 attempt', '0 attempts', '2 attempts'."""
    return f"{count:g} {noun}" if count == 1 else f"{count:g} {noun}s"
