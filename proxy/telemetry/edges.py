"""Per-edge counters that the data plane bumps on every request or connection.

One edge is one (reporter, source workload, destination workload). The hot path looks an edge up
rarely (it keeps the object per endpoint) and then only does attribute arithmetic on it: `record`
inlines the three histogram observations rather than paying three method calls.
"""

from __future__ import annotations

import math
from bisect import bisect_left

from proxy.telemetry.histogram import BYTES_BUCKETS, LATENCY_BUCKETS_MS, Histogram
from proxy.telemetry.labels import (
    TCP_RESPONSE_LABELS,
    Reporter,
    edge_labels,
    response_labels,
)
from proxy.telemetry.workload import Workload

_LATENCY = LATENCY_BUCKETS_MS
_BYTES = BYTES_BUCKETS
# Sizes are ints. For an int n, n <= b exactly when n <= floor(b), so int bounds give the same
# bucket while sparing bisect the slow int/float comparison; and a table answers the common small
# sizes with a single index (~25 ns instead of ~100 ns for bisect on this hot path).
_BYTES_INT: tuple[int, ...] = tuple(math.floor(bound) for bound in BYTES_BUCKETS)
_SMALL_SIZES = 8192
_SMALL_SIZE_BUCKET: list[int] = [bisect_left(_BYTES_INT, n) for n in range(_SMALL_SIZES)]


class ResponseCounter:
    """Requests on one edge that ended with one (response code, response flags) pair."""

    __slots__ = ("code", "duration", "flags", "labels", "request_bytes", "response_bytes")

    def __init__(self, code: int, flags: str, labels: str) -> None:
        self.code = code
        self.flags = flags
        self.labels = labels
        """The full Istio label text of this counter's series (all 25 labels)."""
        self.duration = Histogram(_LATENCY)
        self.request_bytes = Histogram(_BYTES)
        self.response_bytes = Histogram(_BYTES)

    @property
    def count(self) -> int:
        """Requests counted; kept once, in the duration histogram, to save an increment each."""
        return self.duration.count


class HttpEdge:
    """HTTP calls on one edge: responses by (code, flags), retries, in-flight and recovery time.

    `in_flight` is a plain attribute: the caller increments it when a request starts and
    decrements it when it ends, so the edge needs no start/finish calls of its own.
    """

    __slots__ = (
        "_by_flags",
        "_label_head",
        "_label_tail",
        "destination",
        "edge_labels",
        "in_flight",
        "recovery",
        "reporter",
        "retries",
        "source",
    )

    def __init__(self, reporter: Reporter, source: Workload, destination: Workload) -> None:
        self.reporter: Reporter = reporter
        self.source = source
        self.destination = destination
        self.in_flight = 0
        self.retries = 0
        self.recovery = Histogram(_LATENCY)
        head, tail = edge_labels(reporter, source, destination, "http")
        self._label_head = head
        self._label_tail = tail
        self.edge_labels = f"{head},{tail}"
        """Label text of the per-edge `mesh_*` series (no response code or flags)."""
        # Keyed by flags first: nearly every request has flags "-", so the outer lookup is a hit
        # on a one-entry dict and no (code, flags) tuple is built per request.
        self._by_flags: dict[str, dict[int, ResponseCounter]] = {}

    def record(
        self,
        code: int,
        flags: str,
        duration_ms: float,
        request_bytes: int,
        response_bytes: int,
    ) -> None:
        """Count one finished request: `code` 0 when no response came, `flags` "-" when none.

        Sizes must be non-negative ints (body bytes; 0 for none).
        """
        try:
            # Subscripts in a zero-cost try beat two .get() calls; a miss happens once per pair.
            counter = self._by_flags[flags][code]
        except KeyError:
            counter = self._add_counter(code, flags)
        hist = counter.duration
        hist.counts[bisect_left(_LATENCY, duration_ms)] += 1
        hist.sum += duration_ms
        hist.count += 1
        hist = counter.request_bytes
        hist.counts[
            _SMALL_SIZE_BUCKET[request_bytes]
            if request_bytes < _SMALL_SIZES
            else bisect_left(_BYTES_INT, request_bytes)
        ] += 1
        hist.sum += request_bytes
        hist.count += 1
        hist = counter.response_bytes
        hist.counts[
            _SMALL_SIZE_BUCKET[response_bytes]
            if response_bytes < _SMALL_SIZES
            else bisect_left(_BYTES_INT, response_bytes)
        ] += 1
        hist.sum += response_bytes
        hist.count += 1

    def add_retry(self) -> None:
        """Count one retry attempt sent on this edge."""
        self.retries += 1

    def record_recovery(self, ms: float) -> None:
        """Record the time from a request's first failed try to the try that succeeded."""
        hist = self.recovery
        hist.counts[bisect_left(_LATENCY, ms)] += 1
        hist.sum += ms
        hist.count += 1

    def responses(self) -> list[ResponseCounter]:
        """Every (code, flags) counter seen so far, as a new list (safe to keep while recording)."""
        return [counter for by_code in self._by_flags.values() for counter in by_code.values()]

    def _add_counter(self, code: int, flags: str) -> ResponseCounter:
        middle = response_labels(code, flags)
        counter = ResponseCounter(code, flags, f"{self._label_head},{middle},{self._label_tail}")
        self._by_flags.setdefault(flags, {})[code] = counter
        return counter


class TcpEdge:
    """TCP connections on one edge, with Istio's byte directions.

    Istio counts bytes by direction of the flow, not by which proxy moved them, and both
    reporters use the same meaning: `received` is what the source sent towards the destination
    (the request direction) and `sent` is what came back from the destination (the response
    direction). So an outbound sidecar calls `add_received` for bytes it forwards upstream and
    `add_sent` for bytes it relays back to its app; an inbound sidecar does the same.
    """

    __slots__ = (
        "closed",
        "destination",
        "duration",
        "edge_labels",
        "in_flight",
        "labels",
        "opened",
        "received_bytes",
        "reporter",
        "sent_bytes",
        "source",
    )

    def __init__(self, reporter: Reporter, source: Workload, destination: Workload) -> None:
        self.reporter: Reporter = reporter
        self.source = source
        self.destination = destination
        self.opened = 0
        self.closed = 0
        self.in_flight = 0
        self.sent_bytes = 0
        self.received_bytes = 0
        self.duration = Histogram(_LATENCY)
        """How long closed connections stayed open, in ms (not an Istio metric)."""
        head, tail = edge_labels(reporter, source, destination, "tcp")
        self.edge_labels = f"{head},{tail}"
        """Label text of the per-edge `mesh_*` series."""
        self.labels = f"{head},{TCP_RESPONSE_LABELS},{tail}"
        """Label text of the `istio_tcp_*` series."""

    def connection_opened(self) -> None:
        """Count a new connection; it stays in flight until `connection_closed`."""
        self.opened += 1
        self.in_flight += 1

    def connection_closed(self, duration_ms: float) -> None:
        """Count a closed connection that was open for `duration_ms`."""
        self.closed += 1
        self.in_flight -= 1
        hist = self.duration
        hist.counts[bisect_left(_LATENCY, duration_ms)] += 1
        hist.sum += duration_ms
        hist.count += 1

    def add_sent(self, n: int) -> None:
        """Add `n` bytes flowing destination -> source (Istio's "sent during response")."""
        self.sent_bytes += n

    def add_received(self, n: int) -> None:
        """Add `n` bytes flowing source -> destination (Istio's "received during request")."""
        self.received_bytes += n
