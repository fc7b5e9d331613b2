"""The structured error trailers: every problem travels, and a flood stays within budget."""

from __future__ import annotations

from proxy.admin.trailers import (
    MAX_MESSAGE_PROBLEMS,
    MAX_PROBLEMS_BYTES,
    decode_problems,
    describe_problems,
    encode_problems,
    metadata_value,
)
from proxy.config import ConfigProblem


def test_problems_round_trip_with_paths_reasons_and_lines() -> None:
    problems = [
        ConfigProblem("routes.inventory[0].timeout", "should be a duration", 7),
        ConfigProblem("", "YAML syntax: something", None),
    ]
    assert decode_problems(encode_problems(problems)) == problems


def test_a_flood_of_problems_is_cut_short_and_says_so() -> None:
    problems = [ConfigProblem(f"services.s{i}.protocol", "x" * 100) for i in range(1000)]
    data = encode_problems(problems)
    assert len(data) <= MAX_PROBLEMS_BYTES + 200
    decoded = decode_problems(data)
    assert decoded[:-1] == problems[: len(decoded) - 1]
    assert decoded[-1].reason == f"... and {1000 - len(decoded) + 1} more problems"


def test_the_status_message_spells_out_the_first_problems() -> None:
    problems = [ConfigProblem(f"services.s{i}", "bad") for i in range(MAX_MESSAGE_PROBLEMS + 3)]
    text = describe_problems("ApplyConfig", problems)
    lines = text.splitlines()
    assert lines[0] == "ApplyConfig: services.s0: bad"
    assert len(lines) == MAX_MESSAGE_PROBLEMS + 1 and "3 more" in lines[-1]


def test_metadata_value_takes_the_first_or_nothing() -> None:
    metadata: list[tuple[str, str | bytes]] = [("a", "1"), ("b", b"2"), ("a", "3")]
    assert metadata_value(metadata, "a") == "1"
    assert metadata_value(metadata, "b") == b"2"
    assert metadata_value(metadata, "c") == ""
    assert metadata_value(None, "a") == ""
