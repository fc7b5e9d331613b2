"""Durations in each target's spelling: exact where the target can hold the value, the nearest
holdable value with a note where it cannot, and never a positive value rounded to "disabled"."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from meshgui.export.durations import envoy_duration, gateway_duration, istio_duration
from tests.meshgui.export.crd_checks import go_duration

seconds = st.floats(min_value=0.0, max_value=1e9, allow_nan=False, allow_infinity=False)
GEP_2257 = re.compile(r"^([0-9]{1,5}(h|m|s|ms)){1,4}$")
PROTO_JSON = re.compile(r"^(\d+)(?:\.(\d{1,9}))?s$")


def proto_seconds(text: str) -> float:
    found = PROTO_JSON.match(text)
    assert found is not None, text
    return int(found[1]) + int((found[2] or "0").ljust(9, "0")) / 1e9


@pytest.mark.parametrize(
    ("value", "text"),
    [(0.0, "0s"), (0.025, "0.025s"), (0.25, "0.25s"), (1.0, "1s"), (1.5, "1.5s"), (300.0, "300s")],
)
def test_envoy_examples(value: float, text: str) -> None:
    assert envoy_duration(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(0.25, "250ms"), (1.0, "1s"), (1.5, "1.5s"), (120.0, "2m"), (3600.0, "1h"), (90.0, "90s")],
)
def test_istio_examples(value: float, text: str) -> None:
    assert istio_duration(value) == (text, None)


def test_istio_raises_what_is_under_a_millisecond_and_says_so() -> None:
    text, note = istio_duration(0.0002)
    assert text == "1ms"
    assert note is not None and "1ms" in note


@pytest.mark.parametrize(
    ("value", "text"),
    [(0.0, "0s"), (1.5, "1s500ms"), (3661.001, "1h1m1s1ms"), (0.25, "250ms"), (5.0, "5s")],
)
def test_gateway_examples(value: float, text: str) -> None:
    assert gateway_duration(value) == (text, None)


def test_gateway_rounds_to_milliseconds_with_a_note() -> None:
    assert gateway_duration(0.0004) == ("1ms", gateway_duration(0.0004)[1])
    assert gateway_duration(0.0004)[1] is not None
    assert gateway_duration(1.0006)[0] == "1s1ms"


def test_gateway_clamps_what_is_too_long() -> None:
    text, note = gateway_duration(1e9)
    assert text == "99999h59m59s999ms" and note is not None


@given(seconds)
def test_envoy_is_exact_to_the_nanosecond(value: float) -> None:
    text = envoy_duration(value)
    assert abs(proto_seconds(text) - value) <= max(1e-9, value * 1e-15)
    assert (text == "0s") == (value == 0)


@given(seconds)
def test_istio_is_a_go_duration_of_at_least_1ms(value: float) -> None:
    text, note = istio_duration(value)
    parsed = go_duration(text)
    assert parsed >= 0.001 - 1e-12
    if value >= 0.001:
        assert note is None
        assert abs(parsed - value) <= max(1e-9, value * 1e-15)
    else:
        assert note is not None


@given(seconds)
def test_gateway_fits_gep_2257_and_notes_any_loss(value: float) -> None:
    text, note = gateway_duration(value)
    assert GEP_2257.match(text), text
    assert (text == "0s") == (value == 0)
    parsed = go_duration(text)
    if note is None:
        assert abs(parsed - value) <= max(1e-9, value * 1e-15)
    elif value < 99_999 * 3600:
        assert abs(parsed - value) <= 0.0005 + 1e-9 or (value < 0.001 and text == "1ms")
