"""Admin tokens for one demo run: a fresh random token per sidecar, written to a file only the
user can read (the sidecar reads it from there), and handed to the desktop app through the OS
keyring — or, when the user asks for it, through the connection file itself.

Tokens are never printed or logged, and everything is removed when the run ends.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import keyring
import keyring.errors
from pydantic import SecretStr

from meshgui.connection_file import (
    KEYRING_SERVICE,
    FileToken,
    InlineToken,
    KeyringToken,
    TokenRef,
)
from meshgui.secrets import keyring_status


@dataclass(frozen=True)
class IssuedToken:
    """Where one sidecar's token is: the file its sidecar reads, and the app's way to it."""

    file: Path
    ref: TokenRef


def private_directory(prefix: str) -> Path:
    """A new directory only the user can enter, under $XDG_RUNTIME_DIR when there is one
    (a per-user tmpfs that is emptied at logout), else the temp directory."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    parent = runtime if runtime and os.path.isdir(runtime) else None
    return Path(tempfile.mkdtemp(prefix=prefix, dir=parent))  # mkdtemp: mode 0700


class DemoTokens:
    """Issues and, at the end, withdraws the tokens of one run.

    `inline`: the user chose to have tokens in the connection file. Otherwise the keyring is
    used when it has a working backend, else the token file's path is what the app gets.
    """

    def __init__(self, run_id: str, *, inline: bool = False, directory: Path | None = None):
        self.run_id = run_id
        self.inline = inline
        self.directory = directory or private_directory(f"mesh-demo-{run_id}-tokens-")
        self.use_keyring = not inline and keyring_status().available
        self._keyring_users: list[str] = []

    @property
    def profile(self) -> str:
        """The profile name the desktop app keys this run's tokens by (`meshgui.secrets`)."""
        return f"demo/{self.run_id}"

    def issue(self, instance: str) -> IssuedToken:
        token = secrets.token_urlsafe(32)
        path = self.directory / f"{instance}.token"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(token)
        return IssuedToken(path, self._reference(instance, token, path))

    def _reference(self, instance: str, token: str, path: Path) -> TokenRef:
        if self.inline:
            return InlineToken(value=SecretStr(token))
        if self.use_keyring:
            username = f"{self.profile}/{instance}"
            try:
                keyring.set_password(KEYRING_SERVICE, username, token)
            except keyring.errors.KeyringError:
                self.use_keyring = False  # a locked or broken keyring: the file will do
            else:
                self._keyring_users.append(username)
                return KeyringToken(service=KEYRING_SERVICE, username=username)
        return FileToken(path=path)

    def withdraw(self) -> None:
        """Delete every token of this run: keyring entries, files and their directory."""
        users, self._keyring_users = self._keyring_users, []
        for username in users:
            with contextlib.suppress(keyring.errors.KeyringError):
                keyring.delete_password(KEYRING_SERVICE, username)
        shutil.rmtree(self.directory, ignore_errors=True)
