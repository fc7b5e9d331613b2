"""Which sidecars of the shown mesh are not connected, since when, and the last error of each.

The status bar says "Sidecars 6/8"; this says which two and why. It follows the client's
signals (connected, disconnected, failed) for one mesh at a time, so a failure stays named until
that sidecar connects, however many other messages the status bar shows meanwhile. Qt-free and
clock-free: every call takes the wall time it is about, so tests need no clock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from meshgui.client.targets import SidecarTarget
from meshgui.clock_time import clock_time

TOOLTIP_ROWS = 20
"""More lines than this make a tooltip taller than a screen; the rest is counted."""


def duration_text(seconds: float) -> str:
    """A duration as people say it: "45 s", "3 min 05 s", "2 h 10 min"."""
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


@dataclass(slots=True)
class SidecarHealthRow:
    """One sidecar as the client last heard of it."""

    sidecar_id: str
    address: str
    since: float
    """Wall time: since when it is connected, or not (last seen alive; or when trying began)."""
    connected: bool = False
    ever_connected: bool = False
    last_error: str | None = None
    """The last failure, without the address ("connection refused; retrying in 4 s")."""

    @property
    def name(self) -> str:
        """Id and address, "inventory-2 (127.0.0.1:9)"; the address alone when that is the id."""
        if self.sidecar_id == self.address:
            return self.address
        return f"{self.sidecar_id} ({self.address})"

    def state_text(self) -> str:
        if self.connected:
            return "connected"
        return "disconnected" if self.ever_connected else "never answered"

    def since_text(self, now: float, time_text: Callable[[float], str] = clock_time) -> str:
        """Like "last seen 14:02:11, 1 min 20 s ago" or "no answer since 14:02:11 (1 min 20 s)"."""
        age = duration_text(now - self.since)
        if self.connected:
            return f"connected since {time_text(self.since)}"
        if self.ever_connected:
            return f"last seen {time_text(self.since)}, {age} ago"
        return f"no answer since {time_text(self.since)} ({age})"

    def failure_text(self) -> str:
        """Like "inventory-2 (127.0.0.1:9): connection refused; retrying in 4 s"."""
        return f"{self.name}: {self.last_error or self.state_text()}"

    def problem_line(self, now: float, time_text: Callable[[float], str] = clock_time) -> str:
        """One line of the tooltip: who, why, since when."""
        why = self.last_error or ("no data" if self.ever_connected else "no answer yet")
        return f"{self.name}: {why} — {self.since_text(now, time_text)}"


class SidecarHealth:
    """The sidecars of one mesh, keyed by sidecar id, in the order they were given."""

    def __init__(self) -> None:
        self._rows: dict[str, SidecarHealthRow] = {}

    def start(self, targets: Iterable[SidecarTarget], now: float) -> None:
        """A new mesh: every sidecar is being tried from `now` on."""
        self._rows = {t.sidecar_id: SidecarHealthRow(t.sidecar_id, t.address, now) for t in targets}

    def clear(self) -> None:
        self._rows = {}

    @property
    def total(self) -> int:
        return len(self._rows)

    def row(self, sidecar_id: str) -> SidecarHealthRow | None:
        return self._rows.get(sidecar_id)

    def connected(self, sidecar_id: str, at: float) -> None:
        row = self._rows.get(sidecar_id)
        if row is not None:
            row.connected = row.ever_connected = True
            row.since, row.last_error = at, None

    def disconnected(self, sidecar_id: str, at: float) -> None:
        """`at`: when it was last known alive (or when trying began, if it never answered)."""
        row = self._rows.get(sidecar_id)
        if row is not None and row.connected:
            row.connected = False
            row.since = at

    def failed(self, sidecar_id: str, message: str, at: float) -> SidecarHealthRow | None:
        """Remember the failure; returns the sidecar's row (None for a sidecar not shown)."""
        row = self._rows.get(sidecar_id)
        if row is not None:
            prefix = f"{row.address}: "
            row.last_error = message[len(prefix) :] if message.startswith(prefix) else message
        return row

    def rows(self) -> list[SidecarHealthRow]:
        return list(self._rows.values())

    def not_connected(self) -> list[SidecarHealthRow]:
        return [row for row in self._rows.values() if not row.connected]

    def headline(self) -> str:
        """Like "3 of 8 sidecars not connected" or "All 8 sidecars connected"."""
        if not self._rows:
            return "Not connected to a mesh"
        down = len(self.not_connected())
        if not down:
            return f"All {self.total} sidecars connected"
        return f"{down} of {self.total} sidecars not connected"

    def summary(
        self, now: float, time_text: Callable[[float], str] = clock_time, limit: int = TOOLTIP_ROWS
    ) -> str:
        """The Sidecars label's tooltip: every sidecar not connected, with why and since when."""
        down = self.not_connected()
        if not down:
            return self.headline()
        lines = [f"{self.headline()}:"]
        lines += [row.problem_line(now, time_text) for row in down[:limit]]
        if len(down) > limit:
            lines.append(f"… and {len(down) - limit} more (View > Sidecar Status)")
        return "\n".join(lines)
