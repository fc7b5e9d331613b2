"""The inventory database's line protocol."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from meshgui.demo.kv_protocol import (
    KvProtocolError,
    answer,
    initial_stock,
    mget_request,
    parse_values,
)


def test_get_mget_set_and_ping() -> None:
    store = {"sku-1": 17}
    assert answer(store, b"GET sku-1") == b"VALUE 17\n"
    assert answer(store, b"GET sku-9") == b"NOT_FOUND\n"
    assert answer(store, b"SET sku-9 4") == b"OK\n" and store["sku-9"] == 4
    assert answer(store, b"MGET sku-1 sku-2 sku-9") == b"VALUES 17 -1 4\n"
    assert answer(store, b"ping") == b"PONG\n"


def test_nonsense_gets_an_error_line_not_a_crash() -> None:
    store: dict[str, int] = {}
    assert answer(store, b"").startswith(b"ERROR")
    assert answer(store, b"SET sku-1 many").startswith(b"ERROR")
    assert answer(store, b"\xff\xfe").startswith(b"ERROR")
    assert store == {}


@given(st.binary(max_size=200))
def test_every_request_line_gets_exactly_one_answer_line(line: bytes) -> None:
    reply = answer(initial_stock(10), line.replace(b"\n", b""))
    assert reply.endswith(b"\n") and reply.count(b"\n") == 1


def test_values_round_trip_and_a_wrong_answer_is_refused() -> None:
    store = initial_stock()
    keys = ["sku-1", "sku-11", "sku-404"]
    reply = answer(store, mget_request(keys).rstrip(b"\n"))
    assert parse_values(reply, 3) == [store["sku-1"], 0, None]
    with pytest.raises(KvProtocolError):
        parse_values(b"VALUE 3\n", 1)
    with pytest.raises(KvProtocolError):
        parse_values(b"VALUES 1 2\n", 3)
