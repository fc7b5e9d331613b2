"""The inventory database as its own process: the line-based key-value protocol of `kv_protocol`
over plain TCP, reached only through sidecars (`protocol: tcp` in the mesh config).

    python -m meshgui.demo.inventory_db --instance inventory-db-1 --port 7000 --run-id RUN
"""

from __future__ import annotations

import argparse
import asyncio
import random
import signal
from collections.abc import Awaitable, Callable

from meshgui.demo.kv_protocol import MAX_LINE, answer, initial_stock
from meshgui.demo.latency import latency_for


class InventoryDatabase:
    """Serves the store; each request takes a lognormal service time, as a real lookup would."""

    def __init__(
        self, rng: random.Random, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    ) -> None:
        self.store = initial_stock()
        self._rng = rng
        self._sleep = sleep
        self._latency = latency_for("inventory-db")

    async def serve_client(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        try:
            while True:
                line = await reader.readuntil(b"\n")
                await self._sleep(self._latency.sample(self._rng))
                writer.write(answer(self.store, line.rstrip(b"\r\n")))
                await writer.drain()
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            pass
        finally:
            writer.close()


async def serve(port: int, seed: int | None) -> None:
    database = InventoryDatabase(random.Random(seed))
    server = await asyncio.start_server(
        database.serve_client, "127.0.0.1", port, limit=MAX_LINE, reuse_address=True
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with server:
        await stop.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description="The demo shop's inventory database (TCP).")
    parser.add_argument("--instance", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--run-id", help="the mesh-demo run this process belongs to")
    parser.add_argument("--seed", type=int)
    args = parser.parse_args()
    asyncio.run(serve(args.port, args.seed))


if __name__ == "__main__":
    main()
