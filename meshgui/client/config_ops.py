"""Reading the mesh config from every sidecar and applying a change to them, without Qt.

Both run on the client's asyncio loop with admin clients made for the one operation and closed
after it. Every sidecar answers on its own: one that is dead, refuses the token or runs a newer
config is reported as such (within a bounded time) while the others go ahead. An apply carries
each sidecar's `expected_version`, so a sidecar whose config changed since it was read refuses
(`stale`) instead of losing that change.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from meshgui.client.targets import SidecarTarget
from meshgui.model.mesh_change import MeshChange
from proxy.admin.client import AdminClient
from proxy.admin.errors import (
    AdminError,
    DeadlineExceededError,
    InvalidConfigError,
    UnauthenticatedError,
    UnavailableError,
    VersionConflictError,
)
from proxy.config import ConfigError, MeshConfig, dump_mesh_yaml

CALL_TIMEOUT_S = 5.0
"""One admin call's deadline."""
RETRY_FOR_S = 2.0
"""How long an unreachable sidecar is retried before it is reported unreachable."""
OPERATION_TIMEOUT_S = CALL_TIMEOUT_S + RETRY_FOR_S + 1.0
"""The most one sidecar's part of a fetch or an apply may take, whatever happens."""

ApplyState = Literal["pending", "applied", "stale", "rejected", "unreachable", "denied", "error"]
ClientFactory = Callable[[SidecarTarget], Any]
"""Makes the admin client (an `AdminClient` or a fake with the same calls) for one sidecar."""


def ops_client_for(target: SidecarTarget) -> AdminClient:
    """An admin client whose calls give up within a few seconds on a dead sidecar."""
    return AdminClient(
        target.address,
        target.token,
        ca_file=target.ca_file,
        operator="meshgui",
        call_timeout=CALL_TIMEOUT_S,
        retry_for=RETRY_FOR_S,
    )


@dataclass(frozen=True)
class SidecarConfig:
    """What one sidecar said when asked for its config: the config, or why there is none."""

    sidecar_id: str
    version: int | None
    mesh: MeshConfig | None
    error: str | None


@dataclass(frozen=True)
class ApplyProgress:
    """One sidecar's answer to an apply; `message` says why (never a token)."""

    sidecar_id: str
    state: ApplyState
    version: int | None = None
    """The version it runs now: the new one, or for `stale` the newer one it already had."""
    message: str = ""


@dataclass(frozen=True)
class ApplyReport:
    """Every sidecar's answer to one apply."""

    change: MeshChange
    results: Mapping[str, ApplyProgress]

    @property
    def ok(self) -> bool:
        """Every sidecar it went to applied it."""
        return all(result.state == "applied" for result in self.results.values())

    @property
    def applied(self) -> list[str]:
        return sorted(sid for sid, result in self.results.items() if result.state == "applied")

    @property
    def stale(self) -> list[str]:
        """Sidecars whose config changed since it was read: reload, then apply again."""
        return sorted(sid for sid, result in self.results.items() if result.state == "stale")

    @property
    def failed(self) -> list[str]:
        """Sidecars that did not apply it for any other reason (denied, unreachable, ...)."""
        return sorted(
            sid for sid, result in self.results.items() if result.state not in ("applied", "stale")
        )


def base_config(configs: Mapping[str, SidecarConfig]) -> tuple[MeshConfig | None, dict[str, int]]:
    """The newest config among the sidecars (None when none answered), and each answering
    sidecar's version. Two sidecars at the same version: the first by id wins."""
    versions = {sid: c.version for sid, c in configs.items() if c.version is not None}
    newest: MeshConfig | None = None
    for sid in sorted(configs):
        mesh = configs[sid].mesh
        if mesh is not None and (newest is None or mesh.version > newest.version):
            newest = mesh
    return newest, versions


def lagging(configs: Mapping[str, SidecarConfig]) -> list[str]:
    """Sidecars (by id) that run an older version than the newest one; silent ones are not."""
    versions = {sid: c.version for sid, c in configs.items() if c.version is not None}
    newest = max(versions.values(), default=None)
    return sorted(sid for sid, version in versions.items() if version != newest)


