"""Issue 7 against the real demo with its users generating load: drag an edge's head and a
version's node with real mouse events, drain, undo, a concurrent change from a second client,
and a sidecar that refuses — checked on the sidecars' own counters and configs, not on what the
app painted."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, QSettings
from pytestqt.qtbot import QtBot

from meshgui.client import SidecarTarget
from meshgui.model.mesh_change import same_content
from meshgui.model.types import EdgeKey
from meshgui.profiles import ConnectionProfile, targets_for
from meshgui.views.main_window import MainWindow
from proxy.admin.client import AdminClient
from proxy.config import MeshConfig, dump_mesh_yaml, parse_mesh_document
from tests.meshgui.demo.live_demo import DemoUnderTest, start_demo, stop
from tests.meshgui.views.gesture_input import SHIFT, drag
from tests.proxy.telemetry.prom_text import parse

pytestmark = pytest.mark.e2e

SHARE_TOLERANCE = 0.10
MEASURE_S = 6.0
"""Counted from the acknowledgement on: ~200 calls web -> recommendations, so the binomial
noise of a 50 % split (sd ~3.5 points) stays well inside the issue's +-10 points."""


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoUnderTest]:
    running = start_demo(tmp_path_factory.mktemp("changes"), "--report-every", "1")
    try:
        yield running
    finally:
        stop(running.proc, running.run_id)


def sidecar_targets(demo: DemoUnderTest) -> list[SidecarTarget]:
    resolved = targets_for(ConnectionProfile("demo", connection_file=demo.connection_path), None)
    assert not resolved.problems, resolved.problems
    return resolved.targets


def run(coro_factory: Callable[[], object]) -> object:
    return asyncio.run(coro_factory())  # type: ignore[arg-type]


async def _configs(targets: list[SidecarTarget]) -> dict[str, MeshConfig]:
    result = {}
    for target in targets:
        async with AdminClient(target.address, target.token, operator="test") as client:
            state = await client.get_config()
            result[target.sidecar_id] = parse_mesh_document(state.document, source="test")
    return result


def configs(demo: DemoUnderTest) -> dict[str, MeshConfig]:
    return run(lambda: _configs(sidecar_targets(demo)))  # type: ignore[return-value]


async def _apply(targets: list[SidecarTarget], mesh: MeshConfig, expected: bool) -> None:
    for target in targets:
        async with AdminClient(target.address, target.token, operator="test") as client:
            current = (await client.get_config()).version
            document = dump_mesh_yaml(mesh.model_copy(update={"version": current + 1}))
            await client.apply_config(document, current if expected else None)


def apply_directly(demo: DemoUnderTest, mesh: MeshConfig, only: str | None = None) -> None:
    """A second client's change, straight to the sidecars."""
    targets = [t for t in sidecar_targets(demo) if only is None or t.sidecar_id == only]
    run(lambda: _apply(targets, mesh, expected=True))


@pytest.fixture(scope="module")
def original(demo: DemoUnderTest) -> MeshConfig:
    return next(iter(configs(demo).values()))


@pytest.fixture
def window(
    qtbot: QtBot, demo: DemoUnderTest, original: MeshConfig, tmp_path
) -> Iterator[MainWindow]:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(settings, journal_path=tmp_path / "journal.jsonl")
    qtbot.addWidget(win)
    win.resize(1600, 1000)
    win.show()
    assert win.connect_connection_file(demo.connection_path, profile_name="demo")
    wanted = EdgeKey("web", "recommendations", "http")
    qtbot.waitUntil(lambda: _rps(win, wanted) > 0, timeout=20_000)
    wait_settled(win, qtbot)
    try:
        yield win
    finally:
        win.close()
        run(lambda: _apply(sidecar_targets(demo), original, expected=False))


DEMO_SERVICES = {"web", "cart", "inventory", "recommendations", "recommendations-lite"}


