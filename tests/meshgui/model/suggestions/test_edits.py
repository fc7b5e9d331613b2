"""The suggestions' edits: pure, valid, and refusing a config that no longer fits."""

from __future__ import annotations

import pytest

from meshgui.model.suggestions import StaleSuggestionError
from meshgui.model.suggestions.edits import (
    MoveWeight,
    RouteRef,
    SetDrained,
    SetRetryBackoff,
    SetRetryLimits,
    SetTimeouts,
)
from proxy.config import MeshConfig, parse_mesh_document
from tests.meshgui.model.suggestions.histories import demo_mesh

INVENTORY = RouteRef("inventory", 0, "default")
RECS = RouteRef("recommendations", 0, "default")


def test_edits_leave_the_original_untouched_and_give_a_valid_config() -> None:
    mesh = demo_mesh()
    before = mesh.model_dump()
    edits = [
        SetRetryBackoff(INVENTORY, 0.01, 0.1),
        SetRetryLimits(INVENTORY, 1, 0.1),
        SetTimeouts(INVENTORY, 0.2),
        SetDrained("inventory", "inventory-2"),
        MoveWeight(RECS, (0,), 1, (("recommendations", None), ("recommendations-lite", None))),
    ]
    for edit in edits:
        edited = edit.apply(mesh)
        assert edited != mesh and edited.version == mesh.version
        assert MeshConfig.model_validate(edited.model_dump()) == edited
    assert mesh.model_dump() == before


def test_a_shorter_timeout_takes_the_per_try_timeout_with_it() -> None:
    route = SetTimeouts(INVENTORY, 0.1).apply(demo_mesh()).routes["inventory"][0]
    assert route.retry is not None and route.retry.per_try_timeout == 0.1


def test_an_edit_refuses_a_config_that_changed_under_it() -> None:
    mesh = demo_mesh()
    with pytest.raises(StaleSuggestionError, match="route inventory/gone is no longer"):
        SetTimeouts(RouteRef("inventory", 0, "gone"), 0.2).apply(mesh)
    with pytest.raises(StaleSuggestionError, match="inventory-9 is no longer an endpoint"):
        SetDrained("inventory", "inventory-9").apply(mesh)
    with pytest.raises(StaleSuggestionError, match="backends of route recommendations/default"):
        MoveWeight(RECS, (0,), 1, (("recommendations", None),)).apply(mesh)
    document = mesh.model_dump(mode="json")
    del document["routes"]["inventory"][0]["retry"]
    with pytest.raises(StaleSuggestionError, match="no longer retries"):
        SetRetryBackoff(INVENTORY, 0.01, 0.1).apply(parse_mesh_document(document, source="t"))


def test_an_edit_that_would_break_the_schema_is_refused() -> None:
    with pytest.raises(ValueError, match="backoff_base"):
        SetRetryBackoff(INVENTORY, 0.5, 0.1).apply(demo_mesh())
