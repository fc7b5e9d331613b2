"""What the outbound and inbound listeners put on the wire, byte for byte, and what they record."""

from __future__ import annotations

import re

from tests.proxy.http.fakes import NGINX_HEAD, OK, PEER_LINE, plane, response

ONE = {"inventory": {"endpoints": [{"name": "inv-1", "address": "127.0.0.1:9001"}]}}
REQUEST_ID = re.compile(rb"x-request-id: ([0-9a-f]{32})\r\n")


def forwarded(head_lines: bytes, request_id: bytes, forwarded_for: bytes = b"10.0.0.7") -> bytes:
    return (
        head_lines
        + b"x-request-id: "
        + request_id
        + b"\r\nx-forwarded-for: "
        + forwarded_for
        + b"\r\n"
        + PEER_LINE
        + b"\r\n"
    )


def test_a_plain_get_is_forwarded_with_mesh_headers_and_answered_raw() -> None:
    p = plane(ONE)
    (up,) = p.upstream("127.0.0.1:9001")
    client = p.client()
    client.send(b"GET /items?x=1 HTTP/1.1\r\nHost: inventory\r\nUser-Agent: t/1\r\n\r\n")
    sent = up.transport.take()
    found = REQUEST_ID.search(sent)
    assert found is not None, sent
    start = b"GET /items?x=1 HTTP/1.1\r\nHost: inventory\r\nUser-Agent: t/1\r\n"
    assert sent == forwarded(start, found.group(1))
    up.answer(OK)
    assert client.take() == OK
    [counter] = p.counters("inventory")
    assert (counter.code, counter.flags, counter.count) == (200, "-", 1)
    assert counter.request_bytes.sum == len(sent)
    assert counter.response_bytes.sum == len(OK)
    assert p.rt.pool_for("127.0.0.1", 9001).take_idle() is up.conn  # back in the pool
    assert p.endpoint("inventory", "inv-1").pending == 0


def test_request_ids_differ_between_requests() -> None:
    p = plane(ONE)
    (up,) = p.upstream("127.0.0.1:9001")
    client = p.client()
    ids = set()
    for _ in range(3):
        client.send(b"GET / HTTP/1.1\r\nHost: inventory\r\n\r\n")
        found = REQUEST_ID.search(up.transport.take())
        assert found is not None
        ids.add(found.group(1))
        up.answer(OK)
    assert len(ids) == 3


def test_hop_by_hop_and_connection_named_headers_are_not_forwarded() -> None:
    p = plane(ONE)
    (up,) = p.upstream("127.0.0.1:9001")
    client = p.client()
    client.send(
        b"GET / HTTP/1.1\r\nHost: inventory\r\nConnection: keep-alive, X-Secret\r\n"
        b"Keep-Alive: 5\r\nX-Secret: s\r\nTE: trailers\r\nProxy-Authorization: b\r\n"
        b"X-Keep: k\r\nx-mesh-peer: forged;x;y;z\r\nX-Request-ID: abc\r\n"
        b"X-Forwarded-For: 1.2.3.4\r\n\r\n"
    )
    sent = up.transport.take()
    assert sent == forwarded(
        b"GET / HTTP/1.1\r\nHost: inventory\r\nX-Keep: k\r\n", b"abc", b"1.2.3.4, 10.0.0.7"
    )


def test_a_header_named_like_a_connection_option_is_dropped_in_any_case() -> None:
    p = plane(ONE)
    (up,) = p.upstream("127.0.0.1:9001")
    p.client().send(
        b"GET / HTTP/1.1\r\nHost: inventory\r\nx-trace: 1\r\nConnection: X-TRACE\r\n\r\n"
    )
    sent = up.transport.take()
    assert b"x-trace" not in sent.lower() and sent.startswith(b"GET / HTTP/1.1\r\nHost:")


