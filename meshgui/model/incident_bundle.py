"""Incident bundles: one .zip keeping what the app showed at a moment, to be opened again
read-only — on another machine, after the mesh has long moved on.

Contents (standard JSON, ``null`` for a number the model did not know):

- ``manifest.json``: format and version, app version, profile, when it was made, what it holds;
- ``topology.json``: the TopologyView on screen (`meshgui.model.view_codec`);
- ``metrics.json``: the last hour (`history_seconds`) of every edge, on the model's time grid;
- ``mesh.yaml``: the mesh config, native (what ``mesh-proxy --config`` loads), when known;
- ``journal.jsonl``: the change journal, one entry per line, oldest first.

Writing is in `meshgui.model.incident_bundle_writer`. Reading checks everything (zip checksums,
the manifest's format, every field) and refuses a damaged or foreign file with a `BundleError`
that says what is wrong, because a bundle is passed around by hand.
"""

from __future__ import annotations

import io
import json
import math
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

import numpy as np

from meshgui.model.change_journal import JournalEntry
from meshgui.model.json_reader import CodecError
from meshgui.model.types import EdgeHistory, EdgeKey, TopologyView
from meshgui.model.view_codec import history_from_json, view_from_json
from proxy.config import ConfigError, MeshConfig, parse_mesh_document

FORMAT = "meshgui.incident-bundle"
FORMAT_VERSION = 1
HISTORY_SECONDS = 3600.0
MANIFEST = "manifest.json"
TOPOLOGY = "topology.json"
METRICS = "metrics.json"
MESH = "mesh.yaml"
JOURNAL = "journal.jsonl"
MAX_UNPACKED_BYTES = 2 << 30
"""A bundle that would unpack to more than this is refused rather than read into memory."""


class BundleError(Exception):
    """A file that cannot be opened as an incident bundle; the message names it and says why."""


@dataclass(frozen=True)
class BundleManifest:
    format_version: int
    app_version: str
    profile: str
    created_at: float
    """Seconds since the Unix epoch."""
    history_seconds: float
    mesh_version: int | None
    """The mesh config's version; None when the bundle holds no mesh config."""


class IncidentBundle:
    """An opened bundle: what the app showed then, read-only."""

    def __init__(
        self,
        path: Path,
        manifest: BundleManifest,
        view: TopologyView,
        histories: Mapping[EdgeKey, EdgeHistory],
        mesh: MeshConfig | None,
        journal: Sequence[JournalEntry],
    ) -> None:
        self.path = path
        self.manifest = manifest
        self.view = view
        self.mesh = mesh
        self.journal = tuple(journal)
        self._histories = dict(histories)
        ends = [float(h.t[-1]) for h in self._histories.values() if len(h.t)]
        self.data_until: float | None = max(ends) if ends else None
        """The newest time in the metrics: "now" as the bundle saw it."""

    def __repr__(self) -> str:
        return f"IncidentBundle({str(self.path)!r}, profile={self.manifest.profile!r})"

    @property
    def edge_keys(self) -> list[EdgeKey]:
        return sorted(self._histories)

    def history(self, key: EdgeKey, seconds: float) -> EdgeHistory:
        """The edge's last `seconds` up to `data_until`, as `MeshModel.history` answers, so the
        details dock can chart a bundle; empty arrays for an edge the bundle does not hold."""
        found = self._histories.get(key)
        if found is None or self.data_until is None:
            empty = np.zeros(0)
            return EdgeHistory(empty, empty, empty, empty, empty, empty)
        keep = found.t > self.data_until - seconds
        tries = found.tries_failed_pct
        return EdgeHistory(
            found.t[keep],
            found.rps[keep],
            found.error_pct[keep],
            found.p50_ms[keep],
            found.p90_ms[keep],
            found.p99_ms[keep],
            None if tries is None else tries[keep],
        )


def journal_line(entry: JournalEntry) -> str:
    """One line of ``journal.jsonl``: the entry as the app's own journal file writes it."""
    return json.dumps(asdict(entry), ensure_ascii=False, allow_nan=False) + "\n"


def journal_entry_from_json(data: Any) -> JournalEntry:
    """The entry `journal_line` wrote. Raises ValueError saying what is wrong."""
    names = {f.name for f in fields(JournalEntry)}
    if not isinstance(data, dict) or not data.keys() <= names:
        raise ValueError(f"expected an object with keys among {', '.join(sorted(names))}")
    at, versions = data.get("at"), data.get("versions", {})
    if isinstance(at, bool) or not isinstance(at, int | float):
        raise ValueError("'at' must be a time in seconds")
    if not isinstance(versions, dict) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in versions.values()
    ):
        raise ValueError("'versions' must map sidecars to whole numbers")
    texts = ("profile", "summary", "diff", "outcome", "by")
    if not all(isinstance(data.get(key, ""), str) for key in texts):
        raise ValueError(f"{', '.join(texts)} must be text")
    return JournalEntry(**{**data, "at": float(at), "versions": dict(versions)})


