"""Prometheus text exposition (format 0.0.4) of the sidecar's edges, with Istio's names.

Edges whose label text is identical (two instances of one workload version) are summed into one
series, as Istio's sidecars would report them. Label text is rendered when an edge or counter is
created, so rendering here only aggregates and concatenates.

A full page is large (each histogram series is 22 lines carrying ~0.9 kB of labels), so besides
`render_prometheus` there is `iter_prometheus`, which yields it in per-series chunks: one huge
string costs more in fresh memory pages than building it does, and a server can stream chunks.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from itertools import accumulate, chain

from proxy.telemetry.edges import HttpEdge, TcpEdge
from proxy.telemetry.histogram import Histogram
from proxy.telemetry.labels import escape_label_value
from proxy.telemetry.metric_families import EdgeTotals, collect

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

_Scalars = dict[str, float]
_Histograms = dict[str, Histogram]


def format_number(value: float) -> str:
    """A sample value or bucket bound as Prometheus (and Envoy) writes it."""
    if isinstance(value, int):
        return str(value)
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if math.isnan(value):
        return "NaN"
    # Integral floats as integers, as Envoy writes bucket bounds (`le="1"`, not `le="1.0"`):
    # Prometheus 2 keys series by the literal label text, so ours must match Istio's.
    return str(int(value)) if value.is_integer() else repr(value)


_le_cache: dict[tuple[float, ...], tuple[str, ...]] = {}


def _le_parts(bounds: tuple[float, ...]) -> tuple[str, ...]:
    parts = _le_cache.get(bounds)
    if parts is None:
        les = [*(format_number(bound) for bound in bounds), "+Inf"]
        parts = _le_cache[bounds] = tuple(f'le="{le}"}} ' for le in les)
    return parts


def _scalar(name: str, kind: str, help_text: str, samples: _Scalars) -> Iterator[list[str]]:
    if samples:
        head = f"# HELP {name} {help_text}\n# TYPE {name} {kind}\n"
        yield [head, *(f"{name}{{{labels}}} {format_number(v)}\n" for labels, v in samples.items())]


def _histogram(name: str, help_text: str, series: _Histograms) -> Iterator[list[str]]:
    if not series:
        return
    yield [f"# HELP {name} {help_text}\n# TYPE {name} histogram\n"]
    for labels, hist in series.items():
        bucket = f"{name}_bucket{{{labels}," if labels else f"{name}_bucket{{"
        out: list[str] = []
        total = 0
        for le_part, total in zip(_le_parts(hist.bounds), accumulate(hist.counts), strict=True):
            out += (bucket, le_part, str(total), "\n")
        # _count from the buckets themselves, so `le="+Inf"` and `_count` always agree.
        out.append(
            f"{name}_sum{{{labels}}} {format_number(hist.sum)}\n{name}_count{{{labels}}} {total}\n"
        )
        yield out


def _families(totals: EdgeTotals, version: str) -> Iterator[list[str]]:
    yield from _scalar("istio_requests_total", "counter", "Requests handled.", totals.requests)
    yield from _histogram(
        "istio_request_duration_milliseconds", "Request duration in milliseconds.", totals.durations
    )
    yield from _histogram("istio_request_bytes", "Request body sizes in bytes.", totals.req_sizes)
    yield from _histogram(
        "istio_response_bytes", "Response body sizes in bytes.", totals.resp_sizes
    )
    yield from _scalar(
        "istio_tcp_sent_bytes_total",
        "counter",
        "Bytes sent during response (destination to source) on TCP connections.",
        totals.tcp_sent,
    )
    yield from _scalar(
        "istio_tcp_received_bytes_total",
        "counter",
        "Bytes received during request (source to destination) on TCP connections.",
        totals.tcp_received,
    )
    yield from _scalar(
        "istio_tcp_connections_opened_total",
        "counter",
        "TCP connections opened.",
        totals.tcp_opened,
    )
    yield from _scalar(
        "istio_tcp_connections_closed_total",
        "counter",
        "TCP connections closed.",
        totals.tcp_closed,
    )
    build = f'component="proxy",tag="{escape_label_value(version)}"'
    yield from _scalar("istio_build", "gauge", "Build of this proxy.", {build: 1})
    yield from _scalar(
        "mesh_requests_in_flight", "gauge", "Requests started, not yet finished.", totals.in_flight
    )
    yield from _scalar("mesh_request_retries_total", "counter", "Retries sent.", totals.retries)
    yield from _histogram(
        "mesh_recovery_time_milliseconds",
        "Time from a request's first failed try to the try that succeeded, in milliseconds.",
        totals.recoveries,
    )
    yield from _scalar(
        "mesh_tcp_connections_in_flight", "gauge", "TCP connections open.", totals.tcp_in_flight
    )
    yield from _histogram(
        "mesh_tcp_connection_duration_milliseconds",
        "How long closed TCP connections were open, in milliseconds.",
        totals.tcp_durations,
    )


def iter_prometheus(
    http_edges: Iterable[HttpEdge], tcp_edges: Iterable[TcpEdge], version: str
) -> Iterator[str]:
    """The `/metrics` page in chunks (a family header, or one series), for a streaming response.

    Counters are summed when this is called; each chunk reads its live histogram when produced,
    so every series is self-consistent. Consume it on the event loop thread that records.
    """
    for parts in _families(collect(http_edges, tcp_edges), version):
        yield "".join(parts)


def render_prometheus(
    http_edges: Iterable[HttpEdge], tcp_edges: Iterable[TcpEdge], version: str
) -> str:
    """The whole `/metrics` page as one string. Call it on the event loop thread that records."""
    return "".join(chain.from_iterable(_families(collect(http_edges, tcp_edges), version)))
