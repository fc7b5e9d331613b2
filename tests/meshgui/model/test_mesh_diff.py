"""The config diff the preview and the journal show: both sides written the same way, so a
drain or its undo is the one line it changes, not the whole endpoint rewritten."""

from __future__ import annotations

from meshgui.model.mesh_change import mesh_diff, styled_alike
from meshgui.model.mesh_edits import inverse, set_drained
from proxy.config import dump_mesh_yaml, parse_mesh_document
from proxy.config.yaml_io import dump_yaml
from tests.meshgui.model.demo_mesh import demo_mesh


def changed_lines(diff: str) -> list[str]:
    return [
        line
        for line in diff.splitlines()
        if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    ]


def test_a_drain_is_the_one_line_it_adds_and_its_undo_the_one_line_it_removes() -> None:
    drain = set_drained(demo_mesh(), "inventory", "inventory-1", True)
    # Alone, the drained endpoint no longer fits on one line: written apart, it would differ.
    assert "- {name: inventory-1" in dump_mesh_yaml(drain.before)
    assert "- {name: inventory-1" not in dump_mesh_yaml(drain.after)
    diff = mesh_diff(drain.before, drain.after)
    assert changed_lines(diff) == ["+      drained: true"]
    assert "    - name: inventory-1\n" in diff  # the context says which endpoint
    undo = inverse(drain, drain.after)
    assert changed_lines(mesh_diff(undo.before, undo.after)) == ["-      drained: true"]


def test_entries_are_paired_by_name_so_a_removed_endpoint_leaves_the_others_alone() -> None:
    document = demo_mesh().model_dump(mode="json")
    inventory = document["services"]["inventory"]
    inventory["endpoints"] = [e for e in inventory["endpoints"] if e["name"] != "inventory-1"]
    after = parse_mesh_document(document)
    assert [line[:30] for line in changed_lines(mesh_diff(demo_mesh(), after))] == [
        "-    - {name: inventory-1, add"
    ]


def test_alike_sides_are_written_as_the_config_file_is() -> None:
    mesh = demo_mesh()
    data = mesh.model_dump(mode="json", exclude_defaults=True)
    written = dump_yaml(styled_alike({"version": mesh.version, **data}, dict(data)))
    assert written == dump_mesh_yaml(mesh)
    assert mesh_diff(mesh, mesh.with_version(4)) == ""
