"""Faults a demo app can be told to have (a share of failed requests, slower service time), and
the small control endpoint, on its own loopback port, through which scenarios set them.

The control endpoint is not behind the sidecar on purpose: a scenario is the demo's stage
machinery, not traffic of the shop, and must not show up on the topology.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from aiohttp import web

FAILURE_STATUS = 503
"""An injected failure answers 503, like an overloaded instance, so default retries apply."""


class FaultsError(ValueError):
    """A fault setting out of range; the message says which and why."""


@dataclass
class Faults:
    """What is wrong with this instance right now."""

    error_rate: float = 0.0
    """Share of requests answered with FAILURE_STATUS, 0..1."""
    latency_factor: float = 1.0
    """Service time multiplier, >= 1 to slow down (values below 1 speed up)."""

    def update(self, changes: Mapping[str, Any]) -> None:
        """Apply `changes` (a subset of the fields) after checking all of them."""
        unknown = set(changes) - {"error_rate", "latency_factor"}
        if unknown:
            raise FaultsError(f"unknown fault setting(s): {', '.join(sorted(unknown))}")
        error_rate = _number(changes.get("error_rate", self.error_rate), "error_rate")
        factor = _number(changes.get("latency_factor", self.latency_factor), "latency_factor")
        if not 0.0 <= error_rate <= 1.0:
            raise FaultsError("error_rate must be from 0 to 1")
        if not 0.0 < factor <= 100.0:
            raise FaultsError("latency_factor must be more than 0 and at most 100")
        self.error_rate = error_rate
        self.latency_factor = factor

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise FaultsError(f"{name} must be a number")
    return float(value)


def control_app(faults: Faults, instance: str) -> web.Application:
    """``GET /faults``, ``PUT /faults`` (JSON with the fields to change), ``GET /health``."""

    async def show(_: web.Request) -> web.Response:
        return web.json_response({"instance": instance, **faults.as_dict()})

    async def change(request: web.Request) -> web.Response:
        try:
            body = await request.json()
        except ValueError:
            return web.json_response({"error": "expected a JSON object"}, status=400)
        if not isinstance(body, dict):
            return web.json_response({"error": "expected a JSON object"}, status=400)
        try:
            faults.update(body)
        except FaultsError as exc:
            return web.json_response({"error": str(exc)}, status=400)
        return web.json_response({"instance": instance, **faults.as_dict()})

    async def health(_: web.Request) -> web.Response:
        return web.Response(text="ok\n")

    app = web.Application()
    app.router.add_get("/faults", show)
    app.router.add_put("/faults", change)
    app.router.add_get("/health", health)
    return app
