"""Admin client errors: a gRPC failure turned into what went wrong, in terms a caller acts on.

`AdminError.kind` names the failure for code that reports rather than branches (the fan-out,
the desktop app's status line); the subclasses are for code that branches (`except
VersionConflictError`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import grpc

from proxy.admin.models import ErrorKind
from proxy.admin.trailers import PROBLEMS_KEY, VERSION_KEY, decode_problems, metadata_value
from proxy.config import ConfigProblem


class AdminError(Exception):
    """A call to one sidecar's admin API failed."""

    kind: ErrorKind = "other"

    def __init__(
        self,
        target: str,
        message: str,
        *,
        problems: Sequence[ConfigProblem] = (),
        current_version: int | None = None,
    ) -> None:
        super().__init__(f"{target}: {message}")
        self.target = target
        self.message = message
        self.problems = tuple(problems)
        self.current_version = current_version


class InvalidConfigError(AdminError):
    """The document was refused; `problems` lists every path and reason."""

    kind: ErrorKind = "invalid_config"


class VersionConflictError(AdminError):
    """The config changed since `expected_version`; `current_version` is what runs now."""

    kind: ErrorKind = "stale_version"


class UnauthenticatedError(AdminError):
    kind: ErrorKind = "unauthenticated"


class NotFoundError(AdminError):
    kind: ErrorKind = "not_found"


class InvalidArgumentError(AdminError):
    kind: ErrorKind = "invalid_argument"


class UnavailableError(AdminError):
    """The sidecar could not be reached (after retrying with backoff, for unary calls)."""

    kind: ErrorKind = "unavailable"


class DeadlineExceededError(AdminError):
    kind: ErrorKind = "timeout"


class InternalError(AdminError):
    kind: ErrorKind = "internal"


_BY_CODE: dict[Any, type[AdminError]] = {
    grpc.StatusCode.UNAUTHENTICATED: UnauthenticatedError,
    grpc.StatusCode.NOT_FOUND: NotFoundError,
    grpc.StatusCode.UNAVAILABLE: UnavailableError,
    grpc.StatusCode.DEADLINE_EXCEEDED: DeadlineExceededError,
    grpc.StatusCode.INTERNAL: InternalError,
}


def error_from_rpc(target: str, error: Any) -> AdminError:
    """The AdminError for a `grpc.aio.AioRpcError` from `target`."""
    code = error.code()
    message = error.details() or code.name
    trailers = error.trailing_metadata()
    if code == grpc.StatusCode.INVALID_ARGUMENT:
        raw = metadata_value(trailers, PROBLEMS_KEY)
        if isinstance(raw, bytes) and raw:
            return InvalidConfigError(target, message, problems=decode_problems(raw))
        return InvalidArgumentError(target, message)
    if code == grpc.StatusCode.FAILED_PRECONDITION:
        raw = metadata_value(trailers, VERSION_KEY)
        current = int(raw) if isinstance(raw, str) and raw.isdigit() else None
        return VersionConflictError(target, message, current_version=current)
    return _BY_CODE.get(code, AdminError)(target, message)
