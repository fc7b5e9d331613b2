"""The model's numpy look keys (`meshgui.model.edge_looks`) never miss a change the canvas
would show: whenever an edge's label text, width step, health or idleness differs by the views'
own functions, the edge is flagged; and edges whose numbers moved within the label's rounding
are mostly not."""

from __future__ import annotations

import numpy as np

from meshgui.model.edge_looks import LookKeys
from meshgui.model.types import EdgeKey, EdgeStats
from meshgui.views.edge_label import edge_label
from meshgui.views.edge_pen_span import width_step

HTTP, TCP = EdgeKey("a", "b", "http"), EdgeKey("a", "db", "tcp")
BOUNDARIES = [0.0, 0.05, 0.1, 9.95, 10.0, 999.95, 1000.0, 1e3, 1e6, 1e9, 12.5, 0.25, 42.5]


def random_numbers(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    def column(scale: float) -> np.ndarray:
        values = rng.lognormal(np.log(scale), 2.5, n)
        values[rng.random(n) < 0.1] = 0.0
        on_boundary = rng.random(n) < 0.2
        values[on_boundary] = rng.choice(BOUNDARIES, int(on_boundary.sum()))
        return values

    p99 = column(30.0)
    p99[rng.random(n) < 0.1] = np.nan
    return {
        "rps": column(10.0),
        "error_pct": np.minimum(column(1.0), 100.0),
        "p99": p99,
        "bytes": column(5e4),
        "in_flight": np.where(rng.random(n) < 0.5, 0.0, 3.0),
        "health": rng.integers(0, 5, n),
    }


def nudged(rng: np.random.Generator, numbers: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Most numbers moved a little (often within a label's rounding), some a lot."""
    n = len(numbers["rps"])
    moved = {}
    for name, values in numbers.items():
        if name == "health":
            moved[name] = np.where(rng.random(n) < 0.05, rng.integers(0, 5, n), values)
        else:
            factor = np.where(
                rng.random(n) < 0.1, rng.lognormal(0, 1, n), 1 + rng.normal(0, 1e-3, n)
            )
            moved[name] = values * factor
    moved["in_flight"] = np.rint(moved["in_flight"])  # a whole number, as the model keeps it
    return moved


def keys(numbers: dict[str, np.ndarray], tcp: np.ndarray) -> LookKeys:
    rps, size, in_flight = numbers["rps"], numbers["bytes"], numbers["in_flight"]
    idle = (rps == 0.0) & (size == 0.0) & (in_flight == 0.0)
    return LookKeys(numbers["health"], rps, numbers["error_pct"], numbers["p99"], size, idle, tcp)


def shown(numbers: dict[str, np.ndarray], i: int, tcp: bool) -> tuple[object, ...]:
    p99 = float(numbers["p99"][i])
    stats = EdgeStats(
        rps=float(numbers["rps"][i]),
        error_pct=float(numbers["error_pct"][i]),
        p50_ms=None,
        p90_ms=None,
        p99_ms=None if np.isnan(p99) else p99,
        in_flight=int(numbers["in_flight"][i]),
        retries_per_s=0.0,
        bytes_per_s=float(numbers["bytes"][i]),
    )
    idle = stats.rps == 0 and stats.bytes_per_s == 0 and stats.in_flight == 0
    line = (int(numbers["health"][i]), width_step(stats.rps))
    return line, (edge_label(TCP if tcp else HTTP, stats), idle)


def test_every_change_the_canvas_would_show_is_flagged_and_few_others() -> None:
    rng = np.random.default_rng(11)
    n = 20_000
    tcp = rng.random(n) < 0.3
    before = random_numbers(rng, n)
    after = nudged(rng, before)
    restyled = keys(after, tcp).restyled(keys(before, tcp))
    relabelled = keys(after, tcp).relabelled(keys(before, tcp))
    line_changed = label_changed = 0
    for i in range(n):
        (line_a, words_a), (line_b, words_b) = shown(before, i, tcp[i]), shown(after, i, tcp[i])
        if line_a != line_b:
            line_changed += 1
            assert restyled[i] and relabelled[i], i
        if line_a != line_b or words_a != words_b:
            label_changed += 1
            assert relabelled[i], (i, words_a, words_b)
    assert line_changed > 100 and label_changed > 1000  # the test met both kinds
    # Boundary values count as changed every time; beyond those, flags follow real changes.
    assert relabelled.sum() < label_changed * 1.5
    assert restyled.sum() < line_changed * 3


def test_unchanged_numbers_flag_only_values_sitting_on_a_boundary() -> None:
    rng = np.random.default_rng(5)
    n = 5_000
    tcp = rng.random(n) < 0.3
    numbers = random_numbers(rng, n)
    looks = keys(numbers, tcp)
    flagged = looks.relabelled(keys(numbers, tcp))
    assert (flagged == looks.unsure()).all()
    assert 0 < flagged.sum() < n * 0.5
