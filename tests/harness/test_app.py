"""A small upstream app for tests and benchmarks, run as its own process:

    python -m tests.harness.test_app --name inventory-1 --port 8080

Routes: `/` and anything else -> 200 with the instance name; `/status/<code>`; `/slow/<ms>`;
`/echo` (POST body back); `/flaky/<percent>` (that share of requests answer 503). Every response
carries `x-served-by: <name>`, so tests can count where traffic went.
"""

from __future__ import annotations

import argparse
import asyncio
import random

from aiohttp import web


def build_app(name: str) -> web.Application:
    headers = {"x-served-by": name}

    async def hello(request: web.Request) -> web.Response:
        # The caller's port tells tests whether connections to the app are reused.
        peer = request.transport.get_extra_info("peername") if request.transport else None
        port = {"x-peer-port": str(peer[1])} if peer else {}
        return web.Response(text=f"{name}\n", headers={**headers, **port})

    async def status(request: web.Request) -> web.Response:
        return web.Response(status=int(request.match_info["code"]), text=name, headers=headers)

    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(int(request.match_info["ms"]) / 1000)
        return web.Response(text=f"{name}\n", headers=headers)

    async def echo(request: web.Request) -> web.Response:
        body = await request.read()
        return web.Response(body=body, headers=headers)

    async def flaky(request: web.Request) -> web.Response:
        failing = random.random() * 100 < float(request.match_info["percent"])
        return web.Response(status=503 if failing else 200, text=name, headers=headers)

    app = web.Application()
    app.router.add_route("*", "/status/{code}", status)
    app.router.add_route("*", "/slow/{ms}", slow)
    app.router.add_route("*", "/echo", echo)
    app.router.add_route("*", "/flaky/{percent}", flaky)
    app.router.add_route("*", "/{tail:.*}", hello)
    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--name", required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    web.run_app(build_app(args.name), host="127.0.0.1", port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
