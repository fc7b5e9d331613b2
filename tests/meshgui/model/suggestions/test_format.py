"""Round proposals, readable numbers, and the confidence scale."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from meshgui.model.quantiles import histogram_quantile
from meshgui.model.suggestions.format import (
    confidence,
    duration_text,
    ms_text,
    nice_near,
    nice_up,
    percent,
    setting_text,
)
from meshgui.model.suggestions.traffic import bucket_quantile

positive_ms = st.floats(0.001, 1e7, allow_nan=False)


@given(positive_ms)
def test_nice_up_is_the_next_round_value(ms: float) -> None:
    value = nice_up(ms)
    assert value >= max(ms, 1.0) * (1 - 1e-9)
    assert value <= max(ms, 1.0) * 2.0 + 1e-9  # steps 1, 2, 2.5, 5, 10 are never 2x apart


@given(positive_ms)
def test_nice_near_is_within_a_step(ms: float) -> None:
    value = nice_near(ms)
    assert abs(math.log(value / max(ms, 1.0))) <= math.log(2.0) / 2 + 1e-9


def test_known_values() -> None:
    assert [nice_up(x) for x in (1, 1.5, 2.2, 3, 49.97, 101)] == [1, 2, 2.5, 5, 50, 200]
    assert [nice_near(x) for x in (4, 15.6, 7)] == [5, 20, 5]
    assert [duration_text(s) for s in (55, 100, 300, 7200)] == ["55 s", "1.7 min", "5 min", "2.0 h"]
    assert [ms_text(v) for v in (0.8, 42.4, 999.7, 1234, None)] == [
        "0.8 ms", "42 ms", "1 s", "1.2 s", "n/a"
    ]  # fmt: skip
    assert [setting_text(s) for s in (0.025, 1.0, 2.5, None)] == ["25ms", "1s", "2.5s", "none"]
    assert [percent(r) for r in (0.3, 0.042, 0.0005, 0.0)] == ["30%", "4.2%", "0.05%", "0%"]


@given(st.floats(0.0, 1000.0), st.floats(0.0, 1.0))
def test_confidence_is_a_probability_that_grows_with_data(ratio: float, signal: float) -> None:
    value = confidence(ratio, signal)
    assert 0.0 <= value <= 0.9
    assert confidence(ratio * 2, signal) >= value
    if ratio < 1:
        assert value < 0.5


@given(
    st.lists(st.integers(0, 50), min_size=4, max_size=4),
    st.sampled_from([0.0, 0.25, 0.5, 0.9, 0.95, 0.999, 1.0]),
)
def test_the_quick_quantile_matches_the_models(counts: list[int], q: float) -> None:
    bounds = (1.0, 5.0, 25.0)
    expected = histogram_quantile(bounds, [float(c) for c in counts], q)
    found = bucket_quantile(bounds, [float(c) for c in counts], q)
    assert found == expected or (
        found is not None and expected is not None and math.isclose(found, expected)
    )
