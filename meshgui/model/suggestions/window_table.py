"""Calls over one stretch of time, per reported edge: what the rules ask for a service's callers,
one edge, or a service's instances."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable

from meshgui.model.suggestions.counters import RowKey
from meshgui.model.suggestions.traffic import TrafficStats
from proxy.telemetry import LATENCY_BUCKETS_MS


class WindowTable:
    """Increases over [start, end] per reported edge, summed over the sidecars reporting it."""

    def __init__(self, start: float, end: float, rows: dict[RowKey, TrafficStats]) -> None:
        self.start, self.end = start, end
        self.rows = rows
        self._bounds = next(iter(rows.values())).bounds if rows else LATENCY_BUCKETS_MS
        self._by_destination: dict[str, list[RowKey]] = {}
        self._instances: dict[str, dict[str, TrafficStats]] = {}
        for key in rows:
            self._by_destination.setdefault(key.destination_service, []).append(key)

    def total(self, keys: Iterable[RowKey]) -> TrafficStats:
        result = TrafficStats.empty(self._bounds)
        for key in keys:
            result = result + self.rows[key]
        return result

    def select(self, destination: str, keep: Callable[[RowKey], bool]) -> list[RowKey]:
        return [key for key in self._by_destination.get(destination, ()) if keep(key)]

    def toward(
        self,
        destination: str,
        reporter: str = "source",
        instances: Collection[str] | None = None,
        *,
        unplaced: bool = True,
    ) -> TrafficStats:
        """Calls to `destination` as `reporter` counted them; only those reaching `instances`
        when given (plus the calls that reached no instance at all, when `unplaced`)."""

        def keep(key: RowKey) -> bool:
            if key.reporter != reporter:
                return False
            if instances is None or key.destination_instance in instances:
                return True
            return unplaced and key.destination_instance is None

        return self.total(self.select(destination, keep))

    def callers(self, destination: str) -> set[str]:
        """Services whose own sidecars reported calls to `destination`."""
        return {
            key.source_service
            for key in self.select(destination, lambda key: key.reporter == "source")
            if self.rows[key].requests
        }

    def edge(self, source: str, destination: str) -> TrafficStats:
        """Calls from service `source` to `destination`, as the caller's sidecars counted them,
        or as the callee's did when no caller sidecar reported any."""
        for reporter in ("source", "destination"):
            keys = [
                key
                for key in self._by_destination.get(destination, ())
                if key.reporter == reporter and key.source_service == source
            ]
            stats = self.total(keys)
            if stats.requests:
                return stats
        return TrafficStats.empty(self._bounds)

    def instances(self, service: str) -> dict[str, TrafficStats]:
        """Tries per instance of `service`: as the instance's own sidecar counted them, or, for
        an instance whose sidecar reported nothing, as its callers' sidecars saw them."""
        cached = self._instances.get(service)
        if cached is None:
            cached = self._instances[service] = self._count_instances(service)
        return cached

    def _count_instances(self, service: str) -> dict[str, TrafficStats]:
        own: dict[str, TrafficStats] = {}
        seen_by_callers: dict[str, TrafficStats] = {}
        for key in self._by_destination.get(service, ()):
            instance = key.destination_instance
            if instance is None:
                continue
            stats = self.rows[key]
            if key.reporter == "destination":
                own[instance] = own[instance] + stats if instance in own else stats
            elif key.reporter == "source":
                tries = stats.as_tries()
                previous = seen_by_callers.get(instance)
                seen_by_callers[instance] = tries if previous is None else previous + tries
        result = dict(seen_by_callers)
        result.update((instance, stats) for instance, stats in own.items() if stats.requests)
        return result
