"""Bearer-token authentication for the admin gRPC API.

Every call needs ``authorization: Bearer <token>`` metadata, except the standard health service,
which orchestrators probe without credentials. A missing or wrong token gets UNAUTHENTICATED with
one fixed message and nothing else: not whether the method exists, not what was wrong. The token
is compared in constant time and never logged.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeAlias

import grpc

log = logging.getLogger("mesh-proxy.admin")

OPEN_SERVICES: tuple[str, ...] = ("/grpc.health.v1.Health/",)
"""Method prefixes callable without a token."""
DENIED_MESSAGE = "missing or invalid bearer token"
Metadata = Sequence[tuple[str, str | bytes]]


def _digest(value: bytes) -> bytes:
    # Hashing first makes the comparison independent of the length of the guess, too.
    return hashlib.sha256(value).digest()


class BearerToken:
    """The expected token, kept only as a digest; `matches` checks call metadata against it."""

    __slots__ = ("_digest",)

    def __init__(self, token: str) -> None:
        if not token:
            raise ValueError("the admin token must not be empty")
        self._digest = _digest(token.encode())

    def __repr__(self) -> str:
        return "BearerToken(<redacted>)"

    def matches(self, metadata: Metadata | None) -> bool:
        """True when `metadata` holds exactly one ``authorization: Bearer <this token>``."""
        values = [value for key, value in metadata or () if key.lower() == "authorization"]
        if len(values) != 1 or not isinstance(values[0], str):
            return False
        scheme, _, credentials = values[0].strip().partition(" ")
        given = _digest(credentials.strip().encode())
        # Always compare, even for a wrong scheme, so the timing says nothing either way.
        same = hmac.compare_digest(given, self._digest)
        return same and scheme.lower() == "bearer"


# grpc ships no type hints: to mypy its classes are Any.
Handler: TypeAlias = Any  # grpc.RpcMethodHandler
Continuation = Callable[[grpc.HandlerCallDetails], Awaitable[Handler | None]]


class BearerAuthInterceptor(grpc.aio.ServerInterceptor):  # type: ignore[misc]
    """Refuses every call without the right token, except those under `open_prefixes`."""

    def __init__(self, token: BearerToken, open_prefixes: tuple[str, ...] = OPEN_SERVICES) -> None:
        self._token = token
        self._open = open_prefixes

    async def intercept_service(
        self, continuation: Continuation, handler_call_details: grpc.HandlerCallDetails
    ) -> Handler | None:
        method: str = handler_call_details.method
        if method.startswith(self._open):
            return await continuation(handler_call_details)
        metadata: Metadata | None = handler_call_details.invocation_metadata
        if self._token.matches(metadata):
            return await continuation(handler_call_details)
        log.info("admin call %s refused: %s", method, DENIED_MESSAGE)
        return denying_handler(await continuation(handler_call_details))


async def _deny(_request: Any, context: grpc.aio.ServicerContext[Any, Any]) -> None:
    await context.abort(grpc.StatusCode.UNAUTHENTICATED, DENIED_MESSAGE)


def denying_handler(handler: Handler | None) -> Handler:
    """A handler of the same shape as `handler` that answers UNAUTHENTICATED; for an unknown
    method (None) a unary one, so an unauthenticated caller cannot probe which methods exist."""
    if handler is None:
        return grpc.unary_unary_rpc_method_handler(_deny)
    deserializer = handler.request_deserializer
    serializer = handler.response_serializer
    if handler.request_streaming and handler.response_streaming:
        return grpc.stream_stream_rpc_method_handler(_deny, deserializer, serializer)
    if handler.request_streaming:
        return grpc.stream_unary_rpc_method_handler(_deny, deserializer, serializer)
    if handler.response_streaming:
        return grpc.unary_stream_rpc_method_handler(_deny, deserializer, serializer)
    return grpc.unary_unary_rpc_method_handler(_deny, deserializer, serializer)
