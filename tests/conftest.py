"""Test configuration that must hold before Qt loads: offscreen rendering and private settings."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator

import keyring
import keyring.backend
import pytest

# Qt tests run offscreen because the tests say so, not because the user's shell does.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# QSettings and anything else under XDG dirs stay out of the user's home.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="meshgui-test-config-")
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="meshgui-test-data-")

from tests.harness.keyring_memory import MemoryKeyring
from tests.harness.processes import ProcessPool


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        yield
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def processes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProcessPool]:
    """Start real mesh-proxy sidecars and upstream apps; all are killed when the test ends."""
    pool = ProcessPool(tmp_path_factory.mktemp("processes"))
    try:
        yield pool
    finally:
        pool.stop_all()