def read_bundle(path: Path | str) -> IncidentBundle:
    """Open the bundle at `path`. Raises BundleError for a file that cannot be read, is not a
    zip, is damaged, is no meshgui incident bundle, or comes from a newer meshgui."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BundleError(f"{path}: cannot read the file: {exc.strerror or exc}") from None
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile:
        raise BundleError(
            f"{path}: not an incident bundle (not a zip file, or a truncated one)"
        ) from None
    with archive:
        members = _Members(path, archive)
        manifest = _manifest(path, members.json(MANIFEST))
        view = members.decoded(TOPOLOGY, lambda text: view_from_json(json.loads(text)))
        histories = members.decoded(METRICS, lambda text: _histories(json.loads(text)))
        mesh: MeshConfig | None = None
        if manifest.mesh_version is not None:
            text = members.text(MESH)
            try:
                mesh = parse_mesh_document(text, f"{path}:{MESH}")
            except ConfigError as exc:
                raise BundleError(f"{path}: {MESH} is not a valid mesh config:\n{exc}") from None
        journal = members.decoded(JOURNAL, _journal)
    return IncidentBundle(path, manifest, view, histories, mesh, journal)


class _Members:
    """The archive's files, read with their checksums verified."""

    def __init__(self, path: Path, archive: zipfile.ZipFile) -> None:
        self.path = path
        self.archive = archive
        names = archive.namelist()
        if MANIFEST not in names:
            raise BundleError(f"{path}: not a meshgui incident bundle (it has no {MANIFEST})")
        if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
            limit = MAX_UNPACKED_BYTES >> 30
            raise BundleError(f"{path}: refused: it would unpack to more than {limit} GiB")

    def text(self, name: str) -> str:
        try:
            return self.archive.read(name).decode("utf-8")
        except KeyError:
            raise BundleError(f"{self.path}: damaged or incomplete: {name} is missing") from None
        except (zipfile.BadZipFile, zlib.error, EOFError, UnicodeDecodeError):
            raise BundleError(f"{self.path}: damaged: {name} fails its checksum") from None

    def json(self, name: str) -> Any:
        return self.decoded(name, json.loads)

    def decoded(self, name: str, decode: Any) -> Any:
        text = self.text(name)
        try:
            return decode(text)
        except json.JSONDecodeError as exc:
            raise BundleError(f"{self.path}: {name}: not JSON ({exc})") from None
        except (CodecError, ValueError, TypeError) as exc:
            raise BundleError(f"{self.path}: {name}: {exc}") from None


def _manifest(path: Path, data: Any) -> BundleManifest:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BundleError(f"{path}: not a meshgui incident bundle ({MANIFEST} names no {FORMAT})")
    version = data.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BundleError(f"{path}: {MANIFEST}: format_version must be a whole number >= 1")
    if version > FORMAT_VERSION:
        raise BundleError(
            f"{path}: made by a newer meshgui ({data.get('app_version', '?')}, bundle format "
            f"{version}); this one reads format {FORMAT_VERSION}: update meshgui to open it"
        )
    try:
        mesh_version = data.get("mesh_version")
        return BundleManifest(
            format_version=version,
            app_version=str(data["app_version"]),
            profile=str(data["profile"]),
            created_at=_finite(data["created_at_epoch"]),
            history_seconds=_finite(data["history_seconds"]),
            mesh_version=None if mesh_version is None else int(mesh_version),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise BundleError(f"{path}: {MANIFEST}: missing or bad field {exc}") from None


def _finite(value: Any) -> float:
    number = float(value)
    if isinstance(value, bool) or not math.isfinite(number):
        raise ValueError(repr(value))
    return number


def _histories(data: Any) -> dict[EdgeKey, EdgeHistory]:
    edges = data.get("edges") if isinstance(data, dict) else None
    if not isinstance(edges, list):
        raise CodecError("edges: expected a list")
    histories: dict[EdgeKey, EdgeHistory] = {}
    for index, item in enumerate(edges):
        key, history = history_from_json(item, f"edges[{index}]")
        histories[key] = history
    return histories


def _journal(text: str) -> list[JournalEntry]:
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                entries.append(journal_entry_from_json(json.loads(line)))
            except (ValueError, TypeError, KeyError) as exc:
                raise CodecError(f"line {number}: not a journal entry ({exc})") from None
    return entries
