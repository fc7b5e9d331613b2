"""How the model turns numbers into a colour: health of edges, services and instances.

The thresholds are module constants so the legend, the tests and the rules read the same values.
"""

from __future__ import annotations

from meshgui.model.types import InstanceState, NodeHealth

FAILING_ERROR_PCT = 20.0
"""At or above this share of failed calls (5xx or mesh failure) an edge or service is failing."""
DEGRADED_ERROR_PCT = 2.0
"""At or above this share it is degraded (amber)."""


def health_by_errors(rps: float, error_pct: float) -> NodeHealth:
    """FAILING / DEGRADED / HEALTHY by error share; IDLE when nothing was called."""
    if rps <= 0.0:
        return NodeHealth.IDLE
    if error_pct >= FAILING_ERROR_PCT:
        return NodeHealth.FAILING
    if error_pct >= DEGRADED_ERROR_PCT:
        return NodeHealth.DEGRADED
    return NodeHealth.HEALTHY


def tries_failed_percent(rps: float, error_pct: float, retries_per_s: float) -> float:
    """The share of tries that failed, retried ones included (Linkerd's "actual" success rate,
    beside the "effective" one the caller saw): every retry follows a failed try."""
    tries = rps + retries_per_s
    if tries <= 0.0:
        return 0.0
    return 100.0 * (rps * error_pct / 100.0 + retries_per_s) / tries


def edge_health(
    rps: float, error_pct: float, *, an_end_disconnected: bool, retries_per_s: float = 0.0
) -> NodeHealth:
    """By the worse of the calls that failed and the tries that failed: retries that hide a
    failing instance from the caller still turn its edges amber. An idle edge whose caller or
    callee went away is DISCONNECTED rather than IDLE."""
    worst = max(error_pct, tries_failed_percent(rps, error_pct, retries_per_s))
    health = health_by_errors(rps, worst)
    if health is NodeHealth.IDLE and an_end_disconnected:
        return NodeHealth.DISCONNECTED
    return health


def node_health(
    *,
    all_sidecars_disconnected: bool,
    instance_states: tuple[InstanceState, ...],
    error_pct: float,
    rps_in: float,
    rps_out: float,
    bytes_in_per_s: float = 0.0,
) -> NodeHealth:
    """The first rule that holds wins, in the order of the checks below. An instance whose
    sidecar went away (while others of the service are still there) or that the callers ejected
    makes the service degraded. A TCP service whose pooled connections carry bytes but open no
    new ones is busy, not idle."""
    if all_sidecars_disconnected:
        return NodeHealth.DISCONNECTED
    if instance_states and all(state in ("drained", "draining") for state in instance_states):
        return NodeHealth.DRAINED
    if rps_in > 0.0 and error_pct >= FAILING_ERROR_PCT:
        return NodeHealth.FAILING
    if rps_in > 0.0 and error_pct >= DEGRADED_ERROR_PCT:
        return NodeHealth.DEGRADED
    if "ejected" in instance_states or "disconnected" in instance_states:
        return NodeHealth.DEGRADED
    if rps_in <= 0.0 and rps_out <= 0.0 and bytes_in_per_s <= 0.0:
        return NodeHealth.IDLE
    return NodeHealth.HEALTHY


def instance_state(
    *, disconnected: bool, drained: bool, pending: int, sidecar_draining: bool, ejected: bool
) -> InstanceState:
    """A drained instance with requests still pending (or a sidecar shutting down) is draining."""
    if disconnected:
        return "disconnected"
    if drained:
        return "draining" if pending > 0 else "drained"
    if sidecar_draining:
        return "draining"
    if ejected:
        return "ejected"
    return "ready"
