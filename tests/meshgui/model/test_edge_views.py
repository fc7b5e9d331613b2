"""`edge_healths` (all edges at once, numpy) says what `edge_health` (one edge) says, at the
thresholds too, so the view cache can use it without changing a colour."""

from __future__ import annotations

import numpy as np

from meshgui.model.edge_views import edge_healths
from meshgui.model.health import DEGRADED_ERROR_PCT, FAILING_ERROR_PCT, edge_health


def test_every_edge_gets_the_health_edge_health_gives_it() -> None:
    rng = np.random.default_rng(7)
    n = 20_000
    rps = np.where(rng.random(n) < 0.2, 0.0, rng.lognormal(0.0, 2.0, n))
    error_pct = np.where(rng.random(n) < 0.3, 0.0, rng.uniform(0.0, 40.0, n))
    error_pct[:500], error_pct[500:1000] = FAILING_ERROR_PCT, DEGRADED_ERROR_PCT
    retries = np.where(rng.random(n) < 0.5, 0.0, rng.lognormal(-1.0, 2.0, n))
    end_gone = rng.random(n) < 0.3
    expected = [
        edge_health(r, e, an_end_disconnected=bool(g), retries_per_s=t)
        for r, e, t, g in zip(
            rps.tolist(), error_pct.tolist(), retries.tolist(), end_gone.tolist(), strict=True
        )
    ]
    assert edge_healths(rps, error_pct, retries, end_gone) == expected
    assert len(set(expected)) == 5  # every health was met


def test_no_edges_no_healths() -> None:
    empty = np.zeros(0)
    assert edge_healths(empty, empty, empty, np.zeros(0, dtype=np.bool_)) == []
