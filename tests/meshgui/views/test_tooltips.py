"""Numbers as the details dock and the tooltips write them: three significant figures without
exponents, values that a wrapping label cannot break apart, and both failure shares when
retries hid failures from the callers."""

from __future__ import annotations

import math

import pytest

from meshgui.views.tooltips import NBSP, edge_tooltip, failures_text, figures, ms_figures
from tests.meshgui.views.fakes import CART_INVENTORY, INVENTORY_DB, stats


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (45.97, "46.0"),
        (114.53, "115"),
        (18.77, "18.8"),
        (0.52, "0.520"),
        (1.5, "1.50"),
        (9.996, "10.0"),  # rounds up into the next decade: still three figures
        (12_345.6, "12,346"),
        (0.000123, "0.000123"),
        (0.0, "0"),
        (None, "n/a"),
        (math.nan, "n/a"),
    ],
)
def test_three_significant_figures_never_in_exponent_notation(
    value: float | None, written: str
) -> None:
    assert figures(value) == written


def test_durations_switch_to_seconds_and_keep_their_unit_attached() -> None:
    assert ms_figures(18.77) == f"18.8{NBSP}ms"
    assert ms_figures(1234.0) == f"1.23{NBSP}s"
    assert ms_figures(None) == "n/a"


def test_without_retries_one_share_with_retries_both_and_the_rate() -> None:
    assert failures_text(100.0, 0.52, 0.0) == f"0.520%{NBSP}errors"
    text = failures_text(47.64, 0.0, 4.5)  # every failure retried away: 8.6% of the tries
    assert text.split(" · ") == [
        f"0% of{NBSP}calls{NBSP}failed",
        f"8.63% of{NBSP}tries{NBSP}failed",
        f"4.50{NBSP}retries/s",
    ]


def test_an_edge_tooltip_gives_the_failed_tries_beside_the_failed_calls() -> None:
    tip = edge_tooltip(CART_INVENTORY, stats(47.64, 0.0, retries_per_s=4.5))
    assert "errors 0.000% of calls · 8.631% of tries failed" in tip
    assert "retries 4.50/s" in tip
    quiet = edge_tooltip(CART_INVENTORY, stats(47.64, 0.0, retries_per_s=0.0))
    assert "errors 0.000%\n" in quiet and "tries failed" not in quiet
    tcp = edge_tooltip(INVENTORY_DB, stats(4.0, 0.0, retries_per_s=1.0))  # no tries over TCP
    assert "tries failed" not in tcp
