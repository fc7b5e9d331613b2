"""TopologyView and EdgeHistory to standard JSON and back; bad input named by its path."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from meshgui.model.json_reader import CodecError
from meshgui.model.types import EdgeHistory, EdgeKey, NodeHealth
from meshgui.model.view_codec import (
    dumps,
    history_from_json,
    history_to_json,
    view_from_json,
    view_to_json,
)
from tests.meshgui.views.fakes import WEB_CART, history, retail_view, stats


def round_trip(data: Any) -> Any:
    return json.loads(dumps(data))


def test_a_view_comes_back_equal() -> None:
    view = retail_view()
    assert view_from_json(round_trip(view_to_json(view))) == view


def test_nan_becomes_null_so_the_json_is_standard() -> None:
    view = retail_view()
    edges = dict(view.edges)
    edges[WEB_CART] = replace(edges[WEB_CART], stats=stats(0.0, math.nan, None))
    text = dumps(view_to_json(replace(view, edges=edges, newest_data_at=None)))
    assert "NaN" not in text
    back = view_from_json(json.loads(text))
    assert math.isnan(back.edges[WEB_CART].stats.error_pct)
    assert back.edges[WEB_CART].stats.p99_ms is None
    assert back.newest_data_at is None


def test_the_text_is_stable_whatever_the_mapping_order() -> None:
    view = retail_view()
    reordered = replace(
        view,
        nodes=dict(reversed(list(view.nodes.items()))),
        edges=dict(reversed(list(view.edges.items()))),
    )
    assert dumps(view_to_json(reordered)) == dumps(view_to_json(view))


def test_a_history_keeps_its_gaps_and_drops_float32_noise() -> None:
    original = history(20)
    original.rps[3] = float(np.float32(10.3))
    key, back = history_from_json(round_trip(history_to_json(WEB_CART, original)))
    assert key == WEB_CART
    encoded = history_to_json(WEB_CART, original)
    assert encoded["t"][0] == int(original.t[0])  # whole seconds are written as integers
    assert encoded["req_per_s"][3] == 10.3
    assert np.array_equal(np.isnan(back.rps), np.isnan(original.rps))
    assert np.allclose(back.p99_ms, original.p99_ms, atol=1e-4)
    assert np.array_equal(back.t, original.t)


def test_fractional_times_stay_exact() -> None:
    t = np.array([0.5, 1.25, 2.0]) + 1_700_000_000
    original = EdgeHistory(t, t * 0, t * 0, t * 0, t * 0, t * 0)
    assert np.array_equal(
        history_from_json(round_trip(history_to_json(WEB_CART, original)))[1].t, t
    )


def test_the_share_of_tries_that_failed_travels_when_the_history_has_it() -> None:
    t = np.array([1.0, 2.0, 3.0]) + 1_700_000_000
    plain = EdgeHistory(t, t * 0, t * 0, t * 0, t * 0, t * 0)
    assert (
        history_from_json(round_trip(history_to_json(WEB_CART, plain)))[1].tries_failed_pct is None
    )
    with_tries = replace(plain, tries_failed_pct=np.array([0.0, 12.5, np.nan]))
    back = history_from_json(round_trip(history_to_json(WEB_CART, with_tries)))[1]
    assert back.tries_failed_pct is not None
    assert np.array_equal(back.tries_failed_pct, [0.0, 12.5, np.nan], equal_nan=True)


def mangled(path: list[Any], value: Any) -> dict[str, Any]:
    data: Any = round_trip(view_to_json(retail_view()))
    target = data
    for step in path[:-1]:
        target = target[step]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return dict(data)


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (["nodes", 0, "health"], "purple", r"nodes\[0\]\.health: 'purple' is not one of healthy"),
        (["nodes", 1, "instances", 0, "state"], 3, r"nodes\[1\]\.instances\[0\]\.state: 3 is"),
        (["nodes", 2, "rps_in"], "fast", r"nodes\[2\]\.rps_in: expected a number"),
        (["edges", 0, "protocol"], "udp", r"edges\[0\]\.protocol: 'udp' is not one of http, tcp"),
        (["edges", 3, "stats"], KeyError, r"edges\[3\]\.stats: missing"),
        (["edges", 1, "stats", "in_flight"], -1, r"edges\[1\]\.stats\.in_flight: expected a whole"),
        (["sidecars_total"], True, r"sidecars_total: expected a whole number"),
        (["nodes"], {}, r"nodes: expected a list"),
    ],
)
def test_bad_view_data_is_named_by_path(path: list[Any], value: Any, message: str) -> None:
    with pytest.raises(CodecError, match=message):
        view_from_json(mangled(path, value))


def test_a_duplicate_node_or_edge_is_refused() -> None:
    data = mangled(["sidecars_total"], 6)
    data["edges"].append(data["edges"][0])
    with pytest.raises(CodecError, match=r"edges\[6\]: the edge .* appears twice"):
        view_from_json(data)
    data = mangled(["sidecars_total"], 6)
    data["nodes"].append(data["nodes"][0])
    with pytest.raises(CodecError, match=r"nodes\[6\]\.name: 'cart' appears twice"):
        view_from_json(data)


def test_not_an_object_is_refused() -> None:
    with pytest.raises(CodecError, match="the document: expected an object"):
        view_from_json([1, 2])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"p99_ms": [1.0]}, r"edges\[4\]\.p99_ms: 1 values for 3 times"),
        ({"t": [3, 2, 1]}, r"edges\[4\]\.t: times must be numbers in increasing order"),
        ({"req_per_s": KeyError}, r"edges\[4\]\.req_per_s: missing"),
        ({"req_per_s": ["a", "b", "c"]}, r"edges\[4\]\.req_per_s: expected a list of numbers"),
        ({"req_per_s": [[1], [2], [3]]}, r"edges\[4\]\.req_per_s: expected a list of numbers"),
        ({"protocol": "quic"}, r"edges\[4\]\.protocol: 'quic' is not one of"),
    ],
)
def test_bad_history_data_is_named_by_path(change: dict[str, Any], message: str) -> None:
    t = np.array([1.0, 2.0, 3.0])
    data = round_trip(history_to_json(EdgeKey("a", "b", "http"), EdgeHistory(t, t, t, t, t, t)))
    data.update(change)
    for name, value in change.items():
        if value is KeyError:
            del data[name]
    with pytest.raises(CodecError, match=message):
        history_from_json(data, "edges[4]")


def test_health_names_are_the_enum_values() -> None:
    data = view_to_json(retail_view())
    assert {node["health"] for node in data["nodes"]} <= {h.value for h in NodeHealth}


def test_version_nodes_keep_their_service_and_version() -> None:
    view = retail_view()
    split = replace(view.nodes["cart"], name="inventory@v1", service="", version=None)
    assert (split.service, split.version) == ("inventory", "v1")
    with_versions = replace(view, nodes={**view.nodes, "inventory@v1": split})
    data = round_trip(view_to_json(with_versions))
    assert view_from_json(data) == with_versions
    for node in data["nodes"]:  # an older bundle without them: derived from the node id
        del node["service"], node["version"]
    assert view_from_json(data).nodes["inventory@v1"].version == "v1"
