"""The shop's business logic, one route table per service. Each handler does its own (simulated)
work in the middleware and calls other services only through the sidecar, by `Host`.

    web                   GET /product/{sku}   -> inventory, cart, recommendations (optional)
                          GET /cart/{user}, POST /cart/{user}/items?sku=  -> cart
    cart                  GET /cart/{user}, POST /cart/{user}/items?sku=  -> inventory
    inventory             GET /stock?skus=a,b  -> inventory-db (TCP)
    recommendations       GET /recommendations/{sku} -> product-tags, inventory
    recommendations-lite  GET /recommendations/{sku} (popular items; no dependencies)
    product-tags          GET /tags/{sku}
"""

from __future__ import annotations

import asyncio
import random
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

from meshgui.demo.faults import FAILURE_STATUS, Faults
from meshgui.demo.kv_client import KvClient, KvUnavailableError
from meshgui.demo.latency import latency_for

SKUS = 200
TAGS = ("outdoor", "kitchen", "garden", "kids", "sale", "new", "eco", "gift", "tools", "sport")
POPULAR = ("sku-3", "sku-14", "sku-15", "sku-92", "sku-65")


class DependencyFailedError(Exception):
    def __init__(self, service: str, status: int) -> None:
        super().__init__(f"{service} answered {status}")
        self.service = service
        self.status = status


class MeshCalls:
    """HTTP calls to other services through the local sidecar's outbound listener."""

    def __init__(self, session: aiohttp.ClientSession, outbound: str) -> None:
        self._session = session
        self._base = f"http://{outbound}"

    async def get(self, service: str, path: str, request: web.Request) -> Any:
        return await self._call("GET", service, path, request)

    async def post(self, service: str, path: str, request: web.Request) -> Any:
        return await self._call("POST", service, path, request)

    async def _call(self, method: str, service: str, path: str, request: web.Request) -> Any:
        headers = {"Host": service}
        request_id = request.headers.get("x-request-id")
        if request_id:  # one id across the whole call tree, as tracing expects
            headers["x-request-id"] = request_id
        try:
            async with self._session.request(method, self._base + path, headers=headers) as resp:
                if resp.status >= 400:
                    raise DependencyFailedError(service, resp.status)
                return await resp.json()
        except (aiohttp.ClientError, TimeoutError):
            raise DependencyFailedError(service, 599) from None


@dataclass
class ShopContext:
    """What a handler needs: who it is, how to reach others, and its own state."""

    service: str
    instance: str
    rng: random.Random
    faults: Faults
    mesh: MeshCalls
    kv: KvClient | None = None
    carts: dict[str, list[str]] = field(default_factory=dict)
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    """How the simulated service time passes; tests pass a fake."""

    def sku(self) -> str:
        return f"sku-{self.rng.randrange(SKUS)}"


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def work_middleware(ctx: ShopContext) -> Any:
    """Own service time and injected faults, before the handler calls anybody."""
    latency = latency_for(ctx.service)

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        await ctx.sleep(latency.sample(ctx.rng, ctx.faults.latency_factor))
        if ctx.faults.error_rate and ctx.rng.random() < ctx.faults.error_rate:
            return web.json_response({"error": "injected failure"}, status=FAILURE_STATUS)
        try:
            return await handler(request)
        except DependencyFailedError as exc:
            body = {"error": str(exc), "instance": ctx.instance}
            return web.json_response(body, status=502)

    return middleware


def _user_cart(ctx: ShopContext, user: str) -> list[str]:
    # Carts start with an item or two so that viewing one always checks stock.
    return ctx.carts.setdefault(user, [ctx.sku() for _ in range(1 + ctx.rng.randrange(2))])


def _tags(sku: str) -> list[str]:
    seed = zlib.crc32(sku.encode())
    return [TAGS[(seed >> shift) % len(TAGS)] for shift in (0, 5, 10)]


