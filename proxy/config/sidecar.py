"""The sidecar's own settings and `SidecarFile`, the file a mesh-proxy process starts from."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

from pydantic import Field, field_validator, model_validator

from proxy.config.errors import ConfigError, ConfigProblem
from proxy.config.mesh import MeshConfig
from proxy.config.types import (
    Address,
    Duration,
    Labels,
    Loc,
    Name,
    PositiveDuration,
    StrictModel,
    format_loc,
    raise_problems,
    split_address,
)

_ENV_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class Limits(StrictModel):
    """Resource limits of the sidecar's HTTP listeners and upstream connections."""

    max_header_bytes: int = Field(default=65536, ge=1024, le=16 * 1024 * 1024)
    """A request head larger than this is refused with 431."""
    header_timeout: PositiveDuration = 10.0
    """A client must send a complete request head within this."""
    idle_timeout: PositiveDuration = 60.0
    """Keep-alive connections idle this long are closed."""
    retry_buffer_bytes: int = Field(default=65536, ge=0)
    """Request bodies up to this size are buffered so they can be retried; larger are not."""
    max_connections: int = Field(default=10000, ge=1)
    connect_timeout: PositiveDuration = 2.0
    """Deadline for connecting to an upstream endpoint."""


class TokenSource(StrictModel):
    """Where the admin API token comes from: an environment variable or a file, never the
    config itself, so the config can be shown, logged and committed."""

    env: str | None = None
    file: Path | None = None

    @field_validator("env")
    @classmethod
    def _env_name(cls, value: str | None) -> str | None:
        if value is not None and not _ENV_NAME_RE.match(value):
            raise ValueError("is not an environment variable name")
        return value

    @model_validator(mode="after")
    def _exactly_one(self) -> TokenSource:
        if (self.env is None) == (self.file is None):
            raise ValueError("give exactly one of 'env' or 'file'")
        return self

    def read(self, environ: Mapping[str, str] | None = None) -> str:
        """The token, stripped of surrounding whitespace. Raises ConfigError when it is missing,
        unreadable or empty; the message names the variable or file, never the token."""
        if self.env is not None:
            value = (os.environ if environ is None else environ).get(self.env)
            if value is None:
                raise _token_error("env", f"environment variable {self.env} is not set")
            where = f"environment variable {self.env}"
        else:
            assert self.file is not None  # guaranteed by _exactly_one
            try:
                value = self.file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
                raise _token_error("file", f"cannot read {self.file}: {reason}") from None
            where = f"file {self.file}"
        token = value.strip()
        if not token:
            raise _token_error("env" if self.env is not None else "file", f"{where} is empty")
        return token


def _token_error(path: str, reason: str) -> ConfigError:
    return ConfigError("sidecar.token", [ConfigProblem(path, reason)])


class AdminTls(StrictModel):
    """TLS for the admin gRPC listener: the server's certificate chain and private key, as PEM
    files. Clients verify the certificate against a CA file of their own."""

    cert: Path
    key: Path

    def read(self) -> tuple[bytes, bytes]:
        """(certificate chain, private key) as PEM bytes. Raises ConfigError naming the file when
        one is unreadable or holds no PEM block; never echoes the key."""
        return _read_pem(self.cert, "cert", "CERTIFICATE"), _read_pem(
            self.key, "key", "PRIVATE KEY"
        )


def _read_pem(path: Path, field: str, kind: str) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = f"cannot read {path}: {exc.strerror or type(exc).__name__}"
        raise ConfigError("sidecar.admin_tls", [ConfigProblem(field, reason)]) from None
    if b"-----BEGIN " not in data or kind.encode() not in data:
        reason = f"{path} holds no PEM {kind.lower()}"
        raise ConfigError("sidecar.admin_tls", [ConfigProblem(field, reason)])
    return data


class SidecarSettings(StrictModel):
    """Who this sidecar is and where it listens."""

    service: Name
    instance: Name
    namespace: Name = "default"
    labels: Labels = {}
    outbound: Address = "127.0.0.1:15001"
    """The local app calls this with ``Host: <service>`` to reach the mesh."""
    inbound: Address = "127.0.0.1:15006"
    """Other sidecars call this; requests are handed to the local app."""
    app: Address | None = None
    """The local app; None for a pure client such as a load generator."""
    admin: Address = "127.0.0.1:15000"
    metrics: Address = "127.0.0.1:15090"
    tcp_outbound: dict[Name, Address] = {}
    """One local listener per TCP destination service."""
    token: TokenSource | None = None
    """The admin API's bearer token; without one the admin gRPC API does not start."""
    admin_tls: AdminTls | None = None
    """Serve the admin gRPC API over TLS; plaintext (loopback only, by default) when None."""
    state_dir: Path | None = None
    """Where applied mesh config is persisted, so a restart comes back as it was."""
    drain_timeout: Duration = 20.0
    limits: Limits = Limits()

    def listeners(self) -> list[tuple[Loc, str]]:
        """Every address this sidecar binds or calls locally, with the setting that names it."""
        named: list[tuple[Loc, str | None]] = [
            (("outbound",), self.outbound),
            (("inbound",), self.inbound),
            (("app",), self.app),
            (("admin",), self.admin),
            (("metrics",), self.metrics),
        ]
        named.extend((("tcp_outbound", name), addr) for name, addr in self.tcp_outbound.items())
        return [(loc, address) for loc, address in named if address is not None]

    @model_validator(mode="after")
    def _distinct_listeners(self) -> SidecarSettings:
        problems: list[tuple[Loc, str]] = []
        seen: list[tuple[Loc, str]] = []
        for loc, address in self.listeners():
            for earlier_loc, earlier in seen:
                if _addresses_clash(address, earlier):
                    where = format_loc(("sidecar", *earlier_loc))
                    problems.append((loc, f"{address} clashes with {where} ({earlier})"))
                    break
            seen.append((loc, address))
        raise_problems(problems)
        return self


_WILDCARD_HOSTS = {"0.0.0.0", "::"}


def _addresses_clash(first: str, second: str) -> bool:
    host_a, port_a = split_address(first)
    host_b, port_b = split_address(second)
    if port_a != port_b or port_a == 0:  # port 0 asks the kernel for a fresh port each time
        return False
    # A wildcard bind takes the port on every interface, loopback included.
    return host_a == host_b or host_a in _WILDCARD_HOSTS or host_b in _WILDCARD_HOSTS


class SidecarFile(StrictModel):
    """A whole sidecar config file: this sidecar's settings plus the shared mesh config."""

    sidecar: SidecarSettings
    mesh: MeshConfig = MeshConfig()

    @model_validator(mode="after")
    def _tcp_destinations_exist(self) -> SidecarFile:
        problems: list[tuple[Loc, str]] = []
        for name in self.sidecar.tcp_outbound:
            service = self.mesh.services.get(name)
            loc: Loc = ("sidecar", "tcp_outbound", name)
            if service is None:
                problems.append((loc, f"no service named {name!r} in mesh.services"))
            elif service.protocol != "tcp":
                problems.append((loc, f"{name} is an {service.protocol} service, not tcp"))
        raise_problems(problems)
        return self
