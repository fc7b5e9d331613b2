"""`EdgeKey` is a NamedTuple for cheap hashing; it must still behave as the dataclass did."""

from __future__ import annotations

import pickle

from meshgui.model.types import EdgeKey


def test_edge_keys_are_equal_hashed_and_ordered_field_by_field() -> None:
    key = EdgeKey("web", "cart", "http")
    assert key == EdgeKey("web", "cart", "http") and hash(key) == hash(
        EdgeKey("web", "cart", "http")
    )
    assert key != EdgeKey("web", "cart", "tcp") and key != EdgeKey("cart", "web", "http")
    keys = [EdgeKey("web", "cart", "tcp"), EdgeKey("cart", "web", "http"), key]
    assert sorted(keys) == [EdgeKey("cart", "web", "http"), key, EdgeKey("web", "cart", "tcp")]
    assert {key: 1}[EdgeKey("web", "cart", "http")] == 1


def test_an_edge_key_reads_by_name_and_survives_a_round_trip() -> None:
    key = EdgeKey(source="web", destination="cart", protocol="tcp")
    assert (key.source, key.destination, key.protocol) == ("web", "cart", "tcp")
    assert pickle.loads(pickle.dumps(key)) == key and isinstance(key, EdgeKey)
    assert repr(key) == "EdgeKey(source='web', destination='cart', protocol='tcp')"
