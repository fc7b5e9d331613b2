"""Bearer-token checks: the pure comparison, and every kind of call over a real server."""

from __future__ import annotations

import asyncio
from typing import Any

import grpc
import pytest
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from proxy.admin.auth import DENIED_MESSAGE, BearerToken, denying_handler
from proxy.admin.client import AdminClient
from proxy.admin.errors import UnauthenticatedError
from tests.proxy.admin.conftest import TOKEN, LiveAdmin

pytestmark = pytest.mark.timeout(30)


@pytest.mark.parametrize(
    ("metadata", "ok"),
    [
        ([("authorization", "Bearer s3cret")], True),
        ([("authorization", "bearer s3cret")], True),  # the scheme is case-insensitive
        ([("x-other", "1"), ("authorization", "Bearer  s3cret ")], True),
        ([("authorization", "Bearer s3cre")], False),
        ([("authorization", "Bearer s3cretX")], False),
        ([("authorization", "Basic s3cret")], False),
        ([("authorization", "s3cret")], False),
        ([("authorization", "Bearer")], False),
        ([("authorization", "Bearer s3cret"), ("authorization", "Bearer s3cret")], False),
        ([("authorization", b"Bearer s3cret")], False),
        ([], False),
        (None, False),
    ],
)
def test_bearer_token_matches_only_the_exact_token(metadata: Any, ok: bool) -> None:
    assert BearerToken("s3cret").matches(metadata) is ok


def test_the_token_never_shows_in_its_repr() -> None:
    assert "s3cret" not in repr(BearerToken("s3cret"))
    with pytest.raises(ValueError):
        BearerToken("")


def test_the_denying_handler_keeps_the_shape_of_the_real_one() -> None:
    def real(_request: Any, _context: Any) -> None:
        return None

    stream = grpc.unary_stream_rpc_method_handler(real)
    denied = denying_handler(stream)
    assert denied.response_streaming and not denied.request_streaming
    both = grpc.stream_stream_rpc_method_handler(real)
    assert denying_handler(both).request_streaming and denying_handler(both).response_streaming
    assert denying_handler(None).unary_unary is not None


@pytest.mark.parametrize("token", [None, "wrong", TOKEN + "x"])
async def test_every_admin_call_needs_the_token(live: LiveAdmin, token: str | None) -> None:
    client = live.client_with(token)
    calls = [
        client.get_info(),
        client.get_config(),
        client.apply_config("version: 5", expected_version=None),
        client.set_drain("self", True),
        anext(client.watch_stats()),
        anext(client.watch_events()),
    ]
    try:
        for call in calls:
            with pytest.raises(UnauthenticatedError) as caught:
                await asyncio.wait_for(call, 5)
            assert caught.value.message == DENIED_MESSAGE
    finally:
        await client.close()
    assert live.sidecar.mesh.version == 1 and not live.sidecar.draining


async def test_health_answers_without_a_token(live: LiveAdmin) -> None:
    client = live.client_with(None)
    try:
        assert await client.health() == "SERVING"
        assert await client.health("mesh.admin.v1.ProxyAdmin") == "SERVING"
    finally:
        await client.close()


async def _reflection_services(target: str, metadata: tuple[tuple[str, str], ...]) -> list[str]:
    async with grpc.aio.insecure_channel(target) as channel:
        stub = reflection_pb2_grpc.ServerReflectionStub(channel)
        request = reflection_pb2.ServerReflectionRequest(list_services="")
        call = stub.ServerReflectionInfo(iter([request]), metadata=metadata, timeout=5)
        async for reply in call:
            return [service.name for service in reply.list_services_response.service]
    return []


async def test_reflection_lists_the_services_to_a_caller_with_the_token(live: LiveAdmin) -> None:
    names = await _reflection_services(live.target, (("authorization", f"Bearer {TOKEN}"),))
    assert "mesh.admin.v1.ProxyAdmin" in names and "grpc.health.v1.Health" in names
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await _reflection_services(live.target, ())
    assert caught.value.code() == grpc.StatusCode.UNAUTHENTICATED


async def test_an_unknown_method_without_a_token_is_unauthenticated_not_unimplemented(
    live: LiveAdmin,
) -> None:
    async with grpc.aio.insecure_channel(live.target) as channel:
        probe = channel.unary_unary("/mesh.admin.v1.ProxyAdmin/Nope")
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await probe(b"", timeout=5)
    assert caught.value.code() == grpc.StatusCode.UNAUTHENTICATED


def test_the_client_repr_hides_the_token() -> None:
    assert TOKEN not in repr(AdminClient("127.0.0.1:1", TOKEN))
