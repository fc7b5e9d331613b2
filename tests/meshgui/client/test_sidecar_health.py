"""Which sidecars are missing, since when and why: kept until each one connects, whatever order
the client's signals come in."""

from __future__ import annotations

from meshgui.client.sidecar_health import SidecarHealth, duration_text
from meshgui.client.targets import SidecarTarget

T0 = 1000.0
TARGETS = [
    SidecarTarget("web-1", "127.0.0.1:41001"),
    SidecarTarget("inventory-2", "127.0.0.1:9"),
    SidecarTarget("127.0.0.1:41005", "127.0.0.1:41005"),  # known by its address alone
]


def at(when: float) -> str:
    return f"t{when - T0:.0f}"


def started() -> SidecarHealth:
    health = SidecarHealth()
    health.start(TARGETS, T0)
    return health


def test_every_sidecar_is_missing_until_it_answers() -> None:
    health = started()
    assert health.headline() == "3 of 3 sidecars not connected"
    assert health.summary(T0 + 5, at).splitlines() == [
        "3 of 3 sidecars not connected:",
        "web-1 (127.0.0.1:41001): no answer yet — no answer since t0 (5 s)",
        "inventory-2 (127.0.0.1:9): no answer yet — no answer since t0 (5 s)",
        "127.0.0.1:41005: no answer yet — no answer since t0 (5 s)",
    ]
    for target in TARGETS:
        health.connected(target.sidecar_id, T0 + 1)
    assert health.summary(T0 + 5, at) == "All 3 sidecars connected"


def test_a_failure_is_named_without_repeating_the_address() -> None:
    health = started()
    health.connected("web-1", T0 + 1)
    row = health.failed("inventory-2", "127.0.0.1:9: connection refused; retrying in 4 s", T0 + 2)
    assert row is not None
    assert row.failure_text() == "inventory-2 (127.0.0.1:9): connection refused; retrying in 4 s"
    lines = health.summary(T0 + 65, at).splitlines()
    assert lines[0] == "2 of 3 sidecars not connected:"
    assert lines[1] == (
        "inventory-2 (127.0.0.1:9): connection refused; retrying in 4 s"
        " — no answer since t0 (1 min 05 s)"
    )
    assert health.failed("not-shown", "x", T0) is None


def test_a_lost_sidecar_counts_from_when_it_was_last_seen_and_forgets_old_errors() -> None:
    health = started()
    health.connected("web-1", T0 + 1)
    health.disconnected("web-1", T0 + 10)
    health.failed("web-1", "127.0.0.1:41001: connection refused; retrying in 1.0 s", T0 + 12)
    row = health.row("web-1")
    assert row is not None and row.state_text() == "disconnected"
    assert row.problem_line(T0 + 40, at) == (
        "web-1 (127.0.0.1:41001): connection refused; retrying in 1.0 s — last seen t10, 30 s ago"
    )
    health.connected("web-1", T0 + 50)
    health.disconnected("web-1", T0 + 60)
    assert (
        health.row("web-1")
        .problem_line(T0 + 61, at)
        .startswith(  # type: ignore[union-attr]
            "web-1 (127.0.0.1:41001): no data — last seen t60"
        )
    )


def test_the_watchdogs_disconnect_of_a_sidecar_never_seen_keeps_its_start() -> None:
    health = started()
    health.disconnected("inventory-2", T0 + 3.5)  # the client says this after stale_after
    assert "no answer since t0" in health.summary(T0 + 4, at)


def test_a_long_list_is_cut_and_counted() -> None:
    health = SidecarHealth()
    health.start([SidecarTarget(f"web-{n}", f"10.0.0.{n}:1") for n in range(30)], T0)
    lines = health.summary(T0, at, limit=20).splitlines()
    assert len(lines) == 22
    assert lines[-1] == "… and 10 more (View > Sidecar Status)"
    health.clear()
    assert health.summary(T0) == "Not connected to a mesh"


def test_durations() -> None:
    assert [duration_text(s) for s in (-1, 4.6, 65, 7260)] == [
        "0 s",
        "5 s",
        "1 min 05 s",
        "2 h 01 min",
    ]