def test_header_names_keep_their_case() -> None:
    p = plane(ONE)
    (up,) = p.upstream("127.0.0.1:9001")
    p.client().send(b"GET / HTTP/1.1\r\nhOsT: inventory\r\nX-MiXed: V a l\r\n\r\n")
    sent = up.transport.take()
    assert sent.startswith(b"GET / HTTP/1.1\r\nhOsT: inventory\r\nX-MiXed: V a l\r\nx-request-id")


def test_a_chunked_body_is_reframed_for_the_upstream() -> None:
    p = plane(ONE)
    (up,) = p.upstream("127.0.0.1:9001")
    client = p.client()
    client.send(b"POST /echo HTTP/1.1\r\nHost: inventory\r\nTransfer-Encoding: chunked\r\n\r\n")
    client.send(b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
    sent = up.transport.take()
    head, body = sent.split(b"\r\n\r\n", 1)
    assert head.startswith(b"POST /echo HTTP/1.1\r\nHost: inventory\r\nTransfer-Encoding: chunked")
    assert body == b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
    up.answer(OK)
    assert client.take() == OK
    [counter] = p.counters("inventory")
    assert counter.request_bytes.sum == len(sent) - len(b"0\r\n\r\n")  # the last chunk is not


def test_a_sized_body_follows_the_head() -> None:
    p = plane(ONE)
    (up,) = p.upstream("127.0.0.1:9001")
    client = p.client()
    client.send(b"PUT /x HTTP/1.1\r\nHost: inventory\r\nContent-Length: 10\r\n\r\n01234")
    client.send(b"56789")
    sent = up.transport.take()
    assert sent.endswith(b"\r\n\r\n0123456789")
    assert b"Content-Length: 10\r\n" in sent


def test_expect_continue_is_answered_by_the_proxy_and_not_forwarded() -> None:
    p = plane(ONE)
    (up,) = p.upstream("127.0.0.1:9001")
    client = p.client()
    client.send(
        b"POST / HTTP/1.1\r\nHost: inventory\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n"
    )
    assert client.take() == b"HTTP/1.1 100 Continue\r\n\r\n"
    client.send(b"hi")
    sent = up.transport.take()
    assert b"expect" not in sent.lower() and sent.endswith(b"\r\n\r\nhi")


def test_pipelined_requests_are_sent_one_at_a_time_and_answered_in_order() -> None:
    p = plane(ONE)
    (up,) = p.upstream("127.0.0.1:9001")
    client = p.client()
    client.send(
        b"GET /a HTTP/1.1\r\nHost: inventory\r\n\r\nGET /b HTTP/1.1\r\nHost: inventory\r\n\r\n"
    )
    assert up.transport.take().startswith(b"GET /a ")
    up.answer(response(200, b"A"))
    assert up.transport.take().startswith(b"GET /b ")
    up.answer(response(200, b"B"))
    assert client.take() == response(200, b"A") + response(200, b"B")


def test_hop_by_hop_response_headers_are_removed_and_close_is_honoured() -> None:
    p = plane(ONE)
    (up,) = p.upstream("127.0.0.1:9001")
    client = p.client()
    client.send(b"GET / HTTP/1.1\r\nHost: inventory\r\n\r\n")
    up.answer(
        b"HTTP/1.1 200 OK\r\nConnection: close\r\nKeep-Alive: timeout=5\r\nX-App: 1\r\n"
        b"Content-Length: 2\r\n\r\nok"
    )
    assert client.take() == b"HTTP/1.1 200 OK\r\nX-App: 1\r\nContent-Length: 2\r\n\r\nok"
    assert up.transport.closed  # the upstream said close: not pooled
    assert p.rt.pool_for("127.0.0.1", 9001).take_idle() is None


def test_each_hop_by_hop_response_header_is_found() -> None:
    for line in (b"Upgrade: h2c", b"TE: x", b"Trailer: x", b"Proxy-Authenticate: x"):
        p = plane(ONE)
        (up,) = p.upstream("127.0.0.1:9001")
        client = p.client()
        client.send(b"GET / HTTP/1.1\r\nHost: inventory\r\n\r\n")
        up.answer(response(200, b"ok", line + b"\r\n"))
        assert client.take() == response(200, b"ok"), line


def test_keep_alive_connection_header_passes_through_untouched() -> None:
    p = plane(ONE)
    (up,) = p.upstream("127.0.0.1:9001")
    client = p.client()
    client.send(b"GET / HTTP/1.1\r\nHost: inventory\r\n\r\n")
    up.answer(OK)
    assert client.take() == OK and NGINX_HEAD.endswith(b"Connection: keep-alive\r\n\r\n")


def test_a_response_in_pieces_is_forwarded_whole_and_the_connection_reused() -> None:
    p = plane(ONE)
    (up,) = p.upstream("127.0.0.1:9001")
    client = p.client()
    client.send(b"GET / HTTP/1.1\r\nHost: inventory\r\n\r\n")
    for piece in (OK[:10], OK[10:40], OK[40:-2], OK[-2:]):
        up.answer(piece)
    assert client.take() == OK
    assert p.rt.pool_for("127.0.0.1", 9001).take_idle() is up.conn


def test_interim_responses_are_not_forwarded() -> None:
    p = plane(ONE)
    (up,) = p.upstream("127.0.0.1:9001")
    client = p.client()
    client.send(b"GET / HTTP/1.1\r\nHost: inventory\r\n\r\n")
    up.answer(b"HTTP/1.1 100 Continue\r\n\r\n")
    up.answer(b"HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n" + OK[:20])
    up.answer(OK[20:])
    assert client.take() == OK
    [counter] = p.counters("inventory")
    assert counter.code == 200


def test_a_head_response_ends_without_a_body_and_is_not_reused() -> None:
    p = plane(ONE)
    (up,) = p.upstream("127.0.0.1:9001")
    client = p.client()
    client.send(b"HEAD / HTTP/1.1\r\nHost: inventory\r\n\r\n")
    up.answer(NGINX_HEAD)
    assert client.take() == NGINX_HEAD
    assert up.transport.closed
    assert p.outcomes("inventory") == [(200, "-", 1)]


def test_an_unknown_host_is_answered_404_by_the_mesh_and_counted_as_unknown() -> None:
    p = plane(ONE)
    client = p.client()
    client.send(b"GET / HTTP/1.1\r\nHost: nowhere\r\n\r\n")
    answer = client.take()
    assert answer.startswith(b"HTTP/1.1 404 ") and b"x-mesh-error: no-route\r\n" in answer
    assert p.outcomes("unknown") == [(404, "NR", 1)]


def test_a_target_that_is_not_a_path_finds_no_route() -> None:
    p = plane(ONE)
    client = p.client()
    client.send(b"OPTIONS * HTTP/1.1\r\nHost: inventory\r\n\r\n")
    assert client.take().startswith(b"HTTP/1.1 404 ")


def test_host_with_a_port_or_in_upper_case_finds_the_service() -> None:
    for host in (b"inventory:80", b"INVENTORY", b"inventory.default.svc.cluster.local"):
        p = plane(ONE)
        (up,) = p.upstream("127.0.0.1:9001")
        p.client().send(b"GET / HTTP/1.1\r\nHost: %s\r\n\r\n" % host)
        assert up.transport.take().startswith(b"GET / HTTP/1.1\r\nHost: %s\r\n" % host), host


def test_a_head_over_the_limit_is_refused_with_431_and_close() -> None:
    p = plane(ONE, max_header_bytes=200)
    client = p.client()
    client.send(b"GET / HTTP/1.1\r\nHost: inventory\r\nX-Big: " + b"a" * 300 + b"\r\n\r\n")
    assert client.transport.data.startswith(b"HTTP/1.1 431 ")
    assert client.transport.closed


def test_a_malformed_request_is_refused_with_400_and_close() -> None:
    p = plane(ONE)
    client = p.client()
    client.send(b"GARBAGE\r\n\r\n")
    assert client.transport.data.startswith(b"HTTP/1.1 400 ")
    assert client.transport.closed


def test_connection_close_from_the_client_closes_after_the_answer() -> None:
    p = plane(ONE)
    (up,) = p.upstream("127.0.0.1:9001")
    client = p.client()
    client.send(b"GET / HTTP/1.1\r\nHost: inventory\r\nConnection: close\r\n\r\n")
    assert not client.transport.closed
    up.answer(OK)
    assert client.take() == OK
    assert client.transport.closed


def test_the_inbound_listener_records_the_calling_peer_and_adds_only_a_request_id() -> None:
    p = plane(ONE)
    (app,) = p.upstream("127.0.0.1:7000")
    client = p.client(p.inbound("127.0.0.1:7000"))
    client.send(
        b"GET /x HTTP/1.1\r\nHost: web\r\nx-mesh-peer: shop;prod;v2;shop-1\r\n"
        b"x-request-id: r1\r\nx-forwarded-for: 10.0.0.1\r\n\r\n"
    )
    assert app.transport.take() == (
        b"GET /x HTTP/1.1\r\nHost: web\r\nx-forwarded-for: 10.0.0.1\r\nx-request-id: r1\r\n\r\n"
    )
    app.answer(OK)
    assert client.take() == OK
    [edge] = [e for e in p.edges("web") if e.reporter == "destination"]
    assert (edge.source.service, edge.source.namespace, edge.source.version) == (
        "shop",
        "prod",
        "v2",
    )
    assert [(c.code, c.count) for c in edge.responses()] == [(200, 1)]


def test_many_headers_are_forwarded_in_order() -> None:
    p = plane(ONE)
    (up,) = p.upstream("127.0.0.1:9001")
    lines = b"".join(b"X-H%d: v%d\r\n" % (i, i) for i in range(40))
    p.client().send(b"GET / HTTP/1.1\r\nHost: inventory\r\n" + lines + b"\r\n")
    assert up.transport.take().startswith(b"GET / HTTP/1.1\r\nHost: inventory\r\n" + lines)


def test_a_request_without_headers_finds_no_route() -> None:
    p = plane(ONE)
    client = p.client()
    client.send(b"GET / HTTP/1.0\r\n\r\n")
    assert client.take().startswith(b"HTTP/1.1 404 ")


def test_the_last_of_several_host_headers_routes_and_all_are_forwarded() -> None:
    p = plane(ONE)
    (up,) = p.upstream("127.0.0.1:9001")
    p.client().send(b"GET / HTTP/1.1\r\nHost: elsewhere\r\nHost: inventory\r\n\r\n")
    assert up.transport.take().startswith(
        b"GET / HTTP/1.1\r\nHost: elsewhere\r\nHost: inventory\r\nx-request-id: "
    )


def test_connection_options_drop_forwarded_headers_but_not_what_the_mesh_reads() -> None:
    p = plane(ONE)
    (up,) = p.upstream("127.0.0.1:9001")
    p.client().send(
        b"GET / HTTP/1.1\r\nHost: inventory\r\nX-Request-Id: keep-me\r\nX-A: 1\r\n"
        b"Connection: x-request-id, host, CLOSE\r\nClose: 1\r\n\r\n"
    )
    sent = up.transport.take()
    assert sent.startswith(b"GET / HTTP/1.1\r\nX-A: 1\r\nx-request-id: keep-me\r\n"), sent


def test_no_edge_to_unknown_until_a_call_has_no_route() -> None:
    p = plane(ONE)
    unknown = [e for e in p.stats.http_edges() if e.destination.service == "unknown"]
    assert unknown == []  # an idle sidecar reports no empty edge to "unknown"
    client = p.client()
    client.send(b"GET / HTTP/1.1\r\nHost: nowhere\r\n\r\n")
    assert b"x-mesh-error: no-route" in client.take()
    unknown = [e for e in p.stats.http_edges() if e.destination.service == "unknown"]
    assert len(unknown) == 1
