"""The shop's handlers, with a fake mesh behind them: who calls whom, and what a failure does."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from meshgui.demo.faults import Faults
from meshgui.demo.kv_client import KvClient, KvUnavailableError
from meshgui.demo.latency import latency_for
from meshgui.demo.services import (
    ROUTES,
    DependencyFailedError,
    MeshCalls,
    ShopContext,
    work_middleware,
)

Answer = Callable[[str], Any]


class FakeMesh(MeshCalls):
    """Answers calls from a table of (service -> function of path); records every call."""

    def __init__(self, answers: dict[str, Answer]) -> None:
        self.answers = answers
        self.calls: list[tuple[str, str, str]] = []

    async def _call(self, method: str, service: str, path: str, request: web.Request) -> Any:
        self.calls.append((method, service, path))
        return self.answers[service](path)


class FakeKv(KvClient):
    def __init__(self, store: dict[str, int] | None) -> None:
        self.store = store

    async def mget(self, keys: list[str]) -> list[int | None]:
        if self.store is None:
            raise KvUnavailableError("inventory-db: down")
        return [self.store.get(key) for key in keys]


def failing(service: str, status: int = 503) -> Answer:
    def answer(_: str) -> Any:
        raise DependencyFailedError(service, status)

    return answer


def stock_of(levels: dict[str, int]) -> Answer:
    def answer(path: str) -> Any:
        skus = path.split("skus=", 1)[1].split(",")
        return {"stock": {sku: levels.get(sku, 3) for sku in skus}}

    return answer


class Shop:
    def __init__(self, service: str, mesh: FakeMesh, kv: KvClient | None = None) -> None:
        self.sleeps: list[float] = []

        async def record_sleep(seconds: float) -> None:
            self.sleeps.append(seconds)

        self.ctx = ShopContext(
            service=service,
            instance=f"{service}-1",
            rng=random.Random(3),
            faults=Faults(),
            mesh=mesh,
            kv=kv,
            sleep=record_sleep,
        )
        self.app = web.Application(middlewares=[work_middleware(self.ctx)])
        self.app.add_routes(ROUTES[service](self.ctx))

    def client(self) -> TestClient:  # type: ignore[type-arg]
        return TestClient(TestServer(self.app))


def web_mesh(**overrides: Answer) -> FakeMesh:
    answers: dict[str, Answer] = {
        "inventory": stock_of({"sku-7": 4}),
        "cart": lambda path: {"items": ["sku-1"]},
        "recommendations": lambda path: {"items": ["sku-2"]},
    }
    answers.update(overrides)
    return FakeMesh(answers)


async def test_product_page_calls_inventory_cart_and_recommendations() -> None:
    shop = Shop("web", web_mesh())
    async with shop.client() as client:
        resp = await client.get("/product/sku-7?user=u-1")
        assert resp.status == 200
        assert await resp.json() == {
            "sku": "sku-7",
            "stock": 4,
            "cart": {"items": ["sku-1"]},
            "recommended": ["sku-2"],
        }
    called = sorted(service for _, service, _ in shop.ctx.mesh.calls)  # type: ignore[attr-defined]
    assert called == ["cart", "inventory", "recommendations"]


async def test_product_page_degrades_without_recommendations_but_not_without_stock() -> None:
    shop = Shop("web", web_mesh(recommendations=failing("recommendations")))
    async with shop.client() as client:
        resp = await client.get("/product/sku-7")
        assert resp.status == 200 and (await resp.json())["recommended"] == []
    shop = Shop("web", web_mesh(inventory=failing("inventory")))
    async with shop.client() as client:
        resp = await client.get("/product/sku-7")
        assert resp.status == 502 and "inventory answered 503" in (await resp.json())["error"]


async def test_injected_failures_answer_503_before_any_call() -> None:
    shop = Shop("web", web_mesh())
    shop.ctx.faults.update({"error_rate": 1.0})
    async with shop.client() as client:
        resp = await client.get("/product/sku-7")
        assert resp.status == 503
    assert shop.ctx.mesh.calls == []  # type: ignore[attr-defined]


async def test_service_time_is_sampled_and_scaled_by_a_latency_spike() -> None:
    shop = Shop("recommendations", FakeMesh({}))
    shop.ctx.faults.update({"latency_factor": 10.0, "error_rate": 1.0})
    async with shop.client() as client:
        await client.get("/recommendations/sku-1")
    expected = latency_for("recommendations").sample(random.Random(3), 10.0)
    assert shop.sleeps == [expected]


async def test_cart_checks_stock_and_keeps_sold_out_items_out() -> None:
    mesh = FakeMesh({"inventory": stock_of({"sku-5": 0, "sku-6": 2})})
    shop = Shop("cart", mesh)
    async with shop.client() as client:
        sold_out = await (await client.post("/cart/u-1/items?sku=sku-5")).json()
        added = await (await client.post("/cart/u-1/items?sku=sku-6")).json()
        shown = await (await client.get("/cart/u-1")).json()
    assert sold_out["added"] is None and sold_out["sold_out"] == "sku-5"
    assert added["added"] == "sku-6" and "sku-5" not in added["items"]
    assert shown["items"] == added["items"] and set(shown["in_stock"]) == set(added["items"])
    assert all(service == "inventory" for _, service, _ in mesh.calls)


async def test_recommendations_ask_tags_then_stock_and_show_only_what_is_in_stock() -> None:
    mesh = FakeMesh({"product-tags": lambda path: {"tags": ["eco"]}, "inventory": stock_of({})})
    shop = Shop("recommendations", mesh)
    async with shop.client() as client:
        body = await (await client.get("/recommendations/sku-1")).json()
    assert [service for _, service, _ in mesh.calls] == ["product-tags", "inventory"]
    assert body["because"] == ["eco"] and body["items"]


async def test_inventory_reads_the_database_and_says_503_when_it_is_gone() -> None:
    shop = Shop("inventory", FakeMesh({}), kv=FakeKv({"sku-1": 9}))
    async with shop.client() as client:
        body = await (await client.get("/stock?skus=sku-1,sku-2")).json()
        assert body == {"stock": {"sku-1": 9, "sku-2": None}}
    shop = Shop("inventory", FakeMesh({}), kv=FakeKv(None))
    async with shop.client() as client:
        assert (await client.get("/stock?skus=sku-1")).status == 503
