"""Label values on the `/metrics` page, as the Istio metrics contract fixes them."""

from __future__ import annotations

from proxy.telemetry import UNKNOWN_WORKLOAD, StatsRegistry, Workload
from tests.proxy.telemetry.contract import INVENTORY_A, WEB, busy_registry, page_of
from tests.proxy.telemetry.prom_text import parse


def test_outbound_labels_follow_the_contract() -> None:
    page = page_of(busy_registry())
    (ok,) = [
        s for s in page.named("istio_requests_total")
        if s.labels["reporter"] == "source" and s.labels["response_code"] == "200"
    ]  # fmt: skip
    assert ok.labels == {
        "reporter": "source",
        "source_workload": "web-v1",
        "source_workload_namespace": "default",
        "source_principal": "unknown",
        "source_app": "web",
        "source_version": "v1",
        "source_canonical_service": "web",
        "source_canonical_revision": "v1",
        "source_cluster": "Kubernetes",
        "destination_workload": "inventory-v1",
        "destination_workload_namespace": "default",
        "destination_principal": "unknown",
        "destination_app": "inventory",
        "destination_version": "v1",
        "destination_service": "inventory.default.svc.cluster.local",
        "destination_service_name": "inventory",
        "destination_service_namespace": "default",
        "destination_canonical_service": "inventory",
        "destination_canonical_revision": "v1",
        "destination_cluster": "Kubernetes",
        "request_protocol": "http",
        "response_code": "200",
        "grpc_response_status": "",
        "response_flags": "-",
        "connection_security_policy": "unknown",
    }
    assert ok.value == 1


def test_failures_keep_their_code_and_flags() -> None:
    page = page_of(busy_registry())
    outcomes = {
        (s.labels["response_code"], s.labels["response_flags"])
        for s in page.named("istio_requests_total")
        if s.labels["reporter"] == "source"
    }
    assert outcomes == {("200", "-"), ("503", "UO"), ("0", "UF")}


def test_inbound_from_an_unknown_peer() -> None:
    page = page_of(busy_registry())
    (inbound,) = [
        s for s in page.named("istio_requests_total") if s.labels["reporter"] == "destination"
    ]
    labels = inbound.labels
    assert (
        labels["source_workload"] == labels["source_app"] == labels["source_version"] == "unknown"
    )
    assert labels["source_workload_namespace"] == "unknown"
    assert labels["source_canonical_service"] == "unknown"
    assert labels["source_canonical_revision"] == "latest"
    assert labels["destination_workload"] == "web-v1"
    assert labels["connection_security_policy"] == "none"


def test_unversioned_and_unknown_destinations() -> None:
    stats = StatsRegistry(WEB)
    stats.http_edge("source", WEB, Workload("cart", namespace="shop")).record(200, "-", 1, 0, 0)
    stats.http_edge("source", WEB, UNKNOWN_WORKLOAD).record(0, "NR", 1, 0, 0)
    by_name = {
        s.labels["destination_service_name"]: s.labels
        for s in page_of(stats).named("istio_requests_total")
    }
    assert by_name["cart"]["destination_version"] == "unknown"
    assert by_name["cart"]["destination_canonical_revision"] == "latest"
    assert by_name["cart"]["destination_workload"] == "cart"
    assert by_name["cart"]["destination_service"] == "cart.shop.svc.cluster.local"
    assert by_name["cart"]["destination_service_namespace"] == "shop"
    assert by_name["unknown"]["destination_service"] == "unknown"
    assert by_name["unknown"]["destination_workload_namespace"] == "unknown"


def test_label_values_are_escaped() -> None:
    odd = Workload('we"ird\\svc\nname', namespace="ns", version='v"1')
    stats = StatsRegistry(WEB, version='1.0\n"beta"')
    stats.http_edge("source", WEB, odd).record(200, 'U"F\\', 1.0, 0, 0)
    text = stats.render_prometheus()
    page = parse(text)
    (sample,) = page.named("istio_requests_total")
    assert sample.labels["destination_app"] == 'we"ird\\svc\nname'
    assert sample.labels["destination_version"] == 'v"1'
    assert sample.labels["response_flags"] == 'U"F\\'
    assert page.named("istio_build")[0].labels["tag"] == '1.0\n"beta"'
    assert 'destination_app="we\\"ird\\\\svc\\nname"' in text


def test_empty_flags_render_as_none() -> None:
    stats = StatsRegistry(WEB)
    stats.http_edge("source", WEB, INVENTORY_A).record(200, "", 1.0, 0, 0)
    (sample,) = page_of(stats).named("istio_requests_total")
    assert sample.labels["response_flags"] == "-"
