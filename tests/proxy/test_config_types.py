"""Durations, addresses and names: parsing, normalising and writing back."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from proxy.config import Address, Duration, Limits, format_duration, parse_duration, split_address
from proxy.config.types import Name

DURATION = TypeAdapter(Duration)
ADDRESS = TypeAdapter(Address)
NAME = TypeAdapter(Name)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("250ms", 0.25),
        ("5s", 5.0),
        ("1.5s", 1.5),
        ("2m", 120.0),
        ("1h", 3600.0),
        (" 10 s ", 10.0),
        (".5s", 0.5),
        ("1e-3s", 0.001),
        ("0s", 0.0),
        (3, 3.0),
        (0.25, 0.25),
    ],
)
def test_durations_parse_to_float_seconds(text: str | float, seconds: float) -> None:
    assert DURATION.validate_python(text) == seconds


@pytest.mark.parametrize(
    "bad", ["-1s", -1, "5", "5x", "", "1 day", True, None, math.nan, math.inf, "infs", [1]]
)
def test_bad_durations_are_refused(bad: object) -> None:
    with pytest.raises(ValidationError):
        DURATION.validate_python(bad)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0.25, "250ms"),
        (5.0, "5s"),
        (1.5, "1.5s"),
        (120.0, "2m"),
        (90.0, "90s"),
        (3600.0, "1h"),
        (0.0, "0s"),
        (0.0125, "0.0125s"),
        (0.001, "1ms"),
    ],
)
def test_durations_format_readably(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


@given(st.floats(min_value=0.0, allow_nan=False, allow_infinity=False))
def test_formatted_durations_parse_back_exactly(seconds: float) -> None:
    assert parse_duration(format_duration(seconds)) == seconds


def test_durations_are_floats_in_python_and_strings_in_json() -> None:
    limits = Limits.model_validate({"connect_timeout": "250ms"})
    assert limits.connect_timeout == 0.25
    assert limits.model_dump()["connect_timeout"] == 0.25
    assert limits.model_dump(mode="json")["connect_timeout"] == "250ms"


def test_timeouts_must_be_positive() -> None:
    with pytest.raises(ValidationError, match="longer than 0s"):
        Limits.model_validate({"connect_timeout": "0s"})


@pytest.mark.parametrize(
    ("given_address", "normalised"),
    [
        ("127.0.0.1:15001", "127.0.0.1:15001"),
        ("[::1]:15001", "[::1]:15001"),
        ("[0:0:0:0:0:0:0:1]:80", "[::1]:80"),
        ("[FE80::1]:80", "[fe80::1]:80"),
        ("LocalHost:080", "localhost:80"),
        ("inventory.default.svc:8080", "inventory.default.svc:8080"),
        ("0.0.0.0:0", "0.0.0.0:0"),
        ("host:65535", "host:65535"),
    ],
)
def test_addresses_are_normalised(given_address: str, normalised: str) -> None:
    assert ADDRESS.validate_python(given_address) == normalised


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ("::1:80", "brackets"),
        ("127.0.0.1", "host:port"),
        ("127.0.0.1:65536", "0 to 65535"),
        ("127.0.0.1:http", "0 to 65535"),
        ("256.1.1.1:80", "not an IPv4 address"),
        ("host_name:80", "not a valid hostname"),
        ("a..b:80", "not a valid hostname"),
        (":80", "host:port"),
        ("[::1:80", "closing"),
        ("[::1x]:80", "not an IPv6 address"),
        (15001, "as a string"),
    ],
)
def test_bad_addresses_are_refused_with_a_reason(bad: object, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason):
        ADDRESS.validate_python(bad)


@pytest.mark.parametrize(
    ("address", "parts"),
    [("[::1]:15001", ("::1", 15001)), ("127.0.0.1:0", ("127.0.0.1", 0)), ("db:5432", ("db", 5432))],
)
def test_split_address_gives_a_socket_host_and_a_port(address: str, parts: tuple[str, int]) -> None:
    assert split_address(ADDRESS.validate_python(address)) == parts


@pytest.mark.parametrize("bad", ["Web", "-web", "web-", "web_1", "", "a" * 64, 7])
def test_names_are_dns_labels(bad: object) -> None:
    with pytest.raises(ValidationError):
        NAME.validate_python(bad)


def test_a_63_character_name_is_fine() -> None:
    assert NAME.validate_python("a" * 63) == "a" * 63
