"""Durations as each target spells them, computed in integer nanoseconds so nothing drifts.

- Envoy reads protobuf JSON: decimal seconds with an ``s`` suffix (``0.25s``), nanosecond precision.
- Istio reads Go durations (``250ms``, ``1.5s``, ``2m``) and its CRD refuses anything under 1ms.
- Gateway API (GEP-2257) allows only ``([0-9]{1,5}(h|m|s|ms)){1,4}``: whole milliseconds, at most
  99999 of each unit, so ``1s500ms`` rather than ``1.5s``.
Where a target cannot hold the value, the nearest value it can hold is returned with a note for
the caller's warning.
"""

from __future__ import annotations

_NS_PER_MS = 1_000_000
_NS_PER_S = 1_000_000_000
_GATEWAY_UNITS = (("h", 3600 * _NS_PER_S), ("m", 60 * _NS_PER_S), ("s", _NS_PER_S))
_GATEWAY_MAX_NS = (
    99_999 * 3600 * _NS_PER_S + 59 * 60 * _NS_PER_S + 59 * _NS_PER_S + 999 * _NS_PER_MS
)


def _nanos(seconds: float) -> int:
    nanos = round(seconds * _NS_PER_S)
    # A positive duration must stay positive: zero means "disabled" to every target.
    return 1 if nanos == 0 and seconds > 0 else nanos


def envoy_duration(seconds: float) -> str:
    """``0.25s``, ``5s``: protobuf JSON for a `google.protobuf.Duration`."""
    whole, frac = divmod(_nanos(seconds), _NS_PER_S)
    if frac == 0:
        return f"{whole}s"
    return f"{whole}.{frac:09d}".rstrip("0") + "s"


def istio_duration(seconds: float) -> tuple[str, str | None]:
    """A Go duration of at least 1ms (the CRD's floor), and a note when it had to be raised."""
    nanos = _nanos(seconds)
    note = None
    if nanos < _NS_PER_MS:
        nanos = _NS_PER_MS
        note = f"Istio accepts no duration under 1ms; exported {seconds!r}s as 1ms"
    if nanos < _NS_PER_S and nanos % _NS_PER_MS == 0:
        return f"{nanos // _NS_PER_MS}ms", note
    for unit, scale in (("h", 3600 * _NS_PER_S), ("m", 60 * _NS_PER_S)):
        if nanos % scale == 0:
            return f"{nanos // scale}{unit}", note
    whole, frac = divmod(nanos, _NS_PER_S)
    text = f"{whole}" if frac == 0 else f"{whole}.{frac:09d}".rstrip("0")
    return f"{text}s", note


def gateway_duration(seconds: float) -> tuple[str, str | None]:
    """A GEP-2257 duration (``1s500ms``), and a note when precision or range was lost.

    Zero stays ``0s`` (Gateway API's "no timeout"); a positive value never rounds down to it.
    """
    nanos = _nanos(seconds)
    millis = (nanos + _NS_PER_MS // 2) // _NS_PER_MS
    note = None
    if millis * _NS_PER_MS > _GATEWAY_MAX_NS:
        millis = _GATEWAY_MAX_NS // _NS_PER_MS
        note = f"{seconds!r}s is longer than a Gateway API duration can be; exported the longest"
    elif millis * _NS_PER_MS != nanos:
        millis = max(millis, 1)
        note = f"Gateway API durations are whole milliseconds; {seconds!r}s was rounded"
    if millis == 0:
        return "0s", note
    parts = []
    rest = millis * _NS_PER_MS
    for unit, scale in _GATEWAY_UNITS:
        count, rest = divmod(rest, scale)
        if count:
            parts.append(f"{count}{unit}")
    if rest:
        parts.append(f"{rest // _NS_PER_MS}ms")
    return "".join(parts), note
