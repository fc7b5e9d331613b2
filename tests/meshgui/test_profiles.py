"""Connection profiles: settings hold everything but tokens, tokens go to the keyring (or this
session), positions are kept per profile, and a profile turns into the sidecars to dial."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from meshgui.connection_file import (
    ConnectionFile,
    FileToken,
    InlineToken,
    KeyringToken,
    SidecarEntry,
    save_connection_file,
)
from meshgui.profiles import ConnectionProfile, ProfileStore, targets_for
from meshgui.secrets import TokenStore
from tests.harness.keyring_memory import MemoryKeyring

PROD = ConnectionProfile("prod/eu", addresses=("10.0.0.1:9901", "10.0.0.2:9901"))


def store_at(path: Path) -> ProfileStore:
    return ProfileStore(QSettings(str(path), QSettings.Format.IniFormat), TokenStore())


def test_profiles_round_trip_and_the_token_stays_out_of_settings(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    settings_file = tmp_path / "s.ini"
    settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
    store = ProfileStore(settings, TokenStore())
    tls = ConnectionProfile(
        "lab", connection_file=tmp_path / "c.yaml", tls=True, ca_file=Path("/ca")
    )
    store.save(PROD, token="s3cret-token")
    store.save(tls)
    store.set_last_profile("prod/eu")
    settings.sync()

    again = store_at(settings_file)
    assert again.names() == ["lab", "prod/eu"]
    assert again.load("prod/eu") == PROD
    assert again.load("lab") == tls
    assert again.last_profile == "prod/eu"
    assert again.token("prod/eu") == "s3cret-token"
    assert "s3cret-token" not in settings_file.read_text()
    assert ("meshgui", "prod/eu/*") in memory_keyring.passwords


def test_saving_without_a_token_keeps_it_and_an_empty_one_forgets_it(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    store = store_at(tmp_path / "s.ini")
    store.save(PROD, token="one")
    store.save(PROD)
    assert store.token(PROD.name) == "one"
    store.save(PROD, token="")
    assert store.token(PROD.name) is None


def test_without_a_keyring_the_token_lives_for_the_session(
    tmp_path: Path, no_keyring: None
) -> None:
    store = store_at(tmp_path / "s.ini")
    store.save(PROD, token="session-only")
    assert store.token(PROD.name) == "session-only"
    assert store_at(tmp_path / "s.ini").token(PROD.name) is None
    assert "session-only" not in (tmp_path / "s.ini").read_text()


def test_positions_are_kept_per_profile_and_deleted_with_it(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    store = store_at(tmp_path / "s.ini")
    store.save(PROD, token="t")
    store.set_last_profile(PROD.name)
    store.save_positions(PROD.name, {"web": (1.25, -40.0)})
    store.save_positions("other", {"web": (9.0, 9.0)})
    assert store.positions(PROD.name) == {"web": (1.2, -40.0)}
    store.delete(PROD.name)
    assert store.load(PROD.name) is None
    assert store.positions(PROD.name) == {}
    assert store.positions("other") == {"web": (9.0, 9.0)}
    assert store.token(PROD.name) is None
    assert store.last_profile is None


def test_a_damaged_settings_value_is_no_profile_rather_than_a_crash(tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    settings.setValue("connection/profiles", "{not json")
    store = ProfileStore(settings, TokenStore())
    assert store.names() == []
    assert store.positions("x") == {}


def test_addresses_become_targets_with_the_profile_token() -> None:
    profile = ConnectionProfile("p", addresses=("10.0.0.1:1", " 10.0.0.1:1 ", "10.0.0.2:2"))
    resolved = targets_for(profile, "tok")
    assert [(t.sidecar_id, t.address, t.token) for t in resolved.targets] == [
        ("10.0.0.1:1", "10.0.0.1:1", "tok"),
        ("10.0.0.2:2", "10.0.0.2:2", "tok"),
    ]
    assert all(t.ca_file is None for t in resolved.targets)
    assert resolved.problems == []


def test_tls_without_a_ca_is_reported() -> None:
    resolved = targets_for(ConnectionProfile("p", addresses=("h:1",), tls=True), None)
    assert resolved.problems == ["TLS is on but no CA file is set"]
    with_ca = targets_for(
        ConnectionProfile("p", addresses=("h:1",), tls=True, ca_file=Path("/ca.pem")), None
    )
    assert with_ca.targets[0].ca_file == Path("/ca.pem")


def test_a_connection_file_gives_each_sidecar_its_own_token(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    memory_keyring.passwords[("meshgui", "demo/r1/cart-1")] = "from-keyring"
    token_file = tmp_path / "token"
    token_file.write_text("from-file\n")

    def entry(instance: str, token: object) -> SidecarEntry:
        return SidecarEntry(
            service=instance.split("-")[0],
            instance=instance,
            admin=f"127.0.0.1:{4000 + len(instance)}",
            metrics_url="http://127.0.0.1:1/metrics",
            token=token,  # type: ignore[arg-type]
        )

    connection = ConnectionFile(
        name="demo/r1",
        sidecars=(
            entry("cart-1", KeyringToken(username="demo/r1/cart-1")),
            entry("web-1", FileToken(path=token_file)),
            entry("tags-1", InlineToken(value="inline")),  # type: ignore[arg-type]
            entry("db-1", KeyringToken(username="demo/r1/missing")),
            entry("open-1", None),
        ),
    )
    path = tmp_path / "connection.yaml"
    save_connection_file(connection, path)
    resolved = targets_for(ConnectionProfile("demo", connection_file=path), "fallback")
    tokens = {t.sidecar_id: t.token for t in resolved.targets}
    assert tokens == {
        "cart-1": "from-keyring",
        "web-1": "from-file",
        "tags-1": "inline",
        "db-1": "fallback",
        "open-1": "fallback",
    }
    assert len(resolved.problems) == 1 and resolved.problems[0].startswith("db-1: ")


def test_an_unreadable_connection_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    resolved = targets_for(ConnectionProfile("x", connection_file=tmp_path / "none.yaml"), None)
    assert resolved.targets == []
    assert "cannot read the file" in resolved.problems[0]
