"""One demo service instance as its own process: the shop's HTTP app on `--port` (reached only
through its sidecar) and its fault-control endpoint on `--control-port`.

    python -m meshgui.demo.app --service inventory --instance inventory-1 --port 8080 \\
        --control-port 8081 --outbound 127.0.0.1:15001 --kv 127.0.0.1:15011 --run-id RUN
"""

from __future__ import annotations

import argparse
import asyncio
import random
import signal
from collections.abc import Sequence

import aiohttp
from aiohttp import web

from meshgui.demo.faults import Faults, control_app
from meshgui.demo.kv_client import KvClient
from meshgui.demo.services import ROUTES, MeshCalls, ShopContext, work_middleware

CLIENT_TIMEOUT_S = 10.0
"""A backstop only: the sidecar's route timeouts end a slow call long before this."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="One instance of a demo shop service.")
    parser.add_argument("--service", required=True, choices=sorted(ROUTES))
    parser.add_argument("--instance", required=True)
    parser.add_argument("--port", type=int, required=True, help="the app's own port")
    parser.add_argument("--control-port", type=int, required=True, help="fault-control port")
    parser.add_argument("--outbound", required=True, help="the sidecar's outbound host:port")
    parser.add_argument("--kv", help="host:port of the inventory-db tcp_outbound listener")
    parser.add_argument("--run-id", help="the mesh-demo run this process belongs to")
    parser.add_argument("--seed", type=int)
    return parser


async def serve(args: argparse.Namespace) -> None:
    connector = aiohttp.TCPConnector(limit=256, limit_per_host=256)
    session = aiohttp.ClientSession(
        connector=connector, timeout=aiohttp.ClientTimeout(total=CLIENT_TIMEOUT_S)
    )
    kv = None
    if args.kv:
        host, _, port = args.kv.rpartition(":")
        kv = KvClient(host, int(port))
    ctx = ShopContext(
        service=args.service,
        instance=args.instance,
        rng=random.Random(args.seed),
        faults=Faults(),
        mesh=MeshCalls(session, args.outbound),
        kv=kv,
    )
    shop = web.Application(middlewares=[work_middleware(ctx)])
    shop.add_routes(ROUTES[args.service](ctx))
    runners = [
        web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        for app in (shop, control_app(ctx.faults, ctx.instance))
    ]
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        for runner, port in zip(runners, (args.port, args.control_port), strict=True):
            await runner.setup()
            await web.TCPSite(runner, "127.0.0.1", port, backlog=512).start()
        await stop.wait()
    finally:
        for runner in runners:
            await runner.cleanup()
        await session.close()
        if kv is not None:
            await kv.close()


def main(argv: Sequence[str] | None = None) -> None:
    asyncio.run(serve(build_parser().parse_args(argv)))


if __name__ == "__main__":
    main()
