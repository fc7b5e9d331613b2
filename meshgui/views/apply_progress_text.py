"""What the apply progress dock says about each sidecar: the state and detail of its answer,
the colour of that state, and the one-line summary of a finished change.

Failures are put in words an operator can act on ("the sidecar refused the admin token"), not
the sidecar's status names alone. No widgets here: the texts are testable without a dock.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from meshgui.views.styles import HEALTH_COLOURS

COLUMNS = ("Sidecar", "State", "Detail")
PENDING = "pending"
NO_ANSWER = "no answer"
"""Shown for a sidecar the final report does not mention."""
STATE_COLOURS = {
    "applied": HEALTH_COLOURS["HEALTHY"],
    "stale": HEALTH_COLOURS["DEGRADED"],
    "rejected": HEALTH_COLOURS["FAILING"],
    "denied": HEALTH_COLOURS["FAILING"],
    "unreachable": HEALTH_COLOURS["FAILING"],
    "error": HEALTH_COLOURS["FAILING"],
    NO_ANSWER: HEALTH_COLOURS["FAILING"],
}
FAILURE_WORDS = {
    "denied": "the sidecar refused the admin token (wrong or missing token)",
    "unreachable": "no answer from the sidecar's admin address",
    "rejected": "the sidecar found the config invalid",
    "error": "the sidecar failed to apply it",
}


def stale_reason(version: int | None, made_against: int | None) -> str:
    if version is None or made_against is None:
        return (
            "the sidecar's config changed after this change was made"
            " — someone else changed the mesh"
        )
    return (
        f"the sidecar is at version {version}, the change was made against {made_against}"
        " — someone else changed the mesh"
    )


def describe(progress: Any, made_against: int | None) -> tuple[str, str]:
    """(state text, detail) of one sidecar's answer, e.g. ("applied v9", "")."""
    state: str = progress.state
    message: str = progress.message or ""
    if state == PENDING:
        return "…", "waiting for the sidecar"
    if state == "applied":
        # "web-1 runs version 9" would only repeat the row; the state cell says it already.
        version = f" v{progress.version}" if progress.version is not None else ""
        return f"applied{version}", ""
    if state == "stale":
        reason = stale_reason(progress.version, made_against)
        # With the version known our sentence says it all; otherwise the sidecar's words help.
        if message and progress.version is None:
            reason = f"{reason} ({message})"
        return "stale", reason
    return state, message or FAILURE_WORDS.get(state, state)


def summary_text(states: Mapping[str, str]) -> str:
    """One line for a finished change, e.g. "Applied to 3 of 5 sidecars; 1 stale, 1 unreachable"."""
    total = len(states)
    applied = sum(1 for state in states.values() if state == "applied")
    if total and applied == total:
        return f"Applied to all {total} sidecars." if total > 1 else "Applied to the sidecar."
    counts: dict[str, int] = {}
    for state in states.values():
        if state != "applied":
            counts[state] = counts.get(state, 0) + 1
    failures = ", ".join(f"{count} {state}" for state, count in counts.items())
    if applied == 0:
        return f"Not applied to any of {total} sidecars: {failures}."
    return f"Applied to {applied} of {total} sidecars only; {failures}."
