"""The connection file: which sidecars make up a running mesh and how to reach their admin APIs.

`mesh-demo` writes one and the desktop app opens it, so it is a contract between the two: it is
versioned (`format`), refuses unknown keys, and normally holds no secret. A sidecar's admin token
is referred to by where it lives (the OS keyring, a private file); only when the user asks for it
is the token itself written here, and then the file is readable by its owner alone.

Example::

    format: meshgui.connection/v1
    name: demo/5f3a9c1e
    created: '2025-01-31T12:00:00Z'
    sidecars:
    - service: inventory
      instance: inventory-1
      version: v1
      admin: 127.0.0.1:41001
      metrics_url: http://127.0.0.1:41002/metrics
      token: {source: keyring, service: meshgui, username: demo/5f3a9c1e/inventory-1}
      pid: 4242
      app_pid: 4241
    demo:
      run_id: 5f3a9c1e
      pid: 4200
      run_dir: /tmp/mesh-demo-5f3a9c1e-ab12
      control: 127.0.0.1:41999
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Final, Literal

import keyring
import keyring.errors
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_serializer

from proxy.config import Address, ConfigError, ConfigProblem
from proxy.config.types import Name
from proxy.config.yaml_io import dump_yaml, parse_text, styled

FORMAT: Final = "meshgui.connection/v1"
MESH_KEYS: Final = frozenset({"services", "routes", "mesh", "sidecar"})
"""Top-level keys of a mesh config or sidecar file: what a connection file is mistaken for."""
KEYRING_SERVICE = "meshgui"
"""The keyring service every meshgui token is stored under (see `meshgui.secrets`)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class KeyringToken(_Strict):
    """The token is in the OS keyring under (`service`, `username`)."""

    source: Literal["keyring"] = "keyring"
    service: str = KEYRING_SERVICE
    username: str


class FileToken(_Strict):
    """The token is the content of a file only its owner can read."""

    source: Literal["file"] = "file"
    path: Path


class InlineToken(_Strict):
    """The token itself, because the user chose to keep it in the connection file."""

    source: Literal["inline"] = "inline"
    value: SecretStr
    """A SecretStr, so printing the model or its repr never shows the token."""

    @field_serializer("value", when_used="json")
    def _reveal(self, value: SecretStr) -> str:
        return value.get_secret_value()


TokenRef = Annotated[KeyringToken | FileToken | InlineToken, Field(discriminator="source")]


class SidecarEntry(_Strict):
    """One sidecar: whose it is, where its admin API and metrics are, how to get its token."""

    service: Name
    instance: Name
    version: str | None = None
    """The instance's ``version`` label, when it has one."""
    admin: Address
    """The gRPC admin API."""
    metrics_url: str = Field(pattern=r"^https?://")
    token: TokenRef | None = None
    """None: the sidecar's admin API takes no token (read-only use)."""
    pid: int | None = Field(default=None, ge=1)
    """The sidecar's process, when it runs on this machine."""
    app_pid: int | None = Field(default=None, ge=1)
    """The process of the app beside it, when it runs on this machine."""


class DemoInfo(_Strict):
    """What only a `mesh-demo` run has: its id, process, logs and scenario control endpoint."""

    run_id: str
    pid: int = Field(ge=1)
    run_dir: Path
    control: Address
    """``POST http://<control>/scenarios/<name>`` triggers a scenario (`mesh-demo trigger`)."""


class ConnectionFile(_Strict):
    """A running mesh as the desktop app connects to it."""

    format: Literal["meshgui.connection/v1"] = FORMAT
    name: str
    """A profile name; a keyring token's username starts with it (``<name>/<instance>``)."""
    created: datetime = Field(default_factory=lambda: datetime.now(UTC))
    sidecars: tuple[SidecarEntry, ...] = ()
    demo: DemoInfo | None = None


class TokenUnavailableError(Exception):
    """A token reference that cannot be resolved; the message names where, never the token."""


def read_token(ref: TokenRef) -> str:
    """The token `ref` points to. Raises TokenUnavailableError when it is missing or empty."""
    if isinstance(ref, InlineToken):
        token = ref.value.get_secret_value()
        where = "the connection file"
    elif isinstance(ref, FileToken):
        try:
            token = ref.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise TokenUnavailableError(f"cannot read the token file {ref.path}: {exc}") from None
        where = f"the file {ref.path}"
    else:
        where = f"the keyring entry {ref.service}/{ref.username}"
        try:
            found = keyring.get_password(ref.service, ref.username)
        except keyring.errors.KeyringError as exc:
            raise TokenUnavailableError(f"cannot read {where}: {exc}") from None
        token = found or ""
    token = token.strip()
    if not token:
        raise TokenUnavailableError(f"no token in {where}")
    return token


def dump_connection_file(connection: ConnectionFile) -> str:
    """YAML text for `connection`, with a header saying what the file is."""
    data: dict[str, Any] = connection.model_dump(mode="json")
    # Process ids only mean something for a local mesh; "no version label" is information.
    for entry in data["sidecars"]:
        for key in ("pid", "app_pid"):
            if entry[key] is None:
                del entry[key]
    if data["demo"] is None:
        del data["demo"]
    body = dump_yaml(styled(data))
    return "# meshgui connection file: the sidecars of a running mesh. Private: mode 0600.\n" + body


def save_connection_file(connection: ConnectionFile, path: Path) -> None:
    """Write `connection` to `path` atomically (temp file, fsync, rename), readable by the owner
    alone, so a reader never sees half a file and nobody else sees token locations."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:  # mkstemp creates it with mode 0600
            out.write(dump_connection_file(connection))
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise


def load_connection_file(path: Path) -> ConnectionFile:
    """The connection file at `path`. Raises ConfigError naming every problem in it, each on a
    line of its own with the line (and column, for a syntax error) where it is."""
    source = str(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        reason = f"cannot read the file: {exc.strerror or type(exc).__name__}"
        raise ConfigError(source, [ConfigProblem("", reason)]) from None
    except UnicodeDecodeError as exc:
        reason = f"not a text file (byte {exc.start} is not UTF-8)"
        raise ConfigError(source, [ConfigProblem("", reason)]) from None
    data, line_of = parse_text(text, source)  # the mesh config's reader: same error wording
    if not isinstance(data, dict):
        reason = "the file is empty" if data is None else "expected a mapping at the top level"
        raise ConfigError(source, [ConfigProblem("", reason)])
    if data.get("format") != FORMAT:
        raise ConfigError(source, [_format_problem(data, line_of)])
    try:
        return ConnectionFile.model_validate(data)
    except ValidationError as exc:
        raise ConfigError.from_validation(source, exc, ConnectionFile, line_of) from None


def _format_problem(data: dict[str, Any], line_of: Any) -> ConfigProblem:
    if "format" not in data:
        reason = f"not a connection file (it has no 'format: {FORMAT}')"
        if MESH_KEYS & data.keys():
            reason += "; it looks like a mesh config"
        return ConfigProblem("", reason)
    reason = f"unsupported format {data['format']!r} (this build reads {FORMAT})"
    return ConfigProblem("format", reason, line_of(("format",)) if line_of else None)


def error_line(error: ConfigError, most: int = 2) -> str:
    """`error` on one line, for a status bar: its first `most` problems and how many more."""
    shown = [problem.describe(error.source) for problem in error.problems[:most]]
    # Each describe() starts with the file; say it once.
    prefix = f"{error.source}: "
    text = "; ".join([shown[0], *(line.removeprefix(prefix) for line in shown[1:])])
    more = len(error.problems) - most
    return f"{text} (and {more} more)" if more > 0 else text
