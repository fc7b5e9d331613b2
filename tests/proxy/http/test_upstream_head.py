"""Response heads: hop-by-hop headers are found in the raw bytes and removed on the slow path."""

from __future__ import annotations

from proxy.http.upstream import has_hop_by_hop
from proxy.http.wire import HOP_BY_HOP

PLAIN = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nServer: x\r\n\r\nok"


def test_plain_head_keeps_the_fast_path() -> None:
    assert not has_hop_by_hop(PLAIN)
    assert not has_hop_by_hop(PLAIN.replace(b"Server: x", b"Connection: keep-alive"))
    assert not has_hop_by_hop(PLAIN.replace(b"Server: x", b"CONNECTION:  Keep-Alive "))


def test_hop_by_hop_headers_are_found() -> None:
    assert has_hop_by_hop(PLAIN.replace(b"Server: x", b"Connection: close"))
    assert has_hop_by_hop(PLAIN.replace(b"Server: x", b"Keep-Alive: timeout=5"))
    assert has_hop_by_hop(PLAIN.replace(b"Server: x", b"Upgrade: h2c"))


def test_body_bytes_do_not_count() -> None:
    body = b"\r\nConnection: close"
    raw = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
    assert not has_hop_by_hop(raw)


def test_every_hop_by_hop_name_is_found_in_any_case() -> None:
    for name in HOP_BY_HOP - {b"connection"}:
        for spelling in (name, name.upper(), name.title()):
            assert has_hop_by_hop(PLAIN.replace(b"Server", spelling)), spelling
    assert not has_hop_by_hop(PLAIN.replace(b"Server", b"Tex"))
    assert not has_hop_by_hop(PLAIN.replace(b"Server", b"X-Upgrade"))


def test_a_second_connection_header_that_is_not_keep_alive_counts() -> None:
    both = PLAIN.replace(b"Server: x", b"Connection: keep-alive\r\nConnection: close")
    assert has_hop_by_hop(both)
    assert not has_hop_by_hop(PLAIN.replace(b"Server: x", b"Connection:\tkeep-alive"))
    assert has_hop_by_hop(PLAIN.replace(b"Server: x", b"Connection: keep-alive, Upgrade"))


def test_a_head_still_arriving_is_searched_as_far_as_it_goes() -> None:
    assert has_hop_by_hop(b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Le")
