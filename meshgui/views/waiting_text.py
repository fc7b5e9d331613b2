"""What the empty canvas says while a mesh connects: "Connecting to demo…", and, once every
sidecar of the mesh has failed to answer, that none does and where to read why.

Apart from `canvas_placeholder` so the canvas does not import the client (and grpc with it)."""

from __future__ import annotations

from meshgui.client.sidecar_health import SidecarHealth
from meshgui.views.sidecar_status import SHORTCUT


def connecting_text(profile: str) -> str:
    return f"Connecting to {profile}…"


def no_answer_text(profile: str, total: int) -> str:
    """Said once each of the `total` sidecars has failed at least once and none answers."""
    if total == 1:
        first = f"The sidecar of {profile} does not answer."
    else:
        first = f"None of the {total} sidecars of {profile} answers."
    # Short lines: the canvas beside the details dock may be narrow.
    return f"{first}\nSee why in the status bar,\nor in View > Sidecar Status ({SHORTCUT})."


def waiting_text(shown: str, profile: str | None, health: SidecarHealth) -> str | None:
    """What the empty canvas should say instead of `shown` while `profile` connects, as
    `health` stands; None to leave it alone: a mesh is drawn (`shown` is empty), or the canvas
    says something else ("No mesh connected"), or it already says the right thing."""
    if profile is None:
        return None
    ours = (connecting_text(profile), no_answer_text(profile, health.total))
    if shown not in ours:  # checked first: it is called on every sidecar event
        return None
    rows = health.rows()
    none_answers = bool(rows) and all(not r.connected and r.last_error for r in rows)
    wanted = ours[1] if none_answers else ours[0]
    return wanted if shown != wanted else None
