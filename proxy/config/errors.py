"""`ConfigError`: what is wrong with a config, said the way an operator can act on it.

Pydantic's own messages carry type names, documentation URLs and "Value error," prefixes; this
module turns them into one line per problem, ``<source>: <path>: <reason>``.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from proxy.config.types import Loc, format_loc

LineOf = Callable[[Loc], int | None]
"""Finds the source line of a location in the document, where the document has lines."""


@dataclass(frozen=True, slots=True)
class ConfigProblem:
    """One thing wrong: where (``mesh.routes.inventory[0].timeout``) and why."""

    path: str
    reason: str
    line: int | None = None
    """1-based line in the source text, when known."""
    column: int | None = None
    """1-based column, for syntax errors."""

    def describe(self, source: str) -> str:
        """``<source>: <path>: <reason>``; a syntax error has a line and column for a path."""
        if self.path:
            suffix = f" (line {self.line})" if self.line is not None else ""
            return f"{source}: {self.path}: {self.reason}{suffix}"
        if self.line is not None:
            column = f", column {self.column}" if self.column is not None else ""
            return f"{source}: line {self.line}{column}: {self.reason}"
        return f"{source}: {self.reason}"


class ConfigError(Exception):
    """A config that cannot be used, with every problem found in it."""

    def __init__(self, source: str, problems: Sequence[ConfigProblem]) -> None:
        self.source = source
        self.problems = list(problems)
        super().__init__(source, self.problems)

    def __str__(self) -> str:
        return "\n".join(problem.describe(self.source) for problem in self.problems)

    @classmethod
    def from_validation(
        cls,
        source: str,
        error: ValidationError,
        root: type[BaseModel],
        line_of: LineOf | None = None,
    ) -> ConfigError:
        """Translate pydantic's errors for a document validated as `root`."""
        problems: list[ConfigProblem] = []
        for detail in error.errors(include_url=False):
            for loc, reason in _explain(detail, root):
                line = line_of(loc) if line_of is not None else None
                problems.append(ConfigProblem(format_loc(loc), reason, line))
        return cls(source, problems)


_MESSAGE_PREFIXES = ("Value error, ", "Assertion failed, ")
_NO_ECHO = {"missing", "extra_forbidden", "config_problems", "model_type", "dict_type"}


def _explain(detail: Any, root: type[BaseModel]) -> list[tuple[Loc, str]]:
    kind: str = detail["type"]
    loc: Loc = tuple(detail["loc"])
    if kind == "config_problems":
        return [((*loc, *sub_loc), reason) for sub_loc, reason in detail["ctx"]["problems"]]
    if kind == "missing":
        return [(loc, "required, but missing")]
    if kind == "extra_forbidden":
        return [(loc, _unknown_key(loc, root))]
    if kind in ("model_type", "dict_type"):
        return [(loc, "should be a mapping of keys to values")]
    message: str = detail["msg"]
    for prefix in _MESSAGE_PREFIXES:
        message = message.removeprefix(prefix)
    message = message.replace("Input should be", "should be", 1)
    if loc and loc[-1] == "[key]":
        loc = loc[:-1]
        message = f"key {loc[-1]!r} {message}" if loc else message
    elif kind not in _NO_ECHO:
        echo = _echo(detail.get("input"))
        if echo:
            message = f"{message} (got {echo})"
    return [(loc, message)]


def _echo(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str) and len(value) <= 80:
        return repr(value)
    return ""


def _unknown_key(loc: Loc, root: type[BaseModel]) -> str:
    key = str(loc[-1])
    allowed = _field_names_at(root, loc[:-1])
    if not allowed:
        return f"unknown key {key!r}"
    close = difflib.get_close_matches(key, allowed, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return f"unknown key {key!r} ({hint}allowed: {', '.join(allowed)})"


def _field_names_at(root: type[BaseModel], loc: Loc) -> list[str]:
    """The field names of the model found at `loc` below `root`, walking the type hints."""
    current: Any = root
    for element in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(element))
            if field is None:
                return []
            current = field.annotation
            continue
        args = typing.get_args(current)
        origin = typing.get_origin(current)
        if origin is dict and len(args) == 2:
            current = args[1]
        elif origin in (tuple, list) and args:
            current = args[0]
        else:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(hint: Any) -> Any:
    """`X` from ``Annotated[X, ...]`` and from ``X | None``."""
    while True:
        if typing.get_origin(hint) is typing.Annotated:
            hint = typing.get_args(hint)[0]
            continue
        if typing.get_origin(hint) in (typing.Union, types.UnionType):
            members = [arg for arg in typing.get_args(hint) if arg is not type(None)]
            if len(members) == 1:
                hint = members[0]
                continue
        return hint
