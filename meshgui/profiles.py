"""Connection profiles: named ways to reach a mesh (sidecar admin addresses, or a connection file
written by `mesh-demo`), TLS on or off, and per profile the node positions the user arranged.

Everything but tokens lives in QSettings; tokens go through `TokenStore` (the OS keyring, or this
session's memory when there is none). `targets_for` turns a profile into what the client dials.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings

from meshgui.client.targets import SidecarTarget
from meshgui.connection_file import TokenUnavailableError, load_connection_file, read_token
from meshgui.secrets import TokenStore
from proxy.config import ConfigError

PROFILES_KEY = "connection/profiles"
LAST_PROFILE_KEY = "connection/last_profile"
POSITIONS_PREFIX = "topology/positions/"
PROFILE_TOKEN = "*"
"""TokenStore's sidecar key for a profile's own token, used by every sidecar without one."""


@dataclass(frozen=True)
class ConnectionProfile:
    name: str
    addresses: tuple[str, ...] = ()
    """Sidecar admin APIs ("host:port"); ignored when `connection_file` is set."""
    connection_file: Path | None = None
    tls: bool = False
    ca_file: Path | None = None
    """The CA that signed the sidecars' certificates (TLS only)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "addresses": list(self.addresses),
            "connection_file": str(self.connection_file) if self.connection_file else None,
            "tls": self.tls,
            "ca_file": str(self.ca_file) if self.ca_file else None,
        }

    @classmethod
    def from_json(cls, name: str, data: dict[str, Any]) -> ConnectionProfile:
        file, ca = data.get("connection_file"), data.get("ca_file")
        return cls(
            name=name,
            addresses=tuple(str(a) for a in data.get("addresses", ())),
            connection_file=Path(file) if file else None,
            tls=bool(data.get("tls", False)),
            ca_file=Path(ca) if ca else None,
        )


@dataclass
class ResolvedTargets:
    targets: list[SidecarTarget] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """Why some sidecars cannot be reached as asked; none of them names a token."""


class ProfileStore:
    """Profiles in QSettings (one JSON value, so names may hold '/'), tokens in `tokens`."""

    def __init__(self, settings: QSettings, tokens: TokenStore) -> None:
        self._settings = settings
        self.tokens = tokens

    def _all(self) -> dict[str, dict[str, Any]]:
        raw = self._settings.value(PROFILES_KEY)
        try:
            data = json.loads(str(raw)) if raw else {}
        except json.JSONDecodeError:
            return {}  # a hand-edited settings file must not keep the app from starting
        return data if isinstance(data, dict) else {}

    def names(self) -> list[str]:
        return sorted(self._all())

    def load(self, name: str) -> ConnectionProfile | None:
        data = self._all().get(name)
        return ConnectionProfile.from_json(name, data) if isinstance(data, dict) else None

    def save(self, profile: ConnectionProfile, token: str | None = None) -> None:
        """Store `profile`; `token` None keeps the stored token, "" forgets it."""
        profiles = self._all()
        profiles[profile.name] = profile.to_json()
        self._settings.setValue(PROFILES_KEY, json.dumps(profiles, sort_keys=True))
        if token == "":
            self.tokens.delete(profile.name, PROFILE_TOKEN)
        elif token is not None:
            self.tokens.set(profile.name, PROFILE_TOKEN, token)

    def delete(self, name: str) -> None:
        profiles = self._all()
        profiles.pop(name, None)
        self._settings.setValue(PROFILES_KEY, json.dumps(profiles, sort_keys=True))
        self._settings.remove(_positions_key(name))
        self.tokens.delete(name, PROFILE_TOKEN)
        if self.last_profile == name:
            self._settings.remove(LAST_PROFILE_KEY)

    def token(self, name: str) -> str | None:
        return self.tokens.get(name, PROFILE_TOKEN)

    @property
    def last_profile(self) -> str | None:
        value = self._settings.value(LAST_PROFILE_KEY)
        return str(value) if value else None

    def set_last_profile(self, name: str) -> None:
        self._settings.setValue(LAST_PROFILE_KEY, name)

    def positions(self, name: str) -> dict[str, tuple[float, float]]:
        raw = self._settings.value(_positions_key(name))
        try:
            data = json.loads(str(raw)) if raw else {}
            return {str(k): (float(v[0]), float(v[1])) for k, v in data.items()}
        except (json.JSONDecodeError, AttributeError, TypeError, ValueError, IndexError):
            return {}

    def save_positions(self, name: str, positions: dict[str, tuple[float, float]]) -> None:
        data = {k: [round(x, 1), round(y, 1)] for k, (x, y) in positions.items()}
        self._settings.setValue(_positions_key(name), json.dumps(data, sort_keys=True))


def _positions_key(profile: str) -> str:
    return POSITIONS_PREFIX + hashlib.sha256(profile.encode()).hexdigest()[:16]


def targets_for(profile: ConnectionProfile, profile_token: str | None) -> ResolvedTargets:
    """The sidecars `profile` names. A connection file's own token references win; a sidecar
    whose reference cannot be read falls back to `profile_token` and the problem is reported."""
    ca = profile.ca_file if profile.tls else None
    resolved = ResolvedTargets()
    if profile.tls and ca is None:
        resolved.problems.append("TLS is on but no CA file is set")
    if profile.connection_file is None:
        for address in dict.fromkeys(a.strip() for a in profile.addresses if a.strip()):
            resolved.targets.append(SidecarTarget(address, address, profile_token, ca))
        return resolved
    try:
        connection = load_connection_file(profile.connection_file)
    except ConfigError as exc:
        resolved.problems.append(str(exc))
        return resolved
    for entry in connection.sidecars:
        token = profile_token
        if entry.token is not None:
            try:
                token = read_token(entry.token)
            except TokenUnavailableError as exc:
                resolved.problems.append(f"{entry.instance}: {exc}")
        resolved.targets.append(SidecarTarget(entry.instance, str(entry.admin), token, ca))
    return resolved
