"""Config fetch and apply with fake sidecars: how each kind of answer is reported, the bound on
a sidecar that never answers, and which config is the newest."""

from __future__ import annotations

import time

import pytest

from meshgui.client import config_ops
from meshgui.client.config_ops import (
    ApplyProgress,
    SidecarConfig,
    apply_change,
    base_config,
    fetch_configs,
    lagging,
)
from meshgui.model.mesh_edits import MeshChange, reroute
from proxy.admin.errors import (
    AdminError,
    InvalidConfigError,
    UnauthenticatedError,
    UnavailableError,
    VersionConflictError,
)
from proxy.config import ConfigProblem
from tests.meshgui.client.fake_admin import FakeFleet, FakeSidecar
from tests.meshgui.model.demo_mesh import demo_mesh


def fleet(**errors: AdminError | None) -> FakeFleet:
    mesh = demo_mesh()
    return FakeFleet({sid: FakeSidecar(mesh, error) for sid, error in errors.items()})


def change_of() -> MeshChange:
    return reroute(demo_mesh(), "recommendations", "recommendations", "recommendations-lite", 0.5)


async def test_every_kind_of_answer_is_reported_as_it_comes() -> None:
    sidecars = fleet(
        a=None,
        b=VersionConflictError("10.0.0.2:15000", "config is at version 7", current_version=7),
        c=InvalidConfigError(
            "10.0.0.3:15000", "refused", problems=[ConfigProblem("routes.x", "bad weight")]
        ),
        d=UnauthenticatedError("10.0.0.4:15000", "missing or invalid bearer token"),
        e=UnavailableError("10.0.0.5:15000", "connection refused"),
    )
    heard: list[ApplyProgress] = []
    change = change_of()
    expected = dict.fromkeys("abcde", 1)
    report = await apply_change(
        sidecars.targets(), change, expected, heard.append, client_factory=sidecars
    )
    states = {sid: p.state for sid, p in report.results.items()}
    assert states == {
        "a": "applied",
        "b": "stale",
        "c": "rejected",
        "d": "denied",
        "e": "unreachable",
    }
    assert sorted(p.sidecar_id for p in heard) == list("abcde")
    assert report.results["a"].version == 2
    assert report.results["b"].version == 7 and "reload" in report.results["b"].message
    assert "routes.x: bad weight" in report.results["c"].message
    assert report.results["d"].message.startswith("d (10.0.0.4:15000) refused the admin token")
    assert all("secret-token" not in p.message for p in heard)
    assert (report.ok, report.applied, report.stale, report.failed) == (
        False,
        ["a"],
        ["b"],
        ["c", "d", "e"],
    )
    assert sidecars.sidecars["a"].applied[0][1] == 1  # sent with its expected version
    assert all(s.closed == 1 for s in sidecars.sidecars.values())


async def test_a_sidecar_that_never_answers_is_unreachable_within_the_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(config_ops, "OPERATION_TIMEOUT_S", 0.2)
    sidecars = fleet(fast=None, hung=None)
    sidecars.sidecars["hung"].hang = True
    heard: list[str] = []
    started = time.monotonic()
    report = await apply_change(
        sidecars.targets(),
        change_of(),
        {"fast": 1, "hung": 1},
        lambda p: heard.append(p.sidecar_id),
        client_factory=sidecars,
    )
    assert time.monotonic() - started < 2.0
    assert heard == ["fast", "hung"]  # as each answered, not in the end all at once
    hung = report.results["hung"]
    assert hung.state == "unreachable" and "may or may not have been applied" in hung.message
    assert sidecars.sidecars["hung"].closed == 1


async def test_sidecars_without_a_known_version_or_not_connected_are_not_sent_to() -> None:
    sidecars = fleet(a=None, b=None)
    heard: list[ApplyProgress] = []
    report = await apply_change(
        sidecars.targets(),
        change_of(),
        {"a": 1},
        heard.append,
        only=["b", "gone"],
        client_factory=sidecars,
    )
    assert set(report.results) == {"b", "gone"}
    assert report.results["b"].state == "error" and "not known" in report.results["b"].message
    assert "not among the connected" in report.results["gone"].message
    assert sidecars.sidecars["a"].applied == [] and sidecars.sidecars["b"].applied == []


async def test_fetch_reports_each_sidecar_and_the_newest_config_wins() -> None:
    sidecars = fleet(a=None, b=None, c=UnauthenticatedError("10.0.0.3:15000", "denied"))
    newer = demo_mesh().with_version(5)
    sidecars.sidecars["b"].mesh = newer
    configs = await fetch_configs(sidecars.targets(), sidecars)
    assert configs["a"] == SidecarConfig("a", 1, demo_mesh(), None)
    assert configs["c"].mesh is None and "c (10.0.0.3:15000) refused" in (configs["c"].error or "")
    assert base_config(configs) == (newer, {"a": 1, "b": 5})
    assert lagging(configs) == ["a"]


def test_base_config_of_nothing_and_of_equal_versions() -> None:
    assert base_config({}) == (None, {})
    assert lagging({}) == []
    mesh = demo_mesh()
    configs = {
        "b": SidecarConfig("b", 1, mesh, None),
        "a": SidecarConfig("a", 1, mesh, None),
        "x": SidecarConfig("x", None, None, "x (addr) cannot be reached"),
    }
    assert base_config(configs) == (mesh, {"a": 1, "b": 1})
    assert lagging(configs) == []
