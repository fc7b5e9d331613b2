"""Which edges *look* different on the canvas, decided in numpy for all edges at once.

A busy mesh changes nearly every edge's numbers every second, yet zoomed out an edge's line
changes only with its health or its width step, and up close only when its label reads
differently. Telling those few edges apart here (on the client's thread, with the view) lets
the canvas touch only them.

The rules are the canvas's: widths as `meshgui.views.styles.edge_width` rounds them
(`WIDTH_STEPS_PER_UNIT`), labels as `meshgui.views.edge_label` formats them. They are written
again in numpy here, where no Qt may be imported; a test holds both together. Floating point may
round a value sitting on a boundary the other way than Python's formatting does, so each value
is looked at a hair below and a hair above: where those differ the edge always counts as changed
(a spare repaint), so a change is never missed.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from meshgui.model.health import DEGRADED_ERROR_PCT, FAILING_ERROR_PCT
from meshgui.model.types import FloatArray

BoolArray = npt.NDArray[np.bool_]

MIN_EDGE_WIDTH = 1.2
MAX_EDGE_WIDTH = 9.0
WIDTH_PER_DECADE = 1.6
WIDTH_STEPS_PER_UNIT = 2
HEALTH_STEPS = (DEGRADED_ERROR_PCT, FAILING_ERROR_PCT)
"""An HTTP label names the share of tries that failed (retried ones included) when that share
crosses more of these than the calls' error share does: when retries hid the failures that
make the edge amber or red, the label says so; otherwise it stays short (the tooltip and the
details dock always give both)."""
_HAIR = 1e-9
"""Relative nudge: far above a float's rounding error, far below any label's precision."""
_BRANCH = 1e13
"""Keeps a format's branch apart from its rounded number in one float (numbers stay below)."""

_RATE = ((1000.0, 0.01), (10.0, 1.0), (0.0, 10.0))
_PCT = ((10.0, 1.0), (0.1, 10.0), (0.0, 0.0))
_MS = ((1000.0, 0.1), (10.0, 1.0), (0.0, 10.0))
_BYTES = ((1e9, 1e-8), (1e6, 1e-5), (1e3, 1e-2), (0.0, 1.0))
"""(lowest value, scale) of each way a number is written, highest first: the label shows
`round(value * scale)` (`format_rate`: 1.2k, 120, 1.2; `format_pct`: 12%, 1.2%, <0.1%;
`format_ms`: 1.20 s, 120 ms, 1.2 ms; `format_bytes_per_s`: GB/s .. B/s). Zero has a branch of its
own (0, 0%), as does a missing value (n/a)."""
_NOT_SHOWN = -2.0
"""The tries-failed share's row where the label leaves it out (written codes are -1 and up)."""


def _written(values: FloatArray, branches: tuple[tuple[float, float], ...]) -> FloatArray:
    """One float per value that differs exactly when the written number differs."""
    code = np.zeros_like(values)  # 0 and NaN (n/a) keep 0 and -1 below
    for branch, (lowest, scale) in enumerate(branches):
        above = values > lowest if lowest == 0.0 else values >= lowest
        chosen = above & (code == 0.0) & (values > 0.0)
        code = np.where(chosen, (len(branches) - branch) * _BRANCH + np.rint(values * scale), code)
    return np.where(np.isnan(values), -1.0, code)


def tries_set_colour(error_pct: float, tries_failed_pct: float) -> bool:
    """Whether the failed tries, not the failed calls, make the edge amber or red: its label
    then names them (`HEALTH_STEPS`)."""
    return sum(tries_failed_pct >= step for step in HEALTH_STEPS) > sum(
        error_pct >= step for step in HEALTH_STEPS
    )


