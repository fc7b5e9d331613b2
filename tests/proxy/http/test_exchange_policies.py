"""An exchange under policy: retries, timeouts, the breaker, resets, ejection, route matching."""

from __future__ import annotations

from typing import Any

from tests.proxy.http.fakes import OK, Plane, Upstream, plane, response

GET = b"GET / HTTP/1.1\r\nHost: inventory\r\n\r\n"
SINGLE = {"name": "inv-1", "address": "127.0.0.1:9001"}


def routes(**route: Any) -> dict[str, Any]:
    return {"inventory": [{"backends": [{"service": "inventory"}], **route}]}


def two_upstreams(p: Plane) -> tuple[Upstream, Upstream]:
    (a,) = p.upstream("127.0.0.1:9001")
    (b,) = p.upstream("127.0.0.1:9002")
    return a, b


def first_and_other(a: Upstream, b: Upstream) -> tuple[Upstream, Upstream]:
    """The upstream that received the request, and the other one."""
    if a.transport.written:
        assert not b.transport.written
        return a, b
    assert b.transport.written
    return b, a


def test_retry_after_a_503_reaches_the_other_endpoint_and_counts_a_retry() -> None:
    p = plane(routes=routes(retry={"attempts": 2, "backoff_base": "0s", "backoff_max": "0s"}))
    a, b = two_upstreams(p)
    client = p.client()
    client.send(GET)
    first, other = first_and_other(a, b)
    first.transport.take()
    first.answer(response(503, b"busy"))
    assert first.transport.closed  # a held-back answer leaves the connection dirty
    assert other.transport.take().startswith(b"GET / HTTP/1.1\r\n")
    other.answer(OK)
    assert client.take() == OK
    assert p.outcomes("inventory") == [(200, "-", 1)]
    assert sum(edge.retries for edge in p.edges("inventory")) == 1
    assert sum(edge.recovery.count for edge in p.edges("inventory")) == 1


def test_a_retry_waits_for_its_backoff() -> None:
    p = plane(routes=routes(retry={"attempts": 2, "backoff_base": "1s", "backoff_max": "1s"}))
    a, b = two_upstreams(p)
    client = p.client()
    client.send(GET)
    first, other = first_and_other(a, b)
    first.answer(response(503))
    assert not other.transport.written
    p.loop.advance(1.0)
    assert other.transport.written
    other.answer(OK)
    assert client.take() == OK


def test_no_retry_without_a_retry_policy_and_the_app_error_passes_unmarked() -> None:
    p = plane()
    a, b = two_upstreams(p)
    client = p.client()
    client.send(GET)
    first, other = first_and_other(a, b)
    first.answer(response(503, b"busy"))
    assert client.take() == response(503, b"busy")
    assert not other.transport.written
    assert p.outcomes("inventory") == [(503, "-", 1)]


def test_the_route_timeout_answers_504_and_drops_the_upstream_connection() -> None:
    p = plane(routes=routes(timeout="1s"))
    a, b = two_upstreams(p)
    client = p.client()
    client.send(GET)
    first, _ = first_and_other(a, b)
    p.loop.advance(0.9)
    assert client.take() == b""
    p.loop.advance(0.2)
    answer = client.take()
    assert answer.startswith(b"HTTP/1.1 504 ") and b"x-mesh-error: upstream-timeout" in answer
    assert first.transport.closed
    assert p.outcomes("inventory") == [(504, "UT", 1)]


def test_a_later_request_on_a_kept_alive_connection_still_times_out() -> None:
    p = plane(routes=routes(timeout="1s"))
    a, b = two_upstreams(p)
    client = p.client()
    client.send(GET)
    first, _ = first_and_other(a, b)
    first.transport.take()
    p.loop.advance(0.5)
    first.answer(OK)
    assert client.take() == OK
    p.loop.advance(0.3)
    client.send(GET)  # the second request's deadline is later than the first's
    p.loop.advance(0.9)
    assert client.take() == b""
    p.loop.advance(0.2)
    assert client.take().startswith(b"HTTP/1.1 504 ")


def test_a_shorter_route_timeout_on_a_later_request_is_honoured() -> None:
    p = plane(
        routes={
            "inventory": [
                {"match": {"path_prefix": "/slow"}, "backends": [{"service": "inventory"}]},
                {"backends": [{"service": "inventory"}], "timeout": "1s"},
            ]
        }
    )
    a, b = two_upstreams(p)
    client = p.client()
    client.send(b"GET /slow HTTP/1.1\r\nHost: inventory\r\n\r\n")  # 15 s default timeout
    first, _ = first_and_other(a, b)
    first.answer(OK)
    assert client.take() == OK
    client.send(GET)
    p.loop.advance(1.1)
    assert client.take().startswith(b"HTTP/1.1 504 ")


