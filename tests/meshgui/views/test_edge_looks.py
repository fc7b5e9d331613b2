"""The model's numpy look keys (`meshgui.model.edge_looks`) never miss a change the canvas
would show: whenever an edge's label text, width step, health or idleness differs by the views'
own functions, the edge is flagged; and edges whose numbers moved within the label's rounding
are mostly not. The tries-failed share comes from the model's own numpy function
(`edge_views.tries_failed_percents`), the label's from `health.tries_failed_percent`, so the
test holds those together too."""

from __future__ import annotations

import numpy as np

from meshgui.model.edge_looks import LookKeys
from meshgui.model.edge_views import tries_failed_percents
from meshgui.model.health import DEGRADED_ERROR_PCT
from meshgui.model.types import EdgeKey, EdgeStats
from meshgui.views.edge_label import edge_label
from meshgui.views.edge_pen_span import width_step

HTTP, TCP = EdgeKey("a", "b", "http"), EdgeKey("a", "db", "tcp")
BOUNDARIES = [0.0, 0.05, 0.1, 2.0, 9.95, 10.0, 999.95, 1000.0, 1e3, 1e6, 1e9, 12.5, 0.25, 42.5]


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
        "retries": np.where(rng.random(n) < 0.4, 0.0, column(0.5)),
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
    error_pct = numbers["error_pct"]
    tries = tries_failed_percents(rps, error_pct, numbers["retries"])
    return LookKeys(numbers["health"], rps, error_pct, tries, numbers["p99"], size, idle, tcp)


def shown(numbers: dict[str, np.ndarray], i: int, tcp: bool) -> tuple[object, ...]:
    p99 = float(numbers["p99"][i])
    stats = EdgeStats(
        rps=float(numbers["rps"][i]),
        error_pct=float(numbers["error_pct"][i]),
        p50_ms=None,
        p90_ms=None,
        p99_ms=None if np.isnan(p99) else p99,
        in_flight=int(numbers["in_flight"][i]),
        retries_per_s=float(numbers["retries"][i]),
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
    line_changed = label_changed = tries_shown = 0
    for i in range(n):
        (line_a, words_a), (line_b, words_b) = shown(before, i, tcp[i]), shown(after, i, tcp[i])
        tries_shown += "tries failed" in words_b[0][1]
        if line_a != line_b:
            line_changed += 1
            assert restyled[i] and relabelled[i], i
        if line_a != line_b or words_a != words_b:
            label_changed += 1
            assert relabelled[i], (i, words_a, words_b)
    assert line_changed > 100 and label_changed > 1000  # the test met both kinds
    assert tries_shown > 1000  # and many labels naming the failed tries
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


def test_a_tries_failed_share_on_the_threshold_counts_as_changed() -> None:
    """Exactly on a health threshold, rounding could leave the share out of the label or put it
    in: such an edge is always looked at again."""
    one = np.ones(3)
    tries = np.array([DEGRADED_ERROR_PCT, DEGRADED_ERROR_PCT * 1.5, DEGRADED_ERROR_PCT])
    no_calls_failed = np.zeros(3)
    http = np.array([False, False, True])  # the third is TCP: its label never names tries
    looks = LookKeys(
        np.full(3, 2), 50 * one, no_calls_failed, tries, 30 * one, one, ~one.astype(bool), http
    )
    assert looks.unsure().tolist() == [True, False, False]


def test_the_label_names_failed_tries_when_they_set_the_colour() -> None:
    def label(error_pct: float, retries_per_s: float) -> tuple[str, str]:
        return edge_label(HTTP, EdgeStats(48.0, error_pct, None, None, 49.0, 0, retries_per_s, 0))

    # 4.5 retries/s hid 8.6% of the tries failing: amber, though no call failed.
    assert label(0.0, 4.5) == ("48 req/s · p99 49 ms", "0% · 8.6% tries failed")
    assert label(5.0, 20.0) == ("48 req/s · p99 49 ms", "5.0% · 33% tries failed")  # red
    assert label(0.0, 0.5) == ("48 req/s", "0% · p99 49 ms")  # 1.0%: green either way
    assert label(35.0, 0.5) == ("48 req/s", "35% · p99 49 ms")  # red either way
    assert label(25.0, 0.0) == ("48 req/s", "25% · p99 49 ms")  # no retries, nothing hidden
