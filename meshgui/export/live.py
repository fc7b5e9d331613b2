"""The running mesh's config, fetched from the sidecars a connection file lists, with no window
and no Qt: what ``meshgui export --connection-file`` exports.

Every sidecar is asked at once (GetConfig and GetInfo, bounded by a timeout); the newest version
among those that answer wins, because a sidecar that missed the last apply still runs the older
one. Each sidecar that does not answer is reported with the reason, in words an operator acts on
(dead, wrong token, no token), never with the token itself.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from meshgui.connection_file import (
    ConnectionFile,
    SidecarEntry,
    TokenUnavailableError,
    read_token,
)
from proxy.admin.client import AdminClient
from proxy.admin.errors import (
    AdminError,
    DeadlineExceededError,
    UnauthenticatedError,
    UnavailableError,
)
from proxy.config import ConfigError, MeshConfig

DEFAULT_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class SidecarAnswer:
    """What one sidecar said: its config, or why there is none."""

    sidecar: str
    """The instance name the connection file gives it."""
    address: str
    version: int | None = None
    mesh: MeshConfig | None = None
    namespace: str | None = None
    error: str | None = None
    """Why it gave no config (never a token)."""

    @property
    def label(self) -> str:
        return f"{self.sidecar} ({self.address})"


@dataclass(frozen=True)
class LiveConfig:
    """The answers of a mesh's sidecars and the newest config among them."""

    answers: tuple[SidecarAnswer, ...]

    @property
    def answered(self) -> list[SidecarAnswer]:
        return [a for a in self.answers if a.mesh is not None]

    @property
    def failed(self) -> list[SidecarAnswer]:
        return [a for a in self.answers if a.mesh is None]

    @property
    def newest(self) -> SidecarAnswer | None:
        """The first answer (in the file's order) with the highest version."""
        answered = self.answered
        if not answered:
            return None
        top = max(a.version or 0 for a in answered)
        return next(a for a in answered if (a.version or 0) == top)

    @property
    def lagging(self) -> list[SidecarAnswer]:
        """Sidecars that answered with an older version than the newest."""
        newest = self.newest
        return [a for a in self.answered if newest is not None and a.version != newest.version]


def fetch_live_config(
    connection: ConnectionFile,
    *,
    timeout: float = DEFAULT_TIMEOUT_S,
    ca_file: Path | None = None,
) -> LiveConfig:
    """Ask every sidecar of `connection` for its config; returns within about `timeout` s."""
    return asyncio.run(fetch_answers(connection.sidecars, timeout=timeout, ca_file=ca_file))


async def fetch_answers(
    sidecars: Sequence[SidecarEntry], *, timeout: float, ca_file: Path | None = None
) -> LiveConfig:
    answers = await asyncio.gather(*(_ask(entry, timeout, ca_file) for entry in sidecars))
    return LiveConfig(tuple(answers))


async def _ask(entry: SidecarEntry, timeout: float, ca_file: Path | None) -> SidecarAnswer:
    sidecar, address = str(entry.instance), str(entry.admin)
    token: str | None = None
    if entry.token is not None:
        try:
            token = read_token(entry.token)
        except TokenUnavailableError as exc:
            return SidecarAnswer(sidecar, address, error=f"no admin token: {exc}")
    client = AdminClient(address, token, ca_file=ca_file, call_timeout=timeout, retry_for=timeout)
    try:
        async with asyncio.timeout(timeout + 1.0):  # retries included; a dead host must not hang
            state = await client.get_config()
            info = await client.get_info()
        mesh = state.mesh()
    except TimeoutError:
        return SidecarAnswer(sidecar, address, error=f"no answer within {timeout:g} s")
    except AdminError as exc:
        return SidecarAnswer(sidecar, address, error=_explain(exc, token is not None, timeout))
    except ConfigError as exc:
        return SidecarAnswer(
            sidecar, address, error=f"sent a config this meshgui cannot read: {exc}"
        )
    finally:
        await client.close()
    return SidecarAnswer(sidecar, address, state.version, mesh, info.namespace)


def _explain(error: AdminError, had_token: bool, timeout: float) -> str:
    if isinstance(error, UnauthenticatedError):
        if had_token:
            return "refused the admin token (wrong token for this sidecar?)"
        return "wants an admin token, and the connection file gives none"
    if isinstance(error, UnavailableError):
        # gRPC's text ends in the cause ("...: Connection refused"); the rest is noise here.
        cause = error.message.rsplit(": ", 1)[-1]
        return f"not reachable ({cause}): is the sidecar running?"
    if isinstance(error, DeadlineExceededError):
        return f"no answer within {timeout:g} s"
    return error.message