def test_a_per_try_timeout_moves_on_to_another_endpoint() -> None:
    retry = {"attempts": 2, "per_try_timeout": "0.5s", "backoff_base": "0s", "backoff_max": "0s"}
    p = plane(routes=routes(retry=retry, timeout="5s"))
    a, b = two_upstreams(p)
    client = p.client()
    client.send(GET)
    first, other = first_and_other(a, b)
    p.loop.advance(0.6)
    assert first.transport.closed
    assert other.transport.written
    other.answer(OK)
    assert client.take() == OK


def test_the_breaker_refuses_requests_over_the_limit() -> None:
    services = {
        "inventory": {
            "endpoints": [{"name": "inv-1", "address": "127.0.0.1:9001"}],
            "circuit_breaker": {"max_requests": 1},
        }
    }
    p = plane(services)
    (up,) = p.upstream("127.0.0.1:9001")
    first, second = p.client(), p.client()
    first.send(GET)
    second.send(GET)
    answer = second.take()
    assert answer.startswith(b"HTTP/1.1 503 ") and b"x-mesh-error: overflow" in answer
    up.answer(OK)
    assert first.take() == OK
    assert p.table.destinations["inventory"].breaker.active == 0
    assert p.outcomes("inventory") == [(200, "-", 1), (503, "UO", 1)]


def test_an_upstream_reset_mid_response_aborts_the_client() -> None:
    p = plane()
    a, b = two_upstreams(p)
    client = p.client()
    client.send(GET)
    first, _ = first_and_other(a, b)
    first.answer(OK[:-3])  # the head and part of the body
    first.lose()
    assert client.transport.aborted
    assert client.transport.data == OK[:-3]
    assert p.outcomes("inventory") == [(200, "UC", 1)]


def test_a_reset_before_any_answer_is_a_502() -> None:
    p = plane()
    a, b = two_upstreams(p)
    client = p.client()
    client.send(GET)
    first, _ = first_and_other(a, b)
    first.lose()
    answer = client.take()
    assert answer.startswith(b"HTTP/1.1 502 ") and b"x-mesh-error: upstream-reset" in answer


def test_a_stale_pooled_connection_is_replaced_without_using_up_an_attempt() -> None:
    services = {"inventory": {"endpoints": [{"name": "inv-1", "address": "127.0.0.1:9001"}]}}
    p = plane(services)
    fresh, stale = p.upstream("127.0.0.1:9001", count=2)
    stale.conn.reused = True  # taken last-in first-out: the stale one goes first
    client = p.client()
    client.send(GET)
    assert stale.transport.written and not fresh.transport.written
    stale.lose()
    assert fresh.transport.data.startswith(b"GET / HTTP/1.1\r\n")
    fresh.answer(OK)
    assert client.take() == OK
    assert p.outcomes("inventory") == [(200, "-", 1)]


def test_consecutive_failures_eject_an_endpoint() -> None:
    services = {
        "inventory": {
            "endpoints": [
                {"name": "inv-1", "address": "127.0.0.1:9001"},
                {"name": "inv-2", "address": "127.0.0.1:9002"},
            ],
            "outlier_detection": {"consecutive_failures": 2, "max_ejection_percent": 50},
        }
    }
    p = plane(services)
    a, b = two_upstreams(p)
    client = p.client()
    for _ in range(10):
        if p.ejected:
            break
        client.send(GET)
        first, _ = first_and_other(a, b)
        first.transport.take()
        first.answer(response(500))
        client.take()
    assert len(p.ejected) == 1
    ejected = p.endpoint("inventory", p.ejected[0])
    assert ejected.ejected_until > p.loop.time()


def test_a_success_resets_the_failure_streak() -> None:
    p = plane({"inventory": {"endpoints": [SINGLE]}})
    (up,) = p.upstream("127.0.0.1:9001")
    client = p.client()
    client.send(GET)
    up.answer(response(500))
    assert p.endpoint("inventory", "inv-1").consecutive_failures == 1
    client.send(GET)
    up.answer(OK)
    assert p.endpoint("inventory", "inv-1").consecutive_failures == 0


def test_the_latency_estimate_follows_answers() -> None:
    p = plane({"inventory": {"endpoints": [SINGLE]}})
    (up,) = p.upstream("127.0.0.1:9001")
    ep = p.endpoint("inventory", "inv-1")
    client = p.client()
    client.send(GET)
    assert ep.pending == 1
    p.loop.advance(0.5)  # slower than the 30 ms prior: replaces it at once
    up.answer(OK)
    assert ep.pending == 0
    assert ep.rtt_estimate_s == 0.5
    client.send(GET)
    p.loop.advance(0.001)
    up.answer(OK)
    assert 0.001 < ep.rtt_estimate_s < 0.5


