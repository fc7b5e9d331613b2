"""mesh-demo's own control endpoint (loopback only) and `mesh-demo trigger`, its client.

    GET  /scenarios         the scenario names and what each does
    POST /scenarios/{name}  carry one out now; answers what happened

The address is in the connection file (`demo.control`), which only the user can read.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Awaitable, Callable
from pathlib import Path

from aiohttp import web

from meshgui.connection_file import load_connection_file
from meshgui.demo.scenarios import SCENARIOS, UnknownScenarioError

TRIGGER_TIMEOUT_S = 10.0


def control_app(trigger: Callable[[str], Awaitable[str]]) -> web.Application:
    """The control endpoint; `trigger(name)` carries out a scenario and says what happened."""

    async def listing(_: web.Request) -> web.Response:
        return web.json_response(SCENARIOS)

    async def run(request: web.Request) -> web.Response:
        name = request.match_info["name"]
        try:
            done = await trigger(name)
        except UnknownScenarioError as exc:
            return web.json_response({"error": str(exc)}, status=404)
        except Exception as exc:  # the trigger's failure is the caller's news, not a crash
            return web.json_response({"error": f"{name} failed: {exc}"}, status=500)
        return web.json_response({"scenario": name, "done": done})

    app = web.Application()
    app.router.add_get("/scenarios", listing)
    app.router.add_post("/scenarios/{name}", run)
    return app


class TriggerError(Exception):
    """The scenario could not be triggered; the message says why."""


def trigger(name: str, connection_file: Path) -> str:
    """Ask the mesh-demo run of `connection_file` to carry out scenario `name`.

    Returns what happened; raises TriggerError (unknown scenario, no demo, demo not running).
    """
    if name not in SCENARIOS:
        raise TriggerError(str(UnknownScenarioError(name)))
    connection = load_connection_file(connection_file)
    if connection.demo is None:
        raise TriggerError(f"{connection_file} does not describe a mesh-demo run")
    url = f"http://{connection.demo.control}/scenarios/{name}"
    request = urllib.request.Request(url, method="POST", data=b"")
    try:
        with urllib.request.urlopen(request, timeout=TRIGGER_TIMEOUT_S) as resp:
            answer = json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode(errors="replace")
        raise TriggerError(f"mesh-demo refused {name}: {detail}") from None
    except (OSError, ValueError) as exc:
        run = connection.demo.run_id
        raise TriggerError(f"mesh-demo run {run} is not answering at {url}: {exc}") from None
    return str(answer.get("done", ""))