async def fetch_configs(
    targets: Sequence[SidecarTarget], client_factory: ClientFactory = ops_client_for
) -> dict[str, SidecarConfig]:
    """Every sidecar's running config, asked for all at once."""

    async def fetch(target: SidecarTarget) -> SidecarConfig:
        sid = target.sidecar_id
        try:
            state = await _bounded(target, client_factory, lambda client: client.get_config())
        except Exception as exc:  # one sidecar's failure is its own line, never the fetch's
            return SidecarConfig(sid, None, None, _describe(target, exc))
        version = int(state.version)
        try:
            mesh = state.mesh().with_version(version)
        except ConfigError as exc:
            why = f"{sid} runs a config this app cannot read: {exc}"
            return SidecarConfig(sid, version, None, why)
        return SidecarConfig(sid, version, mesh, None)

    answers = await asyncio.gather(*(fetch(target) for target in targets))
    return {answer.sidecar_id: answer for answer in answers}


async def apply_change(
    targets: Sequence[SidecarTarget],
    change: MeshChange,
    expected: Mapping[str, int],
    on_progress: Callable[[ApplyProgress], None],
    *,
    only: Collection[str] | None = None,
    client_factory: ClientFactory = ops_client_for,
) -> ApplyReport:
    """Apply `change.after` to every target (or those in `only`) at once, each only if it still
    runs `expected[sidecar id]`; `on_progress` hears each answer as it comes."""
    document = dump_mesh_yaml(change.after)
    chosen = [t for t in targets if only is None or t.sidecar_id in only]
    results: dict[str, ApplyProgress] = {}
    for sid in sorted(set(only or ()) - {t.sidecar_id for t in chosen}):
        results[sid] = ApplyProgress(
            sid, "error", message=f"{sid} is not among the connected sidecars"
        )
        on_progress(results[sid])

    async def apply(target: SidecarTarget) -> ApplyProgress:
        sid = target.sidecar_id
        if sid not in expected:
            why = f"{sid}: its config version is not known (it did not answer when read); reload"
            return ApplyProgress(sid, "error", message=why)
        try:
            version = await _bounded(
                target, client_factory, lambda c: c.apply_config(document, expected[sid])
            )
        except Exception as exc:
            return _failure(target, expected[sid], exc)
        return ApplyProgress(sid, "applied", int(version), f"{sid} runs version {version}")

    for answer in asyncio.as_completed([apply(target) for target in chosen]):
        progress = await answer
        results[progress.sidecar_id] = progress
        on_progress(progress)
    return ApplyReport(change, results)


async def _bounded(
    target: SidecarTarget, client_factory: ClientFactory, call: Callable[[Any], Awaitable[Any]]
) -> Any:
    client = client_factory(target)
    try:
        return await asyncio.wait_for(call(client), OPERATION_TIMEOUT_S)
    finally:
        await client.close()


def _failure(target: SidecarTarget, expected: int, exc: Exception) -> ApplyProgress:
    sid = target.sidecar_id
    if isinstance(exc, VersionConflictError):
        now = exc.current_version
        why = f"{sid} runs version {now if now is not None else '?'}, not {expected}: reload first"
        return ApplyProgress(sid, "stale", now, why)
    if isinstance(exc, InvalidConfigError):
        problems = "; ".join(f"{p.path}: {p.reason}" if p.path else p.reason for p in exc.problems)
        return ApplyProgress(
            sid, "rejected", message=f"{sid} refused the config: {problems or exc.message}"
        )
    state: ApplyState = "error"
    if isinstance(exc, UnauthenticatedError) or "PERMISSION_DENIED" in str(exc):
        state = "denied"
    elif isinstance(exc, UnavailableError | DeadlineExceededError | TimeoutError):
        state = "unreachable"
    return ApplyProgress(sid, state, message=_describe(target, exc))


def _describe(target: SidecarTarget, exc: Exception) -> str:
    """What went wrong with one sidecar, naming it and its address, never its token."""
    sid, address = target.sidecar_id, target.address
    if isinstance(exc, UnauthenticatedError) or "PERMISSION_DENIED" in str(exc):
        return f"{sid} ({address}) refused the admin token; check the token of this profile"
    if isinstance(exc, TimeoutError):
        return (
            f"{sid} ({address}) did not answer within {OPERATION_TIMEOUT_S:g}s; "
            "a change sent to it may or may not have been applied"
        )
    if isinstance(exc, UnavailableError):
        return f"{sid} ({address}) cannot be reached: {exc.message}"
    if isinstance(exc, DeadlineExceededError):
        return f"{sid} ({address}) did not answer in time; it may or may not have applied it"
    if isinstance(exc, AdminError):
        return f"{sid} ({address}): {exc.message}"
    if isinstance(exc, OSError):  # an unreadable CA file
        return f"{sid} ({address}): {exc.strerror or exc}"
    return f"{sid} ({address}): {type(exc).__name__}: {exc}"
