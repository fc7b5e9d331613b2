"""Tokens: keyring when one exists, session memory (and a plain message) when none does."""

from __future__ import annotations

from meshgui.secrets import TokenStore, keyring_status
from tests.harness.keyring_memory import MemoryKeyring


def test_tokens_go_to_the_keyring(memory_keyring: MemoryKeyring) -> None:
    store = TokenStore()
    assert store.status.available
    store.set("prod", "web-1", "s3cret")
    assert memory_keyring.passwords == {("meshgui", "prod/web-1"): "s3cret"}
    assert store.get("prod", "web-1") == "s3cret"
    store.delete("prod", "web-1")
    assert store.get("prod", "web-1") is None


def test_without_keyring_tokens_live_for_the_session_only(no_keyring: None) -> None:
    status = keyring_status()
    assert not status.available
    assert "session only" in status.message
    store = TokenStore()
    store.set("prod", "web-1", "s3cret")
    assert store.get("prod", "web-1") == "s3cret"
    assert TokenStore().get("prod", "web-1") is None  # a new session does not have it
