"""A throwaway self-signed certificate for TLS tests, made with the openssl command line."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True)
class SelfSigned:
    cert: Path
    """Also the CA file a client verifies against: the certificate signs itself."""
    key: Path


def self_signed(directory: Path, name: str = "localhost") -> SelfSigned:
    """A P-256 certificate for `name` and 127.0.0.1, valid for a day."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command line")
    cert, key = directory / "admin-cert.pem", directory / "admin-key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec",
            "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", str(key), "-out", str(cert), "-days", "1",
            "-subj", f"/CN={name}",
            "-addext", f"subjectAltName=DNS:{name},IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
        timeout=30,
    )  # fmt: skip
    return SelfSigned(cert, key)
