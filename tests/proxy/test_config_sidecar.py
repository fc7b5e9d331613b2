"""SidecarSettings and SidecarFile: defaults, listener clashes, TCP destinations, the token."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from proxy.config import (
    ConfigError,
    Limits,
    SidecarSettings,
    TokenSource,
    check_config_main,
    load_sidecar_file,
    parse_sidecar_document,
)

SAMPLE = Path(__file__).parents[2] / "resources" / "samples" / "mesh-sidecar.yaml"


def sidecar_file(**sidecar: Any) -> dict[str, Any]:
    return {
        "sidecar": {"service": "web", "instance": "web-1", **sidecar},
        "mesh": {
            "services": {
                "cart": {"endpoints": [{"name": "cart-1", "address": "127.0.0.1:17006"}]},
                "db": {"protocol": "tcp"},
            }
        },
    }


def problems_of(document: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(ConfigError) as caught:
        parse_sidecar_document(document)
    return {problem.path: problem.reason for problem in caught.value.problems}


def test_the_sample_file_loads() -> None:
    loaded = load_sidecar_file(SAMPLE)
    assert loaded.sidecar.service == "web" and loaded.sidecar.app == "127.0.0.1:8080"
    assert loaded.sidecar.tcp_outbound == {"inventory-db": "127.0.0.1:15011"}
    assert loaded.sidecar.token == TokenSource(env="MESH_ADMIN_TOKEN")
    assert loaded.mesh.version == 7
    assert loaded.mesh.routes["inventory"][0].retry is not None


def test_check_config_summarises_a_good_file(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert check_config_main(SAMPLE, out=out, err=err) == 0
    assert out.getvalue() == f"OK: {SAMPLE}: mesh version 7, 2 services, 2 routes\n"
    assert err.getvalue() == ""


def test_check_config_prints_every_problem_of_a_bad_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("sidecar:\n  service: Web\n  instance: web_1\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert check_config_main(bad, out=out, err=err) == 1
    lines = err.getvalue().splitlines()
    assert [line.split(": ")[1] for line in lines] == ["sidecar.service", "sidecar.instance"]
    assert all(line.startswith(f"{bad}: ") for line in lines)
    assert out.getvalue() == ""


def test_sidecar_defaults_are_the_documented_ones() -> None:
    settings = SidecarSettings(service="web", instance="web-1")
    assert (settings.outbound, settings.inbound) == ("127.0.0.1:15001", "127.0.0.1:15006")
    assert (settings.admin, settings.metrics) == ("127.0.0.1:15000", "127.0.0.1:15090")
    assert settings.app is None and settings.token is None and settings.state_dir is None
    assert settings.namespace == "default" and settings.drain_timeout == 20.0
    assert settings.limits == Limits(
        max_header_bytes=65536,
        header_timeout=10,
        idle_timeout=60,
        retry_buffer_bytes=65536,
        max_connections=10000,
        connect_timeout=2,
    )


def test_listeners_must_be_distinct() -> None:
    problems = problems_of(sidecar_file(inbound="127.0.0.1:15001"))
    assert problems == {
        "sidecar.inbound": "127.0.0.1:15001 clashes with sidecar.outbound (127.0.0.1:15001)"
    }


def test_a_wildcard_listener_clashes_with_loopback_on_the_same_port() -> None:
    problems = problems_of(sidecar_file(metrics="0.0.0.0:15000"))
    assert "sidecar.admin" in problems["sidecar.metrics"]


def test_port_zero_listeners_do_not_clash() -> None:
    document = sidecar_file(outbound="127.0.0.1:0", inbound="127.0.0.1:0", app="127.0.0.1:8080")
    assert parse_sidecar_document(document).sidecar.inbound == "127.0.0.1:0"


def test_tcp_outbound_listener_clash_names_the_destination() -> None:
    problems = problems_of(sidecar_file(tcp_outbound={"db": "127.0.0.1:15001"}))
    assert "sidecar.tcp_outbound.db" in problems


def test_tcp_outbound_keys_must_name_tcp_services_of_the_mesh() -> None:
    problems = problems_of(
        sidecar_file(tcp_outbound={"nope": "127.0.0.1:15011", "cart": "127.0.0.1:15012"})
    )
    assert problems == {
        "sidecar.tcp_outbound.nope": "no service named 'nope' in mesh.services",
        "sidecar.tcp_outbound.cart": "cart is an http service, not tcp",
    }


def test_token_source_needs_exactly_one_of_env_or_file() -> None:
    assert problems_of(sidecar_file(token={})) == {
        "sidecar.token": "give exactly one of 'env' or 'file'"
    }
    both = problems_of(sidecar_file(token={"env": "A", "file": "/a"}))
    assert "sidecar.token" in both


def test_token_is_read_from_the_environment_and_stripped() -> None:
    assert TokenSource(env="MESH_T").read({"MESH_T": "  s3cret\n"}) == "s3cret"


def test_token_is_read_from_a_file_and_stripped(tmp_path: Path) -> None:
    (tmp_path / "token").write_text("s3cret\n", encoding="utf-8")
    assert TokenSource(file=tmp_path / "token").read() == "s3cret"


def test_an_unset_token_variable_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="environment variable MESH_T is not set"):
        TokenSource(env="MESH_T").read({})


def test_an_unreadable_token_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"cannot read .*missing: No such file"):
        TokenSource(file=tmp_path / "missing").read()


def test_an_empty_token_is_refused_without_showing_it() -> None:
    with pytest.raises(ConfigError) as caught:
        TokenSource(env="MESH_T").read({"MESH_T": "   "})
    assert "environment variable MESH_T is empty" in str(caught.value)


def test_the_token_never_appears_in_repr_or_dumps() -> None:
    source = TokenSource(env="MESH_T")
    source.read({"MESH_T": "s3cret"})
    assert "s3cret" not in repr(source) + str(source.model_dump())


def test_mesh_problems_in_a_sidecar_file_are_prefixed_with_mesh_and_have_a_line() -> None:
    text = SAMPLE.read_text(encoding="utf-8").replace("subset: v2, weight: 10", "subset: v3")
    with pytest.raises(ConfigError) as caught:
        parse_sidecar_document(text, source="sample.yaml")
    (problem,) = caught.value.problems
    assert problem.path == "mesh.routes.inventory[0].backends[1].subset"
    assert (
        problem.line == text.splitlines().index("          - {service: inventory, subset: v3}") + 1
    )
    assert str(caught.value).startswith(f"sample.yaml: {problem.path}: service inventory has")