def test_a_client_that_goes_away_is_counted_with_code_0_and_flag_dc() -> None:
    p = plane({"inventory": {"endpoints": [SINGLE]}})
    (up,) = p.upstream("127.0.0.1:9001")
    client = p.client()
    client.send(GET)
    client.conn.connection_lost(None)
    assert up.transport.closed
    assert p.outcomes("inventory") == [(0, "DC", 1)]
    assert p.endpoint("inventory", "inv-1").pending == 0


def test_no_available_endpoint_is_a_503_marked_no_healthy_endpoint() -> None:
    p = plane({"inventory": {"endpoints": [{**SINGLE, "drained": True}]}})
    client = p.client()
    client.send(GET)
    answer = client.take()
    assert answer.startswith(b"HTTP/1.1 503 ") and b"no-healthy-endpoint" in answer
    assert p.outcomes("inventory") == [(503, "UH", 1)]


def test_routes_match_on_headers_method_and_path_in_order() -> None:
    services = {
        "inventory": {"endpoints": [SINGLE]},
        "canary": {"endpoints": [{"name": "can-1", "address": "127.0.0.1:9003"}]},
    }
    inventory = {"service": "inventory"}
    rules = {
        "inventory": [
            {"match": {"headers": {"x-canary": "1"}}, "backends": [{"service": "canary"}]},
            {"match": {"method": "DELETE"}, "backends": [{"service": "canary"}]},
            {"match": {"path_prefix": "/beta"}, "backends": [{"service": "canary"}]},
            {"backends": [inventory]},
        ]
    }
    p = plane(services, rules)
    (inv,) = p.upstream("127.0.0.1:9001")
    (can,) = p.upstream("127.0.0.1:9003")
    cases = [
        (b"GET / HTTP/1.1\r\nHost: inventory\r\nX-Canary: 1\r\n\r\n", can),
        (b"GET / HTTP/1.1\r\nHost: inventory\r\nX-Canary: 2\r\n\r\n", inv),
        (b"DELETE /x HTTP/1.1\r\nHost: inventory\r\n\r\n", can),
        (b"GET /beta/x?y HTTP/1.1\r\nHost: INVENTORY:8080\r\n\r\n", can),
        (b"GET /?/beta HTTP/1.1\r\nHost: inventory\r\n\r\n", inv),
        (b"GET / HTTP/1.1\r\nHost: inventory\r\nConnection: x-canary\r\nX-Canary: 1\r\n\r\n", can),
    ]
    for request, expected in cases:
        client = p.client()
        client.send(request)
        assert expected.transport.take(), request
        expected.answer(OK)
        assert client.take() == OK


def test_a_weighted_split_reaches_both_services() -> None:
    services = {
        "inventory": {"endpoints": [SINGLE]},
        "canary": {"endpoints": [{"name": "can-1", "address": "127.0.0.1:9003"}]},
    }
    split = {"backends": [{"service": "inventory", "weight": 1}, {"service": "canary"}]}
    p = plane(services, {"inventory": [split]})
    (inv,) = p.upstream("127.0.0.1:9001")
    (can,) = p.upstream("127.0.0.1:9003")
    seen = {"inventory": 0, "canary": 0}
    client = p.client()
    for _ in range(40):
        client.send(GET)
        target, name = (inv, "inventory") if inv.transport.written else (can, "canary")
        target.transport.take()
        target.answer(OK)
        seen[name] += 1
    assert seen["inventory"] > 5 and seen["canary"] > 5


def test_a_connection_keeps_one_wheel_entry_and_leaves_the_wheel_when_closed() -> None:
    p = plane({"inventory": {"endpoints": [SINGLE]}}, routes(timeout="1s"))
    (up,) = p.upstream("127.0.0.1:9001")
    client = p.client()
    for _ in range(5):
        client.send(GET)
        up.answer(OK)
        p.loop.advance(0.1)
    assert len(p.rt.timers) == 1  # not one per request, and none cancelled per request
    client.conn.connection_lost(None)
    assert len(p.rt.timers) == 0


def test_an_idle_connection_stops_the_wheel_after_its_last_deadline() -> None:
    p = plane({"inventory": {"endpoints": [SINGLE]}}, routes(timeout="1s"))
    (up,) = p.upstream("127.0.0.1:9001")
    client = p.client()
    client.send(GET)
    up.answer(OK)
    p.loop.advance(2.0)
    assert len(p.rt.timers) == 0
    assert not [h for h in p.loop.handles if not h.cancelled]
    assert client.take() == OK and not client.transport.closed