def web_routes(ctx: ShopContext) -> list[web.RouteDef]:
    async def product(request: web.Request) -> web.Response:
        sku = request.match_info["sku"]
        user = request.query.get("user", "guest")
        calls: tuple[Any, ...] = await asyncio.gather(
            ctx.mesh.get("inventory", f"/stock?skus={sku}", request),
            ctx.mesh.get("cart", f"/cart/{user}", request),
            ctx.mesh.get("recommendations", f"/recommendations/{sku}", request),
            return_exceptions=True,
        )
        stock, cart, recs = calls
        for needed in (stock, cart):  # without price and cart the page cannot be shown
            if isinstance(needed, BaseException):
                raise needed
        # Recommendations are a nice-to-have: the page degrades without them.
        shown = [] if isinstance(recs, BaseException) else recs["items"]
        body = {"sku": sku, "stock": stock["stock"][sku], "cart": cart, "recommended": shown}
        return web.json_response(body)

    async def cart(request: web.Request) -> web.Response:
        return web.json_response(await ctx.mesh.get("cart", request.path_qs, request))

    async def add(request: web.Request) -> web.Response:
        return web.json_response(await ctx.mesh.post("cart", request.path_qs, request))

    return [
        web.get("/product/{sku}", product),
        web.get("/cart/{user}", cart),
        web.post("/cart/{user}/items", add),
    ]


def cart_routes(ctx: ShopContext) -> list[web.RouteDef]:
    async def show(request: web.Request) -> web.Response:
        items = _user_cart(ctx, request.match_info["user"])
        stock = await ctx.mesh.get("inventory", "/stock?skus=" + ",".join(items), request)
        return web.json_response({"items": items, "in_stock": stock["stock"]})

    async def add(request: web.Request) -> web.Response:
        sku = request.query.get("sku") or ctx.sku()
        stock = await ctx.mesh.get("inventory", f"/stock?skus={sku}", request)
        items = _user_cart(ctx, request.match_info["user"])
        if not stock["stock"].get(sku):  # sold out is an answer, not a failure
            return web.json_response({"items": items, "added": None, "sold_out": sku})
        items.append(sku)
        del items[:-5]  # a demo cart keeps its last five items
        return web.json_response({"items": items, "added": sku})

    return [web.get("/cart/{user}", show), web.post("/cart/{user}/items", add)]


def inventory_routes(ctx: ShopContext) -> list[web.RouteDef]:
    async def stock(request: web.Request) -> web.Response:
        skus = [s for s in request.query.get("skus", "").split(",") if s][:64]
        assert ctx.kv is not None
        try:
            levels = await ctx.kv.mget(skus) if skus else []
        except KvUnavailableError as exc:
            return web.json_response({"error": str(exc)}, status=503)
        return web.json_response({"stock": dict(zip(skus, levels, strict=True))})

    return [web.get("/stock", stock)]


def recommendations_routes(ctx: ShopContext) -> list[web.RouteDef]:
    async def recommend(request: web.Request) -> web.Response:
        sku = request.match_info["sku"]
        tags = await ctx.mesh.get("product-tags", f"/tags/{sku}", request)
        picks = sorted({ctx.sku() for _ in range(3)})
        stock = await ctx.mesh.get("inventory", "/stock?skus=" + ",".join(picks), request)
        items = [pick for pick in picks if stock["stock"].get(pick)]
        return web.json_response({"items": items, "because": tags["tags"], "by": ctx.instance})

    return [web.get("/recommendations/{sku}", recommend)]


def recommendations_lite_routes(ctx: ShopContext) -> list[web.RouteDef]:
    async def popular(request: web.Request) -> web.Response:
        return web.json_response({"items": list(POPULAR[:3]), "because": ["popular"]})

    return [web.get("/recommendations/{sku}", popular)]


def product_tags_routes(ctx: ShopContext) -> list[web.RouteDef]:
    async def tags(request: web.Request) -> web.Response:
        return web.json_response({"tags": _tags(request.match_info["sku"])})

    return [web.get("/tags/{sku}", tags)]


ROUTES: dict[str, Callable[[ShopContext], list[web.RouteDef]]] = {
    "web": web_routes,
    "cart": cart_routes,
    "inventory": inventory_routes,
    "recommendations": recommendations_routes,
    "recommendations-lite": recommendations_lite_routes,
    "product-tags": product_tags_routes,
}
