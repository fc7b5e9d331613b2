"""Routes: how requests to a destination service are matched and split between backends."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from proxy.config.policies import RetryPolicy
from proxy.config.types import (
    Loc,
    Name,
    PositiveDuration,
    StrictModel,
    format_duration,
    raise_problems,
)

_TOKEN_RE = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
_PATH_PREFIX_RE = re.compile(r"^/[\x21-\x7e]*$")
_VISIBLE_ASCII_RE = re.compile(r"^([\x21-\x7e]([\x20-\x7e\t]*[\x21-\x7e])?)?$")


def _header_name(value: Any) -> str:
    # HTTP header names are case-insensitive; storing them lower-cased lets the data plane
    # compare against the parser's lower-cased names without folding per request.
    if not isinstance(value, str) or not _TOKEN_RE.match(value):
        raise PydanticCustomError("header", "is not a valid HTTP header name")
    return value.lower()


def _method(value: Any) -> str:
    if not isinstance(value, str) or not _TOKEN_RE.match(value):
        raise PydanticCustomError("method", "is not a valid HTTP method (e.g. GET)")
    return value.upper()


def _header_value(value: Any) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError("string_type", "expected a string (quote it in YAML)")
    # Values are compared with the request's raw bytes, where HTTP has already trimmed
    # surrounding whitespace; anything else could never match.
    if not _VISIBLE_ASCII_RE.match(value):
        raise PydanticCustomError(
            "header", "a header value is printable ASCII without surrounding whitespace"
        )
    return value


HeaderName = Annotated[str, BeforeValidator(_header_name)]
HeaderValue = Annotated[str, BeforeValidator(_header_value)]


class RouteMatch(StrictModel):
    """Conditions a request must all meet; the default matches every request."""

    path_prefix: str | None = None
    method: Annotated[str, BeforeValidator(_method)] | None = None
    headers: dict[HeaderName, HeaderValue] = {}
    """Exact header values; names are stored lower-cased."""

    @field_validator("path_prefix")
    @classmethod
    def _absolute_path(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("/"):
            raise PydanticCustomError("path", "must start with '/'")
        # Compared with the raw request target, which is ASCII with non-ASCII percent-encoded.
        if value is not None and not _PATH_PREFIX_RE.match(value):
            raise PydanticCustomError(
                "path", "must be printable ASCII without spaces (percent-encode the rest)"
            )
        return value


class Backend(StrictModel):
    """A weighted share of a route's traffic, sent to a service or one of its subsets."""

    service: Name
    subset: Name | None = None
    weight: int = Field(default=1, ge=0)


class RouteConfig(StrictModel):
    """One routing rule for a destination service; the first matching rule wins."""

    name: Name | None = None
    match: RouteMatch = RouteMatch()
    backends: tuple[Backend, ...] = Field(min_length=1)
    timeout: PositiveDuration | None = 15.0
    """Overall deadline including retries; None means no deadline."""
    retry: RetryPolicy | None = None
    """None means no retries."""

    @model_validator(mode="after")
    def _consistent(self) -> RouteConfig:
        problems: list[tuple[Loc, str]] = []
        if sum(backend.weight for backend in self.backends) <= 0:
            problems.append((("backends",), "backend weights must add up to more than 0"))
        per_try = self.retry.per_try_timeout if self.retry is not None else None
        if per_try is not None and self.timeout is not None and per_try > self.timeout:
            problems.append(
                (
                    ("retry", "per_try_timeout"),
                    f"per_try_timeout ({format_duration(per_try)}) must not be longer than "
                    f"the route's timeout ({format_duration(self.timeout)})",
                )
            )
        raise_problems(problems)
        return self
