"""Snapshots, endpoint states and events -> proto -> client models, field by field."""

from __future__ import annotations

import dataclasses

import pytest

from proxy.admin.convert import (
    BoundsMismatchError,
    endpoint_message,
    event_message,
    histogram_message,
    snapshot_message,
)
from proxy.admin.from_proto import event_from_proto, stats_from_proto
from proxy.admin.models import (
    ConfigAppliedEvent,
    DrainChangedEvent,
    EndpointEjectedEvent,
    EndpointReadmittedEvent,
)
from proxy.admin.v1 import admin_pb2 as pb
from proxy.events import ConfigApplied, DrainChanged, EndpointEjected, EndpointReadmitted
from proxy.policy.endpoint import EndpointState
from proxy.telemetry import LATENCY_BUCKETS_MS, HistogramSnapshot, StatsRegistry, Workload

WEB = Workload("web", instance="web-1")
INVENTORY = Workload("inventory", version="v2", instance="inventory-2")
DB = Workload("inventory-db", instance="db-1")


def recorded_registry() -> StatsRegistry:
    stats = StatsRegistry(WEB, wall_clock=lambda: 1_700_000_000.0)
    edge = stats.http_edge("source", WEB, INVENTORY)
    edge.record(200, "-", 3.0, 10, 200)
    edge.record(200, "-", 7.0, 0, 100)
    edge.record(503, "UO", 0.2, 0, 0)
    edge.in_flight = 2
    edge.add_retry()
    edge.record_recovery(40.0)
    tcp = stats.tcp_edge("source", WEB, DB)
    tcp.connection_opened()
    tcp.add_received(11)
    tcp.add_sent(22)
    return stats


def test_a_snapshot_survives_proto_and_back() -> None:
    stats = recorded_registry()
    endpoint = EndpointState("inventory-2", "127.0.0.1", 9002, now=100.0, weight=3)
    endpoint.labels = {"version": "v2"}
    message = snapshot_message(
        stats.snapshot(), [endpoint], {"inventory-2": "inventory"}, config_version=7, now=100.0
    )
    snapshot = stats_from_proto(pb.StatsSnapshot.FromString(message.SerializeToString()))
    assert snapshot.taken_at == 1_700_000_000.0 and snapshot.config_version == 7
    (edge,) = snapshot.http_edges
    assert edge.reporter == "source"
    source = edge.source
    assert (source.service, source.version, source.instance) == ("web", None, "web-1")
    assert (edge.destination.version, edge.destination.instance) == ("v2", "inventory-2")
    assert [(r.code, r.flags, r.count) for r in edge.responses] == [(200, "-", 2), (503, "UO", 1)]
    ok = edge.responses[0]
    assert ok.duration_ms.bounds == LATENCY_BUCKETS_MS
    assert (ok.duration_ms.sum, ok.duration_ms.count) == (10.0, 2)
    assert sum(ok.duration_ms.counts) == 2
    assert len(ok.duration_ms.counts) == len(LATENCY_BUCKETS_MS) + 1
    assert (ok.request_bytes.sum, ok.response_bytes.sum) == (10.0, 300.0)
    assert (edge.in_flight, edge.retries, edge.recovery_ms.count) == (2, 1, 1)
    assert edge.requests == 3
    (tcp,) = snapshot.tcp_edges
    assert (tcp.opened, tcp.in_flight, tcp.received_bytes, tcp.sent_bytes) == (1, 1, 11, 22)
    (status,) = snapshot.endpoints
    assert (status.name, status.service) == ("inventory-2", "inventory")
    assert status.address == "127.0.0.1:9002"
    assert status.healthy and status.ejected_until is None and status.weight == 3
    assert status.labels == {"version": "v2"}
    assert status.rtt_estimate_ms == pytest.approx(30.0)


def test_bounds_travel_once_per_snapshot_not_per_histogram() -> None:
    message = snapshot_message(recorded_registry().snapshot(), [], {}, config_version=1, now=0.0)
    assert list(message.latency_bounds_ms) == list(LATENCY_BUCKETS_MS)
    assert not any(field.name == "bounds" for field in pb.Histogram.DESCRIPTOR.fields)


def test_a_histogram_with_other_bounds_is_refused() -> None:
    odd = HistogramSnapshot((1.0, 2.0), (0, 0, 0), 0.0, 0)
    with pytest.raises(BoundsMismatchError):
        histogram_message(odd, LATENCY_BUCKETS_MS)


def test_an_ejected_endpoint_says_until_when_in_wall_clock_time() -> None:
    endpoint = EndpointState("inventory-1", "127.0.0.1", 9001, now=50.0)
    endpoint.ejected_until = 80.0
    endpoint.ejection_count = 2
    endpoint.drained = True
    endpoint.pending = 4
    message = endpoint_message(endpoint, "inventory", now=60.0, wall_now=1000.0)
    assert not message.healthy and message.ejected_until == pytest.approx(1020.0)
    assert (message.ejection_count, message.drained, message.pending) == (2, True, 4)
    assert endpoint_message(endpoint, "inventory", now=90.0, wall_now=1030.0).healthy


@pytest.mark.parametrize(
    ("event", "model"),
    [
        (ConfigApplied(3, "alice", at=5.0), ConfigAppliedEvent(at=5.0, version=3, by="alice")),
        (
            EndpointEjected("inventory", "inventory-1", 30.0, at=6.0),
            EndpointEjectedEvent(
                at=6.0, service="inventory", endpoint="inventory-1", duration_s=30.0
            ),
        ),
        (
            EndpointReadmitted("inventory", "inventory-1", at=7.0),
            EndpointReadmittedEvent(at=7.0, service="inventory", endpoint="inventory-1"),
        ),
        (
            DrainChanged("self", True, at=8.0),
            DrainChangedEvent(at=8.0, target="self", drained=True),
        ),
    ],
)
def test_every_event_kind_survives_proto_and_back(event: object, model: object) -> None:
    message = event_message(event, missed=0)  # type: ignore[arg-type]
    assert event_from_proto(pb.Event.FromString(message.SerializeToString())) == model


def test_missed_events_are_reported_on_the_next_one() -> None:
    message = event_message(DrainChanged("self", False, at=1.0), missed=4)
    converted = event_from_proto(message)
    assert converted is not None and converted.missed == 4


def test_an_event_kind_from_a_newer_sidecar_is_skipped() -> None:
    assert event_from_proto(pb.Event(at=1.0)) is None


def test_snapshot_dataclasses_stay_what_convert_expects() -> None:
    # convert.py reads these fields by name; a rename there must fail here, not in production.
    names = {field.name for field in dataclasses.fields(HistogramSnapshot)}
    assert names == {"bounds", "counts", "sum", "count"}
