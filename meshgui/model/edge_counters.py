"""What one reported edge's cumulative counters add up to, as plain numbers.

Each reported edge becomes one row of five scalars plus a latency histogram. HTTP and TCP edges
share the layout so the model sums them with the same array code:
- HTTP: requests, failed requests (5xx, or a failure the mesh made itself: code 0 or response
  flags), retries, request + response bytes, requests in flight, request durations.
- TCP: connections opened, connections the caller's sidecar could not place (reported by the
  source with no destination instance), 0, bytes both ways, open connections, connection
  durations.
"""

from __future__ import annotations

from operator import add

from proxy.admin.models import Histogram, HttpEdge, TcpEdge

COUNT, ERRORS, RETRIES, BYTES, IN_FLIGHT = range(5)
SCALARS = 5
NO_FLAGS = ("-", "")


def http_scalars(edge: HttpEdge) -> tuple[int, int, int, float, int]:
    count = errors = 0
    size = 0.0
    for response in edge.responses:
        n = response.count
        count += n
        code = response.code
        if code >= 500 or code == 0 or response.flags not in NO_FLAGS:
            errors += n
        size += response.request_bytes.sum + response.response_bytes.sum
    return (count, errors, edge.retries, size, edge.in_flight)


def http_durations(edge: HttpEdge, bounds: tuple[float, ...]) -> tuple[int, ...] | None:
    """Durations of every response summed per bucket; None when no histogram fits `bounds`."""
    total: tuple[int, ...] | None = None
    for response in edge.responses:
        counts = _counts_if_compatible(response.duration_ms, bounds)
        if counts is None:
            continue
        total = counts if total is None else tuple(map(add, total, counts))
    return total


def tcp_scalars(edge: TcpEdge) -> tuple[int, int, int, int, int]:
    # The source sidecar names no instance when it had no endpoint to send the connection to.
    unplaced = edge.reporter == "source" and edge.destination.instance is None
    return (
        edge.opened,
        edge.opened if unplaced else 0,
        0,
        edge.sent_bytes + edge.received_bytes,
        edge.in_flight,
    )


def tcp_durations(edge: TcpEdge, bounds: tuple[float, ...]) -> tuple[int, ...] | None:
    return _counts_if_compatible(edge.duration_ms, bounds)


def _counts_if_compatible(
    histogram: Histogram, bounds: tuple[float, ...]
) -> tuple[int, ...] | None:
    # Every sidecar uses Envoy's default bounds; a histogram with other bounds cannot be summed
    # with the rest, so it is left out of the percentiles (its calls still count).
    theirs = histogram.bounds
    counts = histogram.counts
    if (theirs is bounds or theirs == bounds) and len(counts) == len(bounds) + 1:
        return counts
    return None
