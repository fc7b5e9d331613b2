"""Edge history as CSV, for spreadsheets and scripts, and back (an incident bundle keeps it so).

One row per time step of the history grid, oldest first. Columns: ``time`` (ISO 8601, UTC),
``epoch_s`` (seconds since the Unix epoch), ``req_per_s`` (connections opened per second on a
TCP edge), ``error_pct``, ``p50_ms``, ``p90_ms``, ``p99_ms``, ``tries_failed_pct`` (the share of
tries that failed, retried ones included; files written before it existed lack the column and
still read). A value the model did not know
(no data for that step, or no calls to take a percentile of) is an empty cell, never 0, so a
chart or a formula does not mistake a gap for a quiet second.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping

import numpy as np

from meshgui.model.types import EdgeHistory, EdgeKey, FloatArray

VALUE_COLUMNS = ("req_per_s", "error_pct", "p50_ms", "p90_ms", "p99_ms", "tries_failed_pct")
HEADER = ("time", "epoch_s", *VALUE_COLUMNS)
OLDER_HEADER = HEADER[:-1]
"""Before tries_failed_pct: still read."""
EDGE_COLUMNS = ("source", "destination", "protocol")
DIGITS = 7
"""Significant digits kept: the model stores float32, which holds about seven."""


def edge_history_csv(history: EdgeHistory) -> str:
    """One edge's history as CSV text with a header row."""
    return _csv_text(HEADER, _rows(history, ""))


def edges_history_csv(histories: Mapping[EdgeKey, EdgeHistory]) -> str:
    """Several edges in one table: ``source,destination,protocol`` first, edges in key order."""
    rows: list[str] = []
    for key in sorted(histories):
        rows.extend(_rows(histories[key], f"{key.source},{key.destination},{key.protocol},"))
    return _csv_text((*EDGE_COLUMNS, *HEADER), rows)


def parse_edge_history_csv(text: str) -> EdgeHistory:
    """The history `edge_history_csv` wrote. Raises ValueError naming the line at fault."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or tuple(header) not in (HEADER, OLDER_HEADER):
        raise ValueError(f"line 1: expected the header {','.join(HEADER)}")
    width = len(header)
    times: list[float] = []
    values: list[list[float]] = []
    for line, row in enumerate(reader, start=2):
        if len(row) != width:
            raise ValueError(f"line {line}: expected {width} cells, found {len(row)}")
        try:
            epoch = float(row[1])
            cells = [float(cell) if cell else math.nan for cell in row[2:]]
        except ValueError:
            raise ValueError(f"line {line}: a cell is not a number") from None
        if not math.isfinite(epoch) or (times and epoch <= times[-1]):
            raise ValueError(f"line {line}: epoch_s must be a number after the previous row's")
        times.append(epoch)
        values.append(cells)
    t: FloatArray = np.array(times, dtype=np.float64)
    table: FloatArray = np.array(values, dtype=np.float64).reshape(len(values), width - 2)
    rps, error_pct, p50, p90, p99, *tries = (table[:, i].copy() for i in range(width - 2))
    return EdgeHistory(t, rps, error_pct, p50, p90, p99, tries[0] if tries else None)


def _csv_text(header: Iterable[str], rows: list[str]) -> str:
    return ",".join(header) + "\n" + "".join(rows)


def _rows(history: EdgeHistory, prefix: str) -> list[str]:
    t = history.t
    if len(t) == 0:
        return []
    whole = bool(np.all(t == np.floor(t)))
    unit = "s" if whole else "ms"
    ticks = np.rint(t * (1 if whole else 1000)).astype(np.int64).astype(f"datetime64[{unit}]")
    stamps = np.datetime_as_string(ticks, timezone="UTC").tolist()
    epochs = [str(int(v)) for v in t.tolist()] if whole else [repr(v) for v in t.tolist()]
    tries = history.tries_failed_pct
    columns = [
        _cells(series)
        for series in (
            history.rps,
            history.error_pct,
            history.p50_ms,
            history.p90_ms,
            history.p99_ms,
            np.full(len(t), np.nan) if tries is None else tries,
        )
    ]
    return [
        f"{prefix}{stamp},{epoch},{','.join(cells)}\n"
        for stamp, epoch, *cells in zip(stamps, epochs, *columns, strict=True)
    ]


def _cells(series: FloatArray) -> list[str]:
    # Seven digits turn float32's 10.300000190734863 into "10.3".
    return ["" if v != v else f"{v:.{DIGITS}g}" for v in series.tolist()]  # v != v: NaN