def wait_settled(win: MainWindow, qtbot: QtBot) -> None:
    """Every demo service drawn and laid out, so a drag lands where the test aims."""

    def positions() -> dict[str, tuple[float, float]]:
        names = win.canvas.service_names()
        items = {n: win.canvas.node_item(n) for n in names}
        return {n: (i.pos().x(), i.pos().y()) for n, i in items.items() if i is not None}

    seen: list[dict[str, tuple[float, float]]] = []

    def steady() -> bool:
        seen.append(positions())
        shown = {name.split("@")[0] for name in seen[-1]}
        return (
            shown >= DEMO_SERVICES
            and not win.canvas.layout_runner.busy
            and len(seen) > 1
            and seen[-1] == seen[-2]
        )

    qtbot.waitUntil(steady, timeout=15_000)


def _rps(win: MainWindow, key: EdgeKey) -> float:
    view = win.last_view
    edge = None if view is None else view.edges.get(key)
    return 0.0 if edge is None else edge.stats.rps


# -- measuring on the sidecars' own counters -------------------------------------------------
def requests_by(demo: DemoUnderTest, instance: str, label: str, **match: str) -> dict[str, float]:
    totals: dict[str, float] = {}
    for sample in parse(demo.sidecar(instance)).named("istio_requests_total"):
        if all(sample.labels.get(k) == v for k, v in match.items()):
            key = sample.labels[label]
            totals[key] = totals.get(key, 0.0) + sample.value
    return totals


def shares(
    counting: Callable[[], dict[str, float]], seconds: float = MEASURE_S
) -> dict[str, float]:
    before = counting()
    time.sleep(seconds)
    after = counting()
    deltas = {k: after.get(k, 0.0) - before.get(k, 0.0) for k in after}
    total = sum(deltas.values())
    assert total > 0, f"no traffic in {seconds:g} s: {after}"
    return {k: v / total for k, v in deltas.items()}


def recommendation_calls(demo: DemoUnderTest) -> Callable[[], dict[str, float]]:
    return lambda: requests_by(
        demo, "web-1", "destination_service_name", reporter="source", source_workload="web"
    )


def inventory_calls(demo: DemoUnderTest) -> dict[str, float]:
    return {
        instance: sum(requests_by(demo, instance, "reporter", reporter="destination").values())
        for instance in ("inventory-1", "inventory-2")
    }


# -- driving the app -------------------------------------------------------------------------
def viewport_point(win: MainWindow, scene: QPointF) -> QPoint:
    return win.canvas.mapFromScene(scene)


def drag_edge_head_onto(win: MainWindow, qtbot: QtBot, key: EdgeKey, target: str) -> None:
    edge = win.canvas.edge_item(key)
    node = win.canvas.node_item(target)
    assert edge is not None and node is not None
    line = edge.overview_geometry
    head = line.pointAt(max(0.0, 1.0 - 5.0 / max(line.length(), 1.0)))
    drag(
        win.canvas,
        viewport_point(win, head),
        viewport_point(win, node.sceneBoundingRect().center()),
    )


def choose_share(win: MainWindow, qtbot: QtBot, percent: int) -> None:
    from meshgui.views.reroute_popover import ReroutePopover

    qtbot.waitUntil(lambda: _find(win, ReroutePopover) is not None, timeout=10_000)
    popover = _find(win, ReroutePopover)
    popover.set_percent(percent)
    popover.move_button.click()


def approve_preview(win: MainWindow, qtbot: QtBot) -> None:
    controller = win.changes.controller
    qtbot.waitUntil(lambda: controller.preview_dialog is not None, timeout=10_000)
    controller.preview_dialog.apply_button.click()


def wait_applied(win: MainWindow, qtbot: QtBot) -> float:
    """Until the sidecars answered; the time of the acknowledgement."""
    qtbot.waitUntil(lambda: not win.changes.controller.busy, timeout=15_000)
    return time.monotonic()


