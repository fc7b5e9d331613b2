from __future__ import annotations

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from proxy.policy.balancer import RoundRobinBalancer
from proxy.policy.endpoint import EndpointState


def endpoints(*weights: int) -> tuple[EndpointState, ...]:
    return tuple(
        EndpointState(name, "127.0.0.1", 9000 + i, now=0.0, weight=w)
        for i, (name, w) in enumerate(zip("abcdefghijkl", weights, strict=False))
    )


def names(balancer: RoundRobinBalancer, picks: int, now: float = 0.0) -> str:
    out = []
    for _ in range(picks):
        ep = balancer.pick(now)
        assert ep is not None
        out.append(ep.name)
    return "".join(out)


def test_follows_nginx_smooth_sequence() -> None:
    # nginx's documented example: weights 5, 1, 1 give a a b a c a a.
    assert names(RoundRobinBalancer(endpoints(5, 1, 1)), 14) == "aabacaa" * 2


@given(st.lists(st.integers(1, 20), min_size=1, max_size=12))
def test_each_cycle_honours_the_weights_exactly(weights: list[int]) -> None:
    balancer = RoundRobinBalancer(endpoints(*weights))
    counts = Counter(names(balancer, sum(weights)))
    assert [counts[ep] for ep in "abcdefghijkl"[: len(weights)]] == weights


def test_skips_unavailable_endpoints_and_rotates_the_rest() -> None:
    eps = endpoints(1, 1, 1)
    eps[1].ejected_until = 10.0
    balancer = RoundRobinBalancer(eps)
    assert names(balancer, 4, now=5.0) == "acac"
    assert sorted(names(balancer, 3, now=10.0)) == ["a", "b", "c"]


def test_the_failed_endpoint_is_skipped_unless_it_is_all_there_is() -> None:
    eps = endpoints(1, 1)
    balancer = RoundRobinBalancer(eps)
    assert [balancer.pick(0.0, exclude=eps[0]) for _ in range(3)] == [eps[1]] * 3
    eps[1].drained = True
    assert balancer.pick(0.0, exclude=eps[0]) is eps[0]


def test_nothing_available_gives_none() -> None:
    eps = endpoints(1, 1)
    for ep in eps:
        ep.drained = True
    assert RoundRobinBalancer(eps).pick(0.0) is None
    assert RoundRobinBalancer(()).pick(0.0) is None
