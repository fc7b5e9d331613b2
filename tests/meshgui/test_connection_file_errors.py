"""A broken connection file is refused with one tidy line per problem: the file, the line (and
column, for a syntax error) and the reason, worded as the mesh config's own errors are."""

from __future__ import annotations

from pathlib import Path

import pytest

from meshgui.connection_file import error_line, load_connection_file
from proxy.config import ConfigError, ConfigProblem

HEAD = "format: meshgui.connection/v1\nname: x\n"


def refused(tmp_path: Path, text: str | bytes) -> ConfigError:
    path = tmp_path / "conn.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_connection_file(path)
    return caught.value


def test_a_syntax_error_names_line_and_column_on_one_line(tmp_path: Path) -> None:
    error = refused(tmp_path, HEAD + "sidecars:\n  - service: web\n    admin: [unclosed\n")
    (problem,) = error.problems
    assert (problem.line, problem.column) == (6, 1)
    assert str(error) == (
        f"{tmp_path / 'conn.yaml'}: line 6, column 1: YAML syntax: did not find expected "
        "',' or ']' (while parsing a flow sequence at line 5)"
    )


def test_a_duplicate_key_is_refused_where_it_is(tmp_path: Path) -> None:
    error = refused(tmp_path, HEAD + "name: y\n")
    assert "line 3, column 1: duplicate key 'name' (first at line 2)" in str(error)


def test_validation_problems_carry_their_line(tmp_path: Path) -> None:
    text = HEAD + "sidecars:\n  - service: web\n    instance: web-1\n    admn: 127.0.0.1:1\n"
    error = refused(tmp_path, text)
    lines = str(error).splitlines()
    assert any("sidecars[0].admn: unknown key" in line and "(line 6)" in line for line in lines)
    assert all(line.startswith(str(tmp_path / "conn.yaml")) for line in lines)


def test_a_wrong_or_missing_format_says_what_the_file_is(tmp_path: Path) -> None:
    error = refused(tmp_path, "name: x\nformat: meshgui.connection/v9\n")
    assert str(error).endswith(
        "format: unsupported format 'meshgui.connection/v9' "
        "(this build reads meshgui.connection/v1) (line 2)"
    )
    error = refused(tmp_path, "version: 3\nservices: {}\n")
    assert str(error).endswith(
        "not a connection file (it has no 'format: meshgui.connection/v1'); "
        "it looks like a mesh config"
    )


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "the file is empty"),
        ("- a\n- b\n", "expected a mapping at the top level"),
        (b"format: \xff\n", "not a text file (byte 8 is not UTF-8)"),
    ],
)
def test_files_that_are_not_connection_files(
    tmp_path: Path, text: str | bytes, reason: str
) -> None:
    assert str(refused(tmp_path, text)) == f"{tmp_path / 'conn.yaml'}: {reason}"


def test_error_line_says_the_file_once_and_counts_the_rest() -> None:
    problems = [ConfigProblem(f"sidecars[{n}].admin", "missing", n + 3) for n in range(4)]
    line = error_line(ConfigError("c.yaml", problems))
    assert line == (
        "c.yaml: sidecars[0].admin: missing (line 3); sidecars[1].admin: missing (line 4)"
        " (and 2 more)"
    )
    assert error_line(ConfigError("c.yaml", problems[:1])) == problems[0].describe("c.yaml")
