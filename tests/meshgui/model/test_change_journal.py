"""The change journal: durable JSON lines that survive a restart, a damaged line and growth."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from meshgui.model.change_journal import ChangeJournal, JournalEntry, default_journal_path


def entry(number: int, profile: str = "demo", outcome: str = "applied") -> JournalEntry:
    return JournalEntry(
        at=1_700_000_000.0 + number,
        profile=profile,
        summary=f"Move {number}% of the traffic for inventory from inventory@v1 to inventory@v2",
        diff="--- version 1\n+++ version 2\n-    - {service: inventory}\n+    - über\n",
        outcome=outcome,
        versions={"web-1": number + 1, "inventory-1": number + 1},
    )


def test_entries_round_trip_and_survive_a_new_instance(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "journal.jsonl"
    journal = ChangeJournal(path)
    written = [entry(1), entry(2, outcome="partly applied"), entry(3, outcome="undone")]
    for item in written:
        journal.append(item)
    assert journal.entries() == written
    reopened = ChangeJournal(path)  # as after a restart of the app
    assert reopened.entries() == written
    assert reopened.damaged_lines == 0
    reopened.append(entry(4))
    assert [e.at for e in ChangeJournal(path).entries()] == [e.at for e in [*written, entry(4)]]


def test_a_missing_file_is_an_empty_journal(tmp_path: Path) -> None:
    journal = ChangeJournal(tmp_path / "none.jsonl")
    assert journal.entries() == [] and journal.damaged_lines == 0


def test_damaged_lines_are_skipped_and_counted(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    journal = ChangeJournal(path)
    journal.append(entry(1))
    with path.open("ab") as raw:
        raw.write(b"{not json\n")
        raw.write(json.dumps({"at": "yesterday", "profile": "demo"}).encode() + b"\n")
        raw.write(b"\xff\xfe\n")
        raw.write(b'{"at": 1.0, "profile": "demo", "summary": "s", "diff": "", "outcome": "x", ')
    # The last line lost its end in a crash: the next entry must not be glued onto it.
    journal.append(entry(2))
    assert journal.entries() == [entry(1), entry(2)]
    assert journal.damaged_lines == 4


def test_entries_are_filtered_by_profile(tmp_path: Path) -> None:
    journal = ChangeJournal(tmp_path / "journal.jsonl")
    for number, profile in enumerate(["demo", "prod", "demo", "staging"]):
        journal.append(entry(number, profile=profile))
    assert [e.at for e in journal.entries("demo")] == [entry(0).at, entry(2).at]
    assert journal.entries("nobody") == []
    assert len(journal.entries()) == 4


def test_the_journal_stays_bounded_and_keeps_the_newest(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    journal = ChangeJournal(path, max_entries=8)
    for number in range(40):
        journal.append(entry(number))
    lines = path.read_bytes().splitlines()
    assert len(lines) <= 8 + 2  # compacted once a quarter past the bound
    kept = journal.entries()
    assert [e.at for e in kept] == [entry(n).at for n in range(32, 40)]
    assert [e.at for e in ChangeJournal(path, max_entries=8).entries()] == [e.at for e in kept]
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_the_default_path_follows_xdg_data_home(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_journal_path() == tmp_path / "meshgui" / "journal.jsonl"
    monkeypatch.setenv("XDG_DATA_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    expected = tmp_path / "home" / ".local" / "share" / "meshgui" / "journal.jsonl"
    assert default_journal_path() == expected
