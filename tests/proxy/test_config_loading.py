"""Reading documents (YAML, JSON, mappings, files), error reports, and writing YAML back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from proxy.config import (
    ConfigError,
    ConfigProblem,
    dump_mesh_yaml,
    dump_sidecar_yaml,
    load_sidecar_file,
    parse_mesh_document,
    parse_sidecar_document,
)

DATA = Path(__file__).parent / "data"
SAMPLE = Path(__file__).parents[2] / "resources" / "samples" / "mesh-sidecar.yaml"

MESH_YAML = """\
version: 2
services:
  cart:
    endpoints:
      - {name: cart-1, address: 127.0.0.1:17006, weight: 2}
routes:
  cart:
    - backends: [{service: cart}]
      timeout: 3s
"""


def error_of(document: str | bytes) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        parse_mesh_document(document, source="mesh.yaml")
    return caught.value


def test_yaml_and_json_and_mappings_give_the_same_model() -> None:
    from_yaml = parse_mesh_document(MESH_YAML)
    as_json = json.dumps(from_yaml.model_dump(mode="json"), indent="\t")
    assert parse_mesh_document(as_json) == from_yaml
    assert parse_mesh_document(as_json.encode()) == from_yaml
    assert parse_mesh_document(yaml.safe_load(MESH_YAML)) == from_yaml
    assert from_yaml.services["cart"].endpoints[0].weight == 2


def test_a_yaml_syntax_error_names_line_and_column() -> None:
    with pytest.raises(ConfigError) as caught:
        load_sidecar_file(DATA / "broken-syntax.yaml")
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (4, 12)
    assert str(caught.value).startswith(f"{DATA / 'broken-syntax.yaml'}: line 4, column 12: YAML")


def test_an_unknown_key_is_refused_by_name_with_a_suggestion() -> None:
    with pytest.raises(ConfigError) as caught:
        load_sidecar_file(DATA / "unknown-key.yaml")
    (problem,) = caught.value.problems
    assert problem.path == "sidecar.limits.max_header_byts"
    assert problem.reason.startswith(
        "unknown key 'max_header_byts' (did you mean 'max_header_bytes'?"
    )
    assert problem.line == 5


def test_duplicate_keys_are_refused_rather_than_silently_overwritten() -> None:
    doubled = MESH_YAML.replace("version: 2\n", "version: 2\nversion: 3\n")
    (problem,) = error_of(doubled).problems
    assert problem == ConfigProblem("", "duplicate key 'version' (first at line 1)", 2, 1)


def test_each_problem_is_one_readable_line() -> None:
    broken = MESH_YAML.replace("timeout: 3s", "timeout: 3 seconds").replace(
        "weight: 2", "weight: 0"
    )
    text = str(error_of(broken))
    assert text.splitlines() == [
        "mesh.yaml: services.cart.endpoints[0].weight: should be greater than or equal to 1 "
        "(got 0) (line 5)",
        "mesh.yaml: routes.cart[0].timeout: expected a duration: a number with a unit ms, s, m "
        "or h (e.g. '250ms', '1.5s') (got '3 seconds') (line 9)",
    ]
    assert "pydantic" not in text and "Value error" not in text


def test_problems_from_a_mapping_have_no_line() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_mesh_document({"version": "x"})
    assert caught.value.problems == [
        ConfigProblem(
            "version", "should be a valid integer, unable to parse string as an integer (got 'x')"
        )
    ]
    assert str(caught.value).startswith("<document>: version: ")


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        ("", "the document is empty"),
        ("- 1\n- 2\n", "expected a mapping of settings at the top level, got a list"),
        (b"version: \xff\n", "not UTF-8 text (byte 9)"),
    ],
)
def test_documents_that_are_not_a_mapping_are_refused(document: str | bytes, reason: str) -> None:
    assert error_of(document).problems == [ConfigProblem("", reason)]


def test_a_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_sidecar_file(tmp_path / "nope.yaml")
    assert (
        str(caught.value)
        == f"{tmp_path / 'nope.yaml'}: cannot read the file: No such file or directory"
    )


def test_a_directory_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read the file: Is a directory"):
        load_sidecar_file(tmp_path)


def test_the_sample_round_trips_through_yaml() -> None:
    loaded = load_sidecar_file(SAMPLE)
    assert parse_sidecar_document(dump_sidecar_yaml(loaded)) == loaded
    assert parse_mesh_document(dump_mesh_yaml(loaded.mesh)) == loaded.mesh


def test_dumped_yaml_keeps_field_order_and_readable_values() -> None:
    text = dump_mesh_yaml(parse_mesh_document(MESH_YAML))
    assert text == (
        "version: 2\n"
        "services:\n"
        "  cart:\n"
        "    endpoints:\n"
        "    - {name: cart-1, address: '127.0.0.1:17006', weight: 2}\n"
        "routes:\n"
        "  cart:\n"
        "  - backends:\n"
        "    - {service: cart}\n"
        "    timeout: 3s\n"
    )


def test_a_route_without_timeout_survives_the_round_trip() -> None:
    mesh = parse_mesh_document(MESH_YAML.replace("timeout: 3s", "timeout: null"))
    assert "timeout: null" in dump_mesh_yaml(mesh)
    assert parse_mesh_document(dump_mesh_yaml(mesh)) == mesh