def _find(win: MainWindow, kind: type) -> object:
    found = [w for w in win.findChildren(kind) if w.isVisible()]
    return found[-1] if found else None


def last_outcome(win: MainWindow) -> str:
    return win.changes.journal.entries("demo")[-1].outcome


# -- the tests -------------------------------------------------------------------------------
def test_dragging_an_edge_head_moves_the_asked_share(
    window: MainWindow, qtbot: QtBot, demo: DemoUnderTest
) -> None:
    drag_edge_head_onto(
        window, qtbot, EdgeKey("web", "recommendations", "http"), "recommendations-lite"
    )
    choose_share(window, qtbot, 50)
    approve_preview(window, qtbot)
    wait_applied(window, qtbot)
    assert last_outcome(window) == "applied"
    measured = shares(recommendation_calls(demo))
    lite = measured.get("recommendations-lite", 0.0)
    lite_share = lite / (lite + measured.get("recommendations", 0.0))
    assert abs(lite_share - 0.5) <= SHARE_TOLERANCE, measured
    assert all(same_content(m, next(iter(configs(demo).values()))) for m in configs(demo).values())


def test_dragging_a_version_onto_another_moves_its_traffic(
    window: MainWindow, qtbot: QtBot, demo: DemoUnderTest
) -> None:
    window.show_versions_action.setChecked(True)
    qtbot.waitUntil(lambda: window.canvas.node_item("inventory@v2") is not None, timeout=10_000)
    wait_settled(window, qtbot)
    source = window.canvas.node_item("inventory@v1")
    target = window.canvas.node_item("inventory@v2")
    assert source is not None and target is not None
    start = viewport_point(window, source.sceneBoundingRect().center())
    end = viewport_point(window, target.sceneBoundingRect().center())
    drag(window.canvas, start, end, modifiers=SHIFT)
    choose_share(window, qtbot, 100)
    approve_preview(window, qtbot)
    wait_applied(window, qtbot)
    assert last_outcome(window) == "applied"
    measured = shares(lambda: inventory_calls(demo))
    assert measured["inventory-2"] >= 1.0 - SHARE_TOLERANCE, measured


def report_lines_after(demo: DemoUnderTest, mark: int) -> list[str]:
    """The users' periodic report lines printed since the output had `mark` characters."""
    return [line for line in demo.output()[mark:].splitlines() if "users:" in line]


def test_draining_an_instance_stops_its_traffic_without_failing_a_user(
    window: MainWindow, qtbot: QtBot, demo: DemoUnderTest
) -> None:
    mark = len(demo.output())
    window.changes.drain("inventory", "inventory-1", True)
    approve_preview(window, qtbot)
    wait_applied(window, qtbot)
    assert last_outcome(window) == "applied"
    time.sleep(3.0)
    measured = shares(lambda: inventory_calls(demo), seconds=2.0)
    assert measured.get("inventory-1", 0.0) == 0.0, measured
    lines = report_lines_after(demo, mark)
    assert lines, "the users reported nothing meanwhile"
    assert not [line for line in lines if "failed:" in line], lines
    qtbot.waitUntil(
        lambda: any(
            i.name == "inventory-1" and i.state == "drained"
            for i in window.last_view.nodes["inventory"].instances
        ),
        timeout=5000,
    )


def test_undo_restores_the_previous_config_on_every_sidecar(
    window: MainWindow, qtbot: QtBot, demo: DemoUnderTest, original: MeshConfig
) -> None:
    window.changes.drain("inventory", "inventory-2", True)
    approve_preview(window, qtbot)
    wait_applied(window, qtbot)
    drained = configs(demo)
    assert all(not same_content(m, original) for m in drained.values())
    window.changes.undo_action.trigger()
    approve_preview(window, qtbot)
    wait_applied(window, qtbot)
    assert last_outcome(window) == "undone"
    restored = configs(demo)
    assert all(same_content(m, original) for m in restored.values()), "some sidecar kept the drain"
    assert len({m.version for m in restored.values()}) == 1
    assert window.changes.redo_action.isEnabled()


