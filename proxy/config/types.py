"""Scalar types shared by the config models: durations, addresses, names, labels.

Each type validates and normalises on the way in, so the rest of the proxy can trust a loaded
config without re-checking it, and serialises back to the text an operator would have written.
"""

from __future__ import annotations

import ipaddress
import math
import re
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, PlainSerializer
from pydantic_core import PydanticCustomError

Loc = tuple[str | int, ...]
"""A location inside a config document, as pydantic reports it: keys and list indexes."""


_PLAIN_KEY_RE = re.compile(r"^[A-Za-z0-9_-]+$")


def format_loc(loc: Loc) -> str:
    """``mesh.routes.inventory[0].backends[1].weight``: dotted keys, indexes in brackets."""
    parts: list[str] = []
    for element in loc:
        if isinstance(element, int):
            parts.append(f"[{element}]")
        elif _PLAIN_KEY_RE.match(element):
            parts.append(f".{element}" if parts else element)
        else:  # a key such as "app.kubernetes.io/name" would read as several keys
            parts.append(f"[{element!r}]")
    return "".join(parts)


class StrictModel(BaseModel):
    """Base of every config model: unknown keys are errors (typos), instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def raise_problems(problems: list[tuple[Loc, str]]) -> None:
    """Raise cross-field problems so that each keeps its own location below the model.

    A model validator can only fail at the model's own location; the problems ride along in the
    error context and `ConfigError` expands them into precise paths.
    """
    if problems:
        summary = "; ".join(reason for _, reason in problems)
        raise PydanticCustomError(
            "config_problems", "{summary}", {"summary": summary, "problems": problems}
        )


# -- durations ---------------------------------------------------------------------------------

_DURATION_RE = re.compile(r"^((?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*(ms|s|m|h)$")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_duration(value: Any) -> float:
    """Seconds from a number of seconds or a string such as ``250ms``, ``1.5s``, ``2m``, ``1h``."""
    if isinstance(value, bool):
        raise PydanticCustomError("duration", "expected a duration such as '5s' or '250ms'")
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str):
        text = value.strip()
        match = _DURATION_RE.match(text)
        if match is None:
            raise PydanticCustomError(
                "duration",
                "expected a duration: a number with a unit ms, s, m or h (e.g. '250ms', '1.5s')",
            )
        number, unit = float(match.group(1)), match.group(2)
        # Dividing by 1000 (not multiplying by 0.001) keeps "250ms" exactly 0.25.
        seconds = number / 1000.0 if unit == "ms" else number * _UNIT_SECONDS[unit]
    else:
        raise PydanticCustomError("duration", "expected a duration such as '5s' or '250ms'")
    if not math.isfinite(seconds):
        raise PydanticCustomError("duration", "a duration must be finite")
    if seconds < 0:
        raise PydanticCustomError("duration", "a duration must not be negative")
    return seconds + 0.0  # folds -0.0 into 0.0 so it formats without a sign


def format_duration(seconds: float) -> str:
    """The shortest readable string that `parse_duration` turns back into exactly `seconds`."""
    if seconds == 0:
        return "0s"
    candidates: list[str] = []
    if seconds >= 1:
        for unit, scale in (("h", 3600.0), ("m", 60.0), ("s", 1.0)):
            count = seconds / scale
            if count.is_integer() and count < 1e15:
                candidates.append(f"{int(count)}{unit}")
    else:
        millis = seconds * 1000.0
        if millis.is_integer():
            candidates.append(f"{int(millis)}ms")
    for candidate in candidates:
        if parse_duration(candidate) == seconds:
            return candidate
    return f"{seconds!r}s"


def _positive_duration(value: Any) -> float:
    seconds = parse_duration(value)
    if seconds <= 0:
        raise PydanticCustomError("duration", "must be longer than 0s")
    return seconds


_DURATION_OUT = PlainSerializer(format_duration, return_type=str, when_used="json")
Duration = Annotated[float, BeforeValidator(parse_duration), _DURATION_OUT]
"""Float seconds, >= 0; written as ``"250ms"``/``"5s"`` in JSON and YAML."""
PositiveDuration = Annotated[float, BeforeValidator(_positive_duration), _DURATION_OUT]
"""A `Duration` that must be > 0 (timeouts: zero would fail every request)."""


# -- addresses ---------------------------------------------------------------------------------

_HOST_LABEL_RE = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
_DOTTED_DIGITS_RE = re.compile(r"^[0-9.]+$")


def _normalise_host(host: str) -> str:
    if host.startswith("["):
        if not host.endswith("]"):
            raise ValueError("an IPv6 address needs its closing ']'")
        try:
            return f"[{ipaddress.IPv6Address(host[1:-1]).compressed}]"
        except ValueError:
            raise ValueError(f"{host[1:-1]!r} is not an IPv6 address") from None
    if ":" in host:
        raise ValueError("put an IPv6 address in brackets, e.g. '[::1]:15001'")
    if _DOTTED_DIGITS_RE.match(host):
        try:
            return str(ipaddress.IPv4Address(host))
        except ValueError:
            raise ValueError(f"{host!r} is not an IPv4 address") from None
    lowered = host.lower()
    labels = lowered.split(".")
    if len(lowered) > 253 or not all(_HOST_LABEL_RE.match(label) for label in labels):
        raise ValueError(f"{host!r} is not a valid hostname")
    return lowered


def normalise_address(value: Any) -> str:
    """``host:port`` with the host in canonical form (IPv6 compressed, in brackets)."""
    if not isinstance(value, str):
        raise PydanticCustomError("address", "expected an address 'host:port' as a string")
    host, sep, port_text = value.strip().rpartition(":")
    if not sep or not host:
        raise PydanticCustomError("address", "expected an address 'host:port'")
    if not port_text.isascii() or not port_text.isdigit() or int(port_text) > 65535:
        raise PydanticCustomError("address", "the port must be a number from 0 to 65535")
    try:
        canonical_host = _normalise_host(host)
    except ValueError as exc:
        raise PydanticCustomError("address", str(exc)) from None
    return f"{canonical_host}:{int(port_text)}"


def split_address(address: str) -> tuple[str, int]:
    """``("::1", 15001)`` from ``"[::1]:15001"``: the host as a socket call takes it, the port."""
    host, _, port = address.rpartition(":")
    return host.strip("[]"), int(port)


Address = Annotated[str, BeforeValidator(normalise_address)]
"""``host:port``; host an IPv4/IPv6 literal (IPv6 in brackets) or a hostname; port 0..65535."""


# -- names and labels --------------------------------------------------------------------------

_NAME_RE = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
# Kubernetes label keys: an optional DNS-subdomain prefix and '/', then a name.
_LABEL_KEY_RE = re.compile(
    r"^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$"
)
_LABEL_VALUE_RE = re.compile(r"^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$")


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError("string_type", "expected a string (quote it in YAML)")
    return value


def _name(value: Any) -> str:
    text = _string(value)
    if not _NAME_RE.match(text):
        raise PydanticCustomError(
            "name",
            "must be a DNS label: lower-case letters, digits and '-', starting and ending "
            "with a letter or digit, at most 63 characters",
        )
    return text


def _label_key(value: Any) -> str:
    text = _string(value)
    if len(text) > 253 or not _LABEL_KEY_RE.match(text):
        raise PydanticCustomError("label", "is not a valid label key (e.g. 'version', 'app')")
    return text


def _label_value(value: Any) -> str:
    text = _string(value)
    if len(text) > 63 or not _LABEL_VALUE_RE.match(text):
        raise PydanticCustomError(
            "label", "a label value is letters, digits, '-', '_' and '.', at most 63 characters"
        )
    return text


Name = Annotated[str, BeforeValidator(_name)]
"""A DNS label: service, instance, namespace, endpoint, subset and route names."""
Labels = dict[
    Annotated[str, BeforeValidator(_label_key)], Annotated[str, BeforeValidator(_label_value)]
]
"""Kubernetes-style labels, e.g. ``{version: v1}``."""
