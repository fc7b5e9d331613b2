"""Admin tokens live in the OS keyring, never in settings or files. When the machine has no
keyring backend (a headless box), tokens are kept in memory for this session only, and the user
is told so instead of meeting a traceback."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import keyring
import keyring.backend
import keyring.errors
from keyring.backends import fail

SERVICE_NAME = "meshgui"


@dataclass(frozen=True)
class KeyringStatus:
    available: bool
    backend: str
    message: str


def keyring_status() -> KeyringStatus:
    backend = keyring.get_keyring()
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    if isinstance(backend, fail.Keyring) or backend.priority <= 0:
        return KeyringStatus(
            available=False,
            backend=name,
            message="No system keyring: admin tokens are kept for this session only.",
        )
    return KeyringStatus(available=True, backend=name, message=f"Tokens are stored in {name}.")


class TokenStore:
    """Tokens by profile and sidecar: the keyring when there is one, else session memory."""

    def __init__(self) -> None:
        self._session: dict[str, str] = {}
        self.status = keyring_status()

    @staticmethod
    def _key(profile: str, sidecar: str) -> str:
        return f"{profile}/{sidecar}"

    def set(self, profile: str, sidecar: str, token: str) -> None:
        key = self._key(profile, sidecar)
        if self.status.available:
            try:
                keyring.set_password(SERVICE_NAME, key, token)
                return
            except keyring.errors.KeyringError:
                pass  # a locked or broken keyring: fall back to memory rather than lose the token
        self._session[key] = token

    def get(self, profile: str, sidecar: str) -> str | None:
        key = self._key(profile, sidecar)
        if key in self._session:
            return self._session[key]
        if self.status.available:
            try:
                return keyring.get_password(SERVICE_NAME, key)
            except keyring.errors.KeyringError:
                return None
        return None

    def delete(self, profile: str, sidecar: str) -> None:
        key = self._key(profile, sidecar)
        self._session.pop(key, None)
        if self.status.available:
            with contextlib.suppress(keyring.errors.PasswordDeleteError):
                keyring.delete_password(SERVICE_NAME, key)
