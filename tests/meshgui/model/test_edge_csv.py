"""Edge history as CSV: ISO time and epoch, five values, blank cells for NaN, and back."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import numpy as np
import pytest

from meshgui.model.edge_csv import (
    HEADER,
    edge_history_csv,
    edges_history_csv,
    parse_edge_history_csv,
)
from meshgui.model.types import EdgeHistory, EdgeKey

T0 = 1_700_000_000.0  # 2023-11-14T22:13:20Z


def history(t: list[float], rps: list[float], p99: list[float] | None = None) -> EdgeHistory:
    values = np.array(rps, dtype=np.float64)
    tail = np.array(p99, dtype=np.float64) if p99 is not None else values * 4
    return EdgeHistory(np.array(t), values, values / 10, values, values * 2, tail)


def test_rows_have_iso_time_epoch_and_values_and_nan_is_blank() -> None:
    # float32 storage: the model hands out 10.300000190734863 for 10.3.
    rps = float(np.float32(10.3))
    text = edge_history_csv(
        history([T0, T0 + 1, T0 + 2], [rps, np.nan, 0.0], [41.0, np.nan, np.nan])
    )
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == HEADER
    assert rows[1] == [
        "2023-11-14T22:13:20Z",
        "1700000000",
        "10.3",
        "1.03",
        "10.3",
        "20.6",
        "41",
        "",
    ]
    assert rows[2] == ["2023-11-14T22:13:21Z", "1700000001", "", "", "", "", "", ""]
    assert rows[3] == ["2023-11-14T22:13:22Z", "1700000002", "0", "0", "0", "0", "", ""]
    assert len(rows) == 4


def test_fractional_times_keep_milliseconds() -> None:
    text = edge_history_csv(history([T0 + 0.5, T0 + 1.25], [1.0, 2.0]))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][:2] == ["2023-11-14T22:13:20.500Z", "1700000000.5"]
    assert rows[2][:2] == ["2023-11-14T22:13:21.250Z", "1700000001.25"]


def test_an_empty_history_is_the_header_alone() -> None:
    empty = np.zeros(0)
    assert edge_history_csv(EdgeHistory(empty, empty, empty, empty, empty, empty)) == (
        ",".join(HEADER) + "\n"
    )


def test_several_edges_in_one_table_sorted_by_key() -> None:
    tcp = EdgeKey("inventory", "inventory-db", "tcp")
    http = EdgeKey("cart", "inventory", "http")
    text = edges_history_csv({tcp: history([T0], [4.0]), http: history([T0, T0 + 1], [55.0, 56.0])})
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["source", "destination", "protocol", *HEADER]
    assert [row[:3] for row in rows[1:]] == [
        ["cart", "inventory", "http"],
        ["cart", "inventory", "http"],
        ["inventory", "inventory-db", "tcp"],
    ]
    assert rows[3][5] == "4"


def test_parsing_gives_back_what_was_written() -> None:
    original = history([T0, T0 + 10, T0 + 11], [12.5, np.nan, 3.25], [np.nan, 900.0, 40.0])
    parsed = parse_edge_history_csv(edge_history_csv(original))
    for name in ("t", "rps", "error_pct", "p50_ms", "p90_ms", "p99_ms"):
        assert np.array_equal(getattr(parsed, name), getattr(original, name), equal_nan=True), name


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "line 1: expected the header"),
        ("a,b\n", "line 1: expected the header"),
        (",".join(HEADER) + "\nx,1,2\n", "line 2: expected 8 cells, found 3"),
        (",".join(HEADER) + "\nx,1,2,abc,,,,\n", "line 2: a cell is not a number"),
        (",".join(HEADER) + "\nx,5,,,,,,\nx,5,,,,,,\n", "line 3: epoch_s must be a number after"),
    ],
)
def test_parsing_names_the_line_at_fault(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_edge_history_csv(text)


def test_the_share_of_tries_that_failed_is_a_column_and_reads_back() -> None:
    original = history([T0, T0 + 1], [10.0, 20.0])
    tries = np.array([7.5, np.nan])
    with_tries = replace(original, tries_failed_pct=tries)
    text = edge_history_csv(with_tries)
    assert text.splitlines()[1].endswith(",7.5")
    parsed = parse_edge_history_csv(text)
    assert parsed.tries_failed_pct is not None
    assert np.array_equal(parsed.tries_failed_pct, tries, equal_nan=True)


def test_a_file_written_before_the_tries_column_still_reads() -> None:
    older = ",".join(HEADER[:-1]) + "\n2023-11-14T22:13:20Z,1700000000,10,0,1,2,3\n"
    parsed = parse_edge_history_csv(older)
    assert parsed.rps.tolist() == [10.0] and parsed.tries_failed_pct is None
