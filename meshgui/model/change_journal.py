"""The change journal: every config change the operator made, what it did and how it ended.

One JSON object per line, appended and fsync'd before the call returns, so a crash loses at most
the line being written; a damaged line (a crash mid-write, an edit by hand) is skipped and
counted, never fatal. The file is kept to about `max_entries` lines by rewriting it atomically
(temporary file, fsync, rename) once it has grown a quarter past that.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

OUTCOMES = ("applied", "partly applied", "failed", "rolled back", "undone", "redone")
"""The outcomes the app writes; entries with others (a newer app's) are read all the same."""


@dataclass(frozen=True)
class JournalEntry:
    """One change as it ended."""

    at: float
    """Seconds since the Unix epoch."""
    profile: str
    """The connection profile (which mesh) it was made on."""
    summary: str
    diff: str
    outcome: str
    versions: Mapping[str, int] = field(default_factory=dict)
    """Sidecar id -> the config version it runs after the change."""
    by: str = "meshgui"


def default_journal_path() -> Path:
    """``$XDG_DATA_HOME/meshgui/journal.jsonl``, else ``~/.local/share/meshgui/journal.jsonl``."""
    data_home = os.environ.get("XDG_DATA_HOME", "")
    base = Path(data_home) if os.path.isabs(data_home) else Path.home() / ".local" / "share"
    return base / "meshgui" / "journal.jsonl"


class ChangeJournal:
    """The journal file at `path`, holding about the last `max_entries` changes."""

    def __init__(self, path: Path, *, max_entries: int = 2000) -> None:
        if max_entries < 1:
            raise ValueError(f"max_entries must be at least 1, got {max_entries}")
        self.path = Path(path)
        self.max_entries = max_entries
        self.damaged_lines = 0
        """Lines the last `entries` call could not read."""
        self._line_count: int | None = None  # counted on the first append

    def append(self, entry: JournalEntry) -> None:
        """Add `entry` durably. Raises OSError when the file cannot be written."""
        data = (json.dumps(_to_json(entry), ensure_ascii=False) + "\n").encode("utf-8")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self._line_count is None:
            self._line_count = len(self._read_lines())
        with self.path.open("a+b") as journal:
            # A crash mid-write leaves a line without its newline; ours must not join it.
            size = journal.seek(0, os.SEEK_END)
            if size > 0:
                journal.seek(size - 1)
                if journal.read(1) != b"\n":
                    data = b"\n" + data
            journal.write(data)
            journal.flush()
            os.fsync(journal.fileno())
        self._line_count += 1
        if self._line_count > self.max_entries + max(1, self.max_entries // 4):
            self._compact()

    def entries(self, profile: str | None = None) -> list[JournalEntry]:
        """The last `max_entries` readable entries, oldest first; only `profile`'s if given."""
        found: list[JournalEntry] = []
        damaged = 0
        for line in self._read_lines():
            entry = _from_line(line)
            if entry is None:
                damaged += 1
            else:
                found.append(entry)
        self.damaged_lines = damaged
        newest = found[-self.max_entries :]
        return [entry for entry in newest if profile is None or entry.profile == profile]

    def _read_lines(self) -> list[bytes]:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return []
        return [line for line in raw.split(b"\n") if line.strip()]

    def _compact(self) -> None:
        kept = [line for line in self._read_lines() if _from_line(line) is not None]
        kept = kept[-self.max_entries :]
        handle, temporary = tempfile.mkstemp(prefix=".journal-", dir=self.path.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(b"".join(line + b"\n" for line in kept))
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        _fsync_directory(self.path.parent)
        self._line_count = len(kept)


def _fsync_directory(directory: Path) -> None:
    # The rename is durable only once the directory is; not every platform can open one.
    with contextlib.suppress(OSError):
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _to_json(entry: JournalEntry) -> dict[str, Any]:
    return {
        "at": entry.at,
        "profile": entry.profile,
        "summary": entry.summary,
        "diff": entry.diff,
        "outcome": entry.outcome,
        "versions": dict(entry.versions),
        "by": entry.by,
    }


def _from_line(line: bytes) -> JournalEntry | None:
    try:
        data = json.loads(line)
    except ValueError:  # JSONDecodeError and UnicodeDecodeError alike
        return None
    if not isinstance(data, dict):
        return None
    at, versions = data.get("at"), data.get("versions", {})
    texts = [data.get(key) for key in ("profile", "summary", "diff", "outcome")]
    by = data.get("by", "meshgui")
    if (
        isinstance(at, bool)
        or not isinstance(at, int | float)
        or not all(isinstance(text, str) for text in [*texts, by])
        or not isinstance(versions, dict)
        or not all(_is_version(value) for value in versions.values())
    ):
        return None
    profile, summary, diff, outcome = (str(text) for text in texts)
    return JournalEntry(float(at), profile, summary, diff, outcome, dict(versions), str(by))


def _is_version(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
