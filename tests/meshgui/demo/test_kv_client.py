"""inventory's database client against the real database server, in process."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator

import pytest

from meshgui.demo.inventory_db import InventoryDatabase
from meshgui.demo.kv_client import KvClient, KvUnavailableError
from meshgui.demo.ports import free_port


async def no_wait(_: float) -> None:
    pass


@pytest.fixture
async def database() -> AsyncIterator[tuple[InventoryDatabase, int, list[int]]]:
    db = InventoryDatabase(random.Random(1), sleep=no_wait)
    connections: list[int] = []

    async def counted(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        await db.serve_client(reader, writer)

    server = await asyncio.start_server(counted, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        yield db, port, connections


async def test_stock_levels_come_back_over_kept_connections(
    database: tuple[InventoryDatabase, int, list[int]],
) -> None:
    db, port, connections = database
    client = KvClient("127.0.0.1", port)
    for _ in range(3):
        values = await client.mget(["sku-1", "sku-2", "nope"])
        assert values == [db.store["sku-1"], db.store["sku-2"], None]
    await client.close()
    assert len(connections) == 1  # one connection, reused


async def test_concurrent_requests_each_get_their_own_answer(
    database: tuple[InventoryDatabase, int, list[int]],
) -> None:
    db, port, _ = database
    client = KvClient("127.0.0.1", port, max_idle=2)
    keys = [f"sku-{n}" for n in range(20)]
    answers = await asyncio.gather(*(client.mget([key]) for key in keys))
    assert answers == [[db.store[key]] for key in keys]
    await client.close()


async def test_an_unreachable_database_is_a_clear_error() -> None:
    client = KvClient("127.0.0.1", free_port())
    with pytest.raises(KvUnavailableError, match="inventory-db"):
        await client.mget(["sku-1"])
