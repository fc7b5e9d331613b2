"""The live state one sidecar keeps about one upstream endpoint.

Balancers read it, outlier detection and the request path write it. It outlives any one routing
table: a config change builds new balancers over the same `EndpointState` objects, so latency
estimates, in-flight counts and ejections survive make-before-break swaps.
"""

from __future__ import annotations

import math
from math import exp

DEFAULT_RTT_S = 0.030
"""linkerd2-proxy's prior for an endpoint that has not answered yet."""

DEFAULT_RTT_DECAY_S = 10.0
"""linkerd2-proxy's peak-EWMA decay: how long a past latency keeps weighing on the estimate."""

NOT_EJECTED = -math.inf


class EndpointState:
    """One upstream endpoint as this sidecar sees it: identity, load, latency and health.

    `rtt_estimate_s` is a peak-EWMA: a slower sample replaces it at once, a faster one pulls it
    down exponentially with the time since the previous update (`rtt_stamp`).
    """

    __slots__ = (
        "consecutive_failures",
        "drained",
        "ejected_until",
        "ejection_count",
        "host",
        "labels",
        "name",
        "pending",
        "pool",
        "port",
        "rtt_decay_s",
        "rtt_estimate_s",
        "rtt_stamp",
        "weight",
    )

    def __init__(
        self,
        name: str,
        host: str,
        port: int,
        *,
        now: float,
        weight: int = 1,
        labels: dict[str, str] | None = None,
        default_rtt_s: float = DEFAULT_RTT_S,
        rtt_decay_s: float = DEFAULT_RTT_DECAY_S,
    ) -> None:
        # `now` is required: the prior decays from the moment the endpoint appears, and a made-up
        # stamp such as 0.0 would make every new endpoint look idle-fast and draw a burst.
        if weight < 1:
            raise ValueError(f"endpoint {name}: weight must be >= 1, got {weight}")
        if default_rtt_s <= 0 or rtt_decay_s <= 0:
            raise ValueError(f"endpoint {name}: default_rtt_s and rtt_decay_s must be > 0")
        self.name = name
        self.host = host
        self.port = port
        self.weight = weight
        self.labels: dict[str, str] = {} if labels is None else labels
        self.drained = False
        self.pending = 0
        self.rtt_estimate_s = default_rtt_s
        self.rtt_stamp = now
        self.rtt_decay_s = rtt_decay_s
        self.consecutive_failures = 0
        self.ejected_until = NOT_EJECTED
        self.ejection_count = 0
        self.pool: object | None = None

    def __repr__(self) -> str:
        return f"EndpointState({self.name!r}, {self.host}:{self.port}, weight={self.weight})"

    def is_available(self, now: float) -> bool:
        """True when new requests may go here: not drained and not (still) ejected."""
        return not self.drained and self.ejected_until <= now

    def is_ejected(self, now: float) -> bool:
        return self.ejected_until > now

    def on_request_start(self) -> None:
        self.pending += 1

    def on_request_end(self, rtt_s: float, now: float, failed: bool) -> None:
        """Close one in-flight request and fold its round-trip time into the estimate."""
        self.pending -= 1
        estimate = self.rtt_estimate_s
        if rtt_s > estimate:
            self.rtt_estimate_s = rtt_s
        elif not failed:
            # A fast failure (refused, instant 503) must not make a broken endpoint look fast
            # and attract more traffic, so only successes may pull the estimate down.
            decay = exp((self.rtt_stamp - now) / self.rtt_decay_s)
            self.rtt_estimate_s = estimate * decay + rtt_s * (1.0 - decay)
        self.rtt_stamp = now

    def rtt_estimate(self, now: float) -> float:
        """The estimate as balancers see it at `now`: decayed toward zero while nothing answers.

        tower's PeakEwma does the same on every load read; without it an endpoint that looked
        slow once would never be picked again, and so never get the chance to look fast.
        """
        return self.rtt_estimate_s * exp((self.rtt_stamp - now) / self.rtt_decay_s)
