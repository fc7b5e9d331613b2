"""Passive health checking: eject an endpoint after consecutive failures, readmit it later.

Envoy's consecutive-5xx detection. The state lives on `EndpointState`, so balancers skip an
ejected endpoint without asking this module, and ejections survive config swaps.

Ejection limit: at most `max_ejection_percent` of the service's endpoints may be ejected at
once, except that one endpoint may always be ejected when the percent is above zero (Envoy's
rule; otherwise 10% of a small service would round down to nobody). We add one guard Envoy
gets from its panic threshold instead: the last available endpoint is never ejected, because
our balancers have no panic mode and would turn a partial outage into a total one.
"""

from __future__ import annotations

from proxy.policy.endpoint import NOT_EJECTED, EndpointState


class OutlierDetector:
    """Consecutive-failure ejection over one service's endpoints.

    An ejection lasts base_ejection_time * ejection_count (the count includes this ejection),
    capped at max_ejection_time, so an endpoint that keeps failing stays out longer each time.
    The count never decays (Envoy lowers it while the endpoint stays healthy).
    """

    __slots__ = (
        "_endpoints",
        "base_ejection_time",
        "consecutive_failures",
        "enabled",
        "max_ejection_percent",
        "max_ejection_time",
        "overflowed_ejections",
    )

    def __init__(
        self,
        endpoints: tuple[EndpointState, ...],
        consecutive_failures: int = 5,
        base_ejection_time: float = 30.0,
        max_ejection_percent: int = 10,
        enabled: bool = True,
        max_ejection_time: float | None = None,
    ) -> None:
        if max_ejection_time is None:
            # Envoy's default: 300 s, or the base time when that is longer.
            max_ejection_time = max(300.0, base_ejection_time)
        if consecutive_failures < 1:
            raise ValueError(f"consecutive_failures must be >= 1, got {consecutive_failures}")
        if not 0 <= max_ejection_percent <= 100:
            raise ValueError(f"max_ejection_percent must be 0..100, got {max_ejection_percent}")
        if base_ejection_time <= 0 or max_ejection_time < base_ejection_time:
            raise ValueError("need 0 < base_ejection_time <= max_ejection_time")
        self._endpoints = endpoints
        self.consecutive_failures = consecutive_failures
        self.base_ejection_time = base_ejection_time
        self.max_ejection_percent = max_ejection_percent
        self.enabled = enabled
        self.max_ejection_time = max_ejection_time
        # Ejections the limit refused: endpoints that kept failing yet stayed in rotation.
        self.overflowed_ejections = 0

    @property
    def endpoints(self) -> tuple[EndpointState, ...]:
        return self._endpoints

    def on_success(self, ep: EndpointState) -> None:
        ep.consecutive_failures = 0

    def on_failure(self, ep: EndpointState, now: float) -> bool:
        """Count a failure; True when it ejected `ep` (the caller then emits the event)."""
        failures = ep.consecutive_failures + 1
        ep.consecutive_failures = failures
        if failures < self.consecutive_failures or not self.enabled or ep.ejected_until > now:
            return False
        if not self._may_eject(ep, now):
            self.overflowed_ejections += 1
            return False
        ep.ejection_count += 1
        ep.ejected_until = now + min(
            self.base_ejection_time * ep.ejection_count, self.max_ejection_time
        )
        return True

    def readmit_due(self, now: float) -> list[EndpointState]:
        """Endpoints whose ejection has ended, now cleared; call from a periodic tick.

        Balancers already use an endpoint once `ejected_until` has passed; this is where its
        failure streak restarts and the caller learns of the readmission.
        """
        due = [ep for ep in self._endpoints if NOT_EJECTED < ep.ejected_until <= now]
        for ep in due:
            ep.ejected_until = NOT_EJECTED
            ep.consecutive_failures = 0
        return due

    def _may_eject(self, candidate: EndpointState, now: float) -> bool:
        if self.max_ejection_percent == 0:
            return False
        ejected = 0
        others_available = 0
        for ep in self._endpoints:
            if ep.ejected_until > now:
                ejected += 1
            elif not ep.drained and ep is not candidate:
                others_available += 1
        if others_available == 0:
            return False
        if ejected == 0:
            return True
        return (ejected + 1) * 100 <= self.max_ejection_percent * len(self._endpoints)