def _tries_written(
    error_pct: FloatArray, tries_failed_pct: FloatArray, http: BoolArray
) -> FloatArray:
    """The tries-failed share as written, where the label names it (`tries_set_colour`)."""
    steps_crossed = np.zeros_like(tries_failed_pct)
    for step in HEALTH_STEPS:
        steps_crossed += (tries_failed_pct >= step).astype(np.float64) - (error_pct >= step)
    shown = http & (steps_crossed > 0)
    return np.where(shown, _written(tries_failed_pct, _PCT), _NOT_SHOWN)


def width_steps(rps: FloatArray) -> FloatArray:
    """`round(edge_width(rps) * WIDTH_STEPS_PER_UNIT)` of every rate."""
    width = MIN_EDGE_WIDTH + WIDTH_PER_DECADE * np.log10(1.0 + np.maximum(rps, 0.0))
    steps: FloatArray = np.rint(np.minimum(MAX_EDGE_WIDTH, width) * WIDTH_STEPS_PER_UNIT)
    return steps


class LookKeys:
    """Per edge (columns), what its line and its label show, each as a (below, above) pair."""

    __slots__ = ("label", "style")

    def __init__(
        self,
        health_codes: npt.NDArray[np.int64],
        rps: FloatArray,
        error_pct: FloatArray,
        tries_failed_pct: FloatArray,
        p99_ms: FloatArray,
        bytes_per_s: FloatArray,
        idle: BoolArray,
        tcp: BoolArray,
    ) -> None:
        """`p99_ms` NaN where there is none; `tcp`: the label shows connections and bytes;
        `tries_failed_pct`: `health.tries_failed_percent` of each edge (`edge_views`)."""
        health = health_codes.astype(np.float64)
        steps = [width_steps(rps * (1.0 - _HAIR)), width_steps(rps * (1.0 + _HAIR))]
        self.style: FloatArray = np.vstack([health, *steps])
        http = ~tcp
        rows = [idle.astype(np.float64)]
        for values, branches, shown in (
            (rps, _RATE, None),
            (error_pct, _PCT, http),
            (p99_ms, _MS, http),
            (bytes_per_s, _BYTES, tcp),
        ):
            for nudged in (values * (1.0 - _HAIR), values * (1.0 + _HAIR)):
                written = _written(nudged, branches)
                rows.append(written if shown is None else np.where(shown, written, 0.0))
        for hair in (1.0 - _HAIR, 1.0 + _HAIR):
            rows.append(_tries_written(error_pct * hair, tries_failed_pct * hair, http))
        self.label: FloatArray = np.vstack(rows)

    def unsure(self) -> BoolArray:
        """Edges with a value on a boundary of what they show: always count as changed."""
        unsure: BoolArray = self._unsure_width() | self._unsure_label()
        return unsure

    def _unsure_width(self) -> BoolArray:
        unsure: BoolArray = self.style[1] != self.style[2]
        return unsure

    def _unsure_label(self) -> BoolArray:
        label = self.label
        unsure: BoolArray = (label[1::2] != label[2::2]).any(axis=0)
        return unsure

    def compare(self, before: LookKeys) -> tuple[BoolArray, BoolArray]:
        """(restyled, relabelled) against `before` (same edge ids; `before` may be shorter,
        edges beyond it count as changed), each part worked out once."""
        restyled = _differs(self.style, before.style) | self._unsure_width()
        relabelled = restyled | _differs(self.label, before.label) | self._unsure_label()
        return restyled, relabelled

    def restyled(self, before: LookKeys) -> BoolArray:
        """Health or width step differ from `before`."""
        return self.compare(before)[0]

    def relabelled(self, before: LookKeys) -> BoolArray:
        """Anything an edge shows up close differs: its line, its label, or whether it is idle
        (an idle edge shows no label)."""
        return self.compare(before)[1]


def _differs(now: FloatArray, before: FloatArray) -> BoolArray:
    known = before.shape[1]
    differs = np.ones(now.shape[1], dtype=np.bool_)
    differs[:known] = (now[:, :known] != before).any(axis=0)
    return differs