def test_a_concurrent_change_is_reported_not_overwritten(
    window: MainWindow, qtbot: QtBot, demo: DemoUnderTest, original: MeshConfig
) -> None:
    window.changes.drain("inventory", "inventory-2", True)
    controller = window.changes.controller
    qtbot.waitUntil(lambda: controller.preview_dialog is not None, timeout=10_000)
    theirs = original.model_copy(
        update={"routes": {**original.routes, "cart": original.routes["cart"][:1]}}
    )
    slower = theirs.routes["cart"][0].model_copy(update={"timeout": 3.0})
    theirs = theirs.model_copy(update={"routes": {**theirs.routes, "cart": (slower,)}})
    apply_directly(demo, theirs)  # someone else, while our preview is open
    controller.preview_dialog.apply_button.click()
    wait_applied(window, qtbot)
    assert last_outcome(window) == "failed"
    panel = window.changes.progress_panel
    assert panel.reload_button.isEnabled()
    assert "someone else changed the mesh" in panel_text(panel)
    for mesh in configs(demo).values():
        assert mesh.routes["cart"][0].timeout == 3.0, "their change was overwritten"
        assert not any(e.drained for e in mesh.services["inventory"].endpoints)


def test_a_sidecar_that_refuses_leaves_the_others_consistent_and_is_named(
    window: MainWindow, qtbot: QtBot, demo: DemoUnderTest, original: MeshConfig
) -> None:
    window.changes.drain("inventory", "inventory-2", True)
    controller = window.changes.controller
    qtbot.waitUntil(lambda: controller.preview_dialog is not None, timeout=10_000)
    apply_directly(demo, original, only="cart-1")  # cart-1 moves on: it refuses our version
    controller.preview_dialog.apply_button.click()
    wait_applied(window, qtbot)
    assert last_outcome(window) == "partly applied"
    after = configs(demo)
    others = [m for sid, m in after.items() if sid != "cart-1"]
    assert len({m.version for m in others}) == 1
    assert all(same_content(m, others[0]) for m in others)
    assert all(
        e.drained for e in others[0].services["inventory"].endpoints if e.name == "inventory-2"
    )
    assert not any(e.drained for e in after["cart-1"].services["inventory"].endpoints)
    text = panel_text(window.changes.progress_panel)
    assert "cart-1" in text and "someone else changed the mesh" in text
    assert window.changes.progress_panel.rollback_button.isEnabled()


def panel_text(panel: object) -> str:
    from PySide6.QtWidgets import QLabel, QTableWidget

    parts = [label.text() for label in panel.findChildren(QLabel)]  # type: ignore[attr-defined]
    for table in panel.findChildren(QTableWidget):  # type: ignore[attr-defined]
        for row in range(table.rowCount()):
            for column in range(table.columnCount()):
                item = table.item(row, column)
                if item is not None:
                    parts.append(item.text())
    return "\n".join(parts)


def test_an_opened_mesh_file_is_previewed_and_applied_everywhere(
    window: MainWindow, qtbot: QtBot, demo: DemoUnderTest, original: MeshConfig, tmp_path: Path
) -> None:
    from meshgui.actions.change_requests import replace_mesh_request
    from meshgui.views.open_mesh_file import load_mesh_file

    route = original.routes["cart"][0].model_copy(update={"timeout": 2.5})
    edited = original.model_copy(update={"routes": {**original.routes, "cart": (route,)}})
    path = tmp_path / "mesh.yaml"
    path.write_text(dump_mesh_yaml(edited))
    loaded = load_mesh_file(path)
    assert window.changes.controller.begin(replace_mesh_request(loaded, path, lambda: None))
    approve_preview(window, qtbot)
    wait_applied(window, qtbot)
    assert last_outcome(window) == "applied"
    assert all(m.routes["cart"][0].timeout == 2.5 for m in configs(demo).values())
