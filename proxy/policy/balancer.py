"""Endpoint selection for one service: P2C over peak-EWMA latency, and smooth weighted round robin.

Both are built once per endpoint set (a config change, or a weight change, builds new ones) and
called once per request attempt; the common path builds no lists or objects, only arithmetic.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from itertools import accumulate
from math import exp

from proxy.policy.endpoint import EndpointState

_REDRAW_ATTEMPTS = 3
"""Weighted redraws after an unavailable candidate before the few-available scan takes over."""


class PeakEwmaBalancer:
    """Power of two choices over peak-EWMA latency, as linkerd2-proxy balances.

    Candidates are drawn in proportion to weight and the cheaper one wins, where
    cost = rtt_estimate * (1 + pending * mean_weight / weight); ties go to the first draw. Only
    the load term is scaled by weight: that keeps the split proportional to weight both when
    idle (costs tie, and the weight-drawn first candidate wins) and under load (in-flight counts
    settle in proportion to weight). Dividing the whole cost by weight as well would count weight
    twice: a 90/10 pair would split 99/1. With equal weights this is linkerd's balancer exactly:
    cost estimate * (pending + 1), two distinct candidates drawn uniformly.

    Known bias: at low, sequential load a light endpoint's estimate has decayed longer since its
    last answer, so it wins more pairs than its weight (90/10 weights run about 84/16 at one
    request at a time; exact again from ~10 in flight). Traffic shares between versions belong
    to route weights, which this does not affect.
    """

    __slots__ = (
        "_cumulative",
        "_distinct",
        "_endpoints",
        "_last_index",
        "_load_scale",
        "_random",
        "_single",
    )

    def __init__(
        self, endpoints: tuple[EndpointState, ...], rng: random.Random | None = None
    ) -> None:
        self._endpoints = endpoints
        weights = [ep.weight for ep in endpoints]
        total = float(sum(weights))
        # Normalised so that a draw is bisect(random()) with no multiply; the last bound is
        # exactly 1.0 > random(), so the index is always in range.
        self._cumulative = [c / total for c in accumulate(weights)]
        mean = total / len(weights) if weights else 1.0
        self._load_scale = [mean / w for w in weights]
        # Distinct candidates keep the pair informative, but with unequal weights forcing them
        # apart skews the split towards light endpoints, so only equal weights get them.
        self._distinct = len(set(weights)) == 1 and len(weights) > 1
        self._last_index = len(weights) - 1
        self._random = (rng or random.Random()).random
        # One endpoint is the common sidecar case (a service with one instance, or an inbound
        # listener's app): no draws or costs are needed to choose it.
        self._single = endpoints[0] if len(endpoints) == 1 else None

    @property
    def endpoints(self) -> tuple[EndpointState, ...]:
        return self._endpoints

    def pick(self, now: float, exclude: EndpointState | None = None) -> EndpointState | None:
        """The endpoint for the next attempt, or None when none is available.

        `exclude` (the endpoint that just failed) is chosen only when nothing else is available.
        """
        single = self._single
        if (
            single is not None
            and not single.drained
            and single.ejected_until <= now
            and single is not exclude
        ):
            return single
        cumulative = self._cumulative
        if not cumulative:
            return None
        endpoints = self._endpoints
        rand = self._random
        i = bisect_right(cumulative, rand())
        a = endpoints[i]
        if a.drained or a.ejected_until > now or a is exclude:
            i = self._redraw(now, exclude)
            if i < 0:
                return self._pick_among_available(now, exclude)
            a = endpoints[i]
        if self._distinct:
            j = int(rand() * self._last_index)
            if j >= i:
                j += 1
        else:
            j = bisect_right(cumulative, rand())
        b = endpoints[j]
        if b.drained or b.ejected_until > now or b is exclude:
            j = self._redraw(now, exclude)
            if j < 0:
                # Little else is up: one weighted draw is still a fair pick, and cheaper.
                return a
            b = endpoints[j]
        if b is a:
            return a  # equal costs: the first draw wins, and no exp() is needed to learn it
        scale = self._load_scale
        cost_a = a.rtt_estimate_s * exp((a.rtt_stamp - now) / a.rtt_decay_s)
        cost_a *= 1.0 + a.pending * scale[i]
        cost_b = b.rtt_estimate_s * exp((b.rtt_stamp - now) / b.rtt_decay_s)
        cost_b *= 1.0 + b.pending * scale[j]
        return b if cost_b < cost_a else a

    def _redraw(self, now: float, exclude: EndpointState | None) -> int:
        """Index of an available endpoint by weighted rejection sampling; -1 after a few misses."""
        cumulative = self._cumulative
        endpoints = self._endpoints
        rand = self._random
        for _ in range(_REDRAW_ATTEMPTS):
            i = bisect_right(cumulative, rand())
            ep = endpoints[i]
            if not ep.drained and ep.ejected_until <= now and ep is not exclude:
                return i
        return -1

    def _pick_among_available(
        self, now: float, exclude: EndpointState | None
    ) -> EndpointState | None:
        """The same choice by a linear scan, for when random draws keep hitting unavailable ones."""
        candidates = [
            i
            for i, ep in enumerate(self._endpoints)
            if ep is not exclude and not ep.drained and ep.ejected_until <= now
        ]
        if not candidates:
            if exclude is not None and exclude.is_available(now):
                return exclude
            return None
        endpoints = self._endpoints
        cumulative = list(accumulate(endpoints[i].weight for i in candidates))
        total = cumulative[-1]
        rand = self._random
        i = candidates[bisect_right(cumulative, rand() * total)]
        j = candidates[bisect_right(cumulative, rand() * total)]
        a, b = endpoints[i], endpoints[j]
        scale = self._load_scale
        cost_a = a.rtt_estimate(now) * (1.0 + a.pending * scale[i])
        cost_b = b.rtt_estimate(now) * (1.0 + b.pending * scale[j])
        return b if cost_b < cost_a else a


class RoundRobinBalancer:
    """Smooth weighted round robin (nginx): weights honoured exactly, picks spread evenly.

    Each pick raises every available endpoint's running score by its weight, takes the highest,
    and lowers the winner by the total; over any window of sum(weights) picks with a stable
    available set, each endpoint is picked exactly `weight` times, interleaved.
    """

    __slots__ = ("_endpoints", "_rows", "_scores")

    def __init__(self, endpoints: tuple[EndpointState, ...]) -> None:
        self._endpoints = endpoints
        self._rows = tuple((i, ep, ep.weight) for i, ep in enumerate(endpoints))
        self._scores = [0] * len(endpoints)

    @property
    def endpoints(self) -> tuple[EndpointState, ...]:
        return self._endpoints

    def pick(self, now: float, exclude: EndpointState | None = None) -> EndpointState | None:
        """The next endpoint in weighted rotation, or None when none is available.

        `exclude` is skipped unless it is the only available endpoint.
        """
        scores = self._scores
        best = -1
        best_score = 0
        total = 0
        for i, ep, weight in self._rows:
            if ep.drained or ep.ejected_until > now or ep is exclude:
                continue
            score = scores[i] + weight
            scores[i] = score
            total += weight
            if best < 0 or score > best_score:
                best = i
                best_score = score
        if best < 0:
            if exclude is not None and exclude.is_available(now):
                return exclude
            return None
        scores[best] = best_score - total
        return self._endpoints[best]
