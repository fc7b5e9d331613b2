"""Suggestions from the real demo: the flaky-inventory scenario, watched through every sidecar's
admin stats stream, yields a drain of inventory-1 and a retry backoff fitted to recovery times.

The windows are short (20 s of evidence, 15 s minimum per rule) so the test takes well under a
minute; the rules and their minimum counts of requests, recoveries and tries are the real ones.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from meshgui.connection_file import read_token
from meshgui.model.suggestions import (
    EvidenceCollector,
    RuleSettings,
    Suggestion,
    SuggestionEngine,
)
from proxy.admin.client import AdminClient
from proxy.config import MeshConfig
from tests.meshgui.demo.live_demo import DemoUnderTest, start_demo, stop, wait_until

pytestmark = pytest.mark.e2e

WINDOW_S = 20.0
SPAN_S = 15.0
SUGGESTIONS_WITHIN_S = 40.0
DRAIN = "drain:inventory:inventory-1"
BACKOFF = "retry-backoff:inventory/default"


@pytest.fixture
def flaky_demo(tmp_path: Path) -> Iterator[DemoUnderTest]:
    # A lighter load than the default 50 users/s: still ~5x the data the rules need in 15 s,
    # and less CPU on a shared machine, whose contention would stretch the recovery times.
    extra = ("--rate", "30", "--scenario", "flaky-inventory", "--scenario-delay", "0")
    running = start_demo(tmp_path, *extra)
    try:
        # Evidence from before the fault would (rightly) read as "not sustained".
        wait_until(
            lambda: "scenario flaky-inventory: inventory-1" in running.output(),
            10,
            "the flaky-inventory scenario never started",
        )
        yield running
    finally:
        stop(running.proc, running.run_id)


async def _stream(client: AdminClient, sidecar_id: str, collector: EvidenceCollector) -> None:
    async for snapshot in client.watch_stats(interval=0.5):
        collector.ingest(sidecar_id, snapshot)


def _what_was_seen(collector: EvidenceCollector, mesh: MeshConfig) -> str:
    now = time.time()
    found = SuggestionEngine(RuleSettings().with_span(SPAN_S)).evaluate(collector, mesh, now)
    calls = collector.table(now - WINDOW_S, now).toward("inventory")
    recoveries = ", ".join(
        f"p{q * 100:.0f} {calls.recovery_ms(q) or 0:.0f} ms" for q in (0.25, 0.5, 0.95)
    )
    listed = "; ".join(f"{s.id}: {s.not_enough_data or 'ready'}" for s in found)
    return f"{listed or 'no suggestion'}. Recoveries: {calls.recoveries} ({recoveries})"


async def test_the_flaky_scenario_yields_drain_and_backoff(flaky_demo: DemoUnderTest) -> None:
    collector = EvidenceCollector(window_s=WINDOW_S, step_s=1.0)
    engine = SuggestionEngine(RuleSettings().with_span(SPAN_S))
    entries = flaky_demo.connection.sidecars
    clients = [
        AdminClient(e.admin, read_token(e.token) if e.token else None, call_timeout=5.0)
        for e in entries
    ]
    tasks = [
        asyncio.create_task(
            _stream(client, entry.instance, collector), name=f"stats {entry.instance}"
        )
        for client, entry in zip(clients, entries, strict=True)
    ]
    try:
        mesh = (await clients[0].get_config()).mesh()
        deadline = time.monotonic() + SUGGESTIONS_WITHIN_S
        ready: dict[str, Suggestion] = {}
        while not {DRAIN, BACKOFF} <= ready.keys():
            if time.monotonic() > deadline:
                pytest.fail(f"after {SUGGESTIONS_WITHIN_S:g} s: {_what_was_seen(collector, mesh)}")
            await asyncio.sleep(1.0)
            found = engine.evaluate(collector, mesh, time.time())
            ready = {s.id: s for s in found if s.ready}
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for client in clients:
            await client.close()

    drain = ready[DRAIN]
    print(f"{drain.title}\n  {drain.evidence}\n  {drain.confidence}")
    assert "inventory-1 (inventory v1)" in drain.title
    drained = {e.name: e.drained for e in drain.apply(mesh).services["inventory"].endpoints}
    assert drained == {"inventory-1": True, "inventory-2": False}

    backoff = ready[BACKOFF]
    print(f"{backoff.title}\n  {backoff.evidence}\n  {backoff.confidence}")
    retry = backoff.apply(mesh).routes["inventory"][0].retry
    assert retry is not None
    # Retries go to inventory-2 after at most the first 25 ms wait, so recoveries take tens of
    # ms: the demo's 250 ms maximum is several times what they need.
    assert retry.backoff_max <= 0.1 and retry.backoff_base <= retry.backoff_max
