"""Per-run admin tokens: private files for the sidecars, the keyring (or not) for the app."""

from __future__ import annotations

import stat
from pathlib import Path

from meshgui.connection_file import FileToken, InlineToken, KeyringToken, read_token
from meshgui.demo.tokens import DemoTokens
from tests.harness.keyring_memory import MemoryKeyring


def test_with_a_keyring_the_app_gets_a_keyring_entry(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    tokens = DemoTokens("run1", directory=tmp_path / "t")
    (tmp_path / "t").mkdir()
    issued = tokens.issue("web-1")
    assert issued.ref == KeyringToken(service="meshgui", username="demo/run1/web-1")
    token = issued.file.read_text()
    assert len(token) >= 40 and read_token(issued.ref) == token
    assert stat.S_IMODE(issued.file.stat().st_mode) == 0o600
    tokens.withdraw()
    assert memory_keyring.passwords == {} and not (tmp_path / "t").exists()


def test_without_a_keyring_the_app_gets_the_token_file(no_keyring: None) -> None:
    tokens = DemoTokens("run2")
    try:
        first, second = tokens.issue("web-1"), tokens.issue("cart-1")
        assert first.ref == FileToken(path=first.file)
        assert first.file.read_text() != second.file.read_text()  # one token per sidecar
        assert stat.S_IMODE(tokens.directory.stat().st_mode) == 0o700
    finally:
        tokens.withdraw()
    assert not tokens.directory.exists()


def test_inline_tokens_skip_the_keyring(memory_keyring: MemoryKeyring) -> None:
    tokens = DemoTokens("run3", inline=True)
    try:
        issued = tokens.issue("web-1")
        assert isinstance(issued.ref, InlineToken)
        assert issued.ref.value.get_secret_value() == issued.file.read_text()
        assert memory_keyring.passwords == {}
    finally:
        tokens.withdraw()
