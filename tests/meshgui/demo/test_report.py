"""What mesh-demo prints: aligned table, where tokens are (never what), the users' line."""

from __future__ import annotations

from pathlib import Path

from meshgui.connection_file import ConnectionFile, FileToken, KeyringToken, SidecarEntry
from meshgui.demo.loadgen import LoadReport
from meshgui.demo.report import load_line, sidecar_table, token_note


def connection(token: KeyringToken | FileToken) -> ConnectionFile:
    entries = tuple(
        SidecarEntry(
            service=service,
            instance=instance,
            version=version,
            admin=f"127.0.0.1:{port}",
            metrics_url=f"http://127.0.0.1:{port + 1}/metrics",
            token=token,
        )
        for service, instance, version, port in (
            ("web", "web-1", None, 4000),
            ("recommendations-lite", "recommendations-lite-1", None, 4100),
            ("inventory", "inventory-2", "v2", 4200),
        )
    )
    return ConnectionFile(name="demo/r", sidecars=entries)


def test_table_has_a_row_per_sidecar_with_aligned_columns() -> None:
    lines = sidecar_table(connection(KeyringToken(username="demo/r/web-1"))).splitlines()
    assert lines[0].split() == ["SERVICE", "INSTANCE", "VERSION", "ADMIN", "METRICS"]
    assert lines[3].split() == [
        "inventory",
        "inventory-2",
        "v2",
        "127.0.0.1:4200",
        "http://127.0.0.1:4201/metrics",
    ]
    assert lines[1].split()[2] == "-"
    column = lines[0].index("ADMIN")
    assert all(line[column:].startswith("127.0.0.1:") for line in lines[1:])


def test_token_note_says_where_tokens_are() -> None:
    assert "keyring" in token_note(connection(KeyringToken(username="demo/r/web-1")))
    assert "private files" in token_note(connection(FileToken(path=Path("/x"))))


def test_load_line_shows_rate_success_and_percentiles() -> None:
    report = LoadReport(5.0, 250, 249, 14.2, 61.0, {"502": 1})
    assert load_line(35.0, report) == (
        "[   35s] users: 250 requests (50.0/s), 99.6% ok, p50 14 ms, p99 61 ms; failed: 502 x1"
    )
