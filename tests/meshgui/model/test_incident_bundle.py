"""Incident bundles: what goes in comes out, written atomically, damaged or foreign files refused
with a message that says why."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from meshgui import __version__
from meshgui.model import incident_bundle
from meshgui.model.change_journal import ChangeJournal, JournalEntry
from meshgui.model.incident_bundle import BundleError, read_bundle
from meshgui.model.incident_bundle_writer import (
    BundleCancelledError,
    BundleContents,
    gather_bundle,
    write_bundle,
)
from meshgui.model.mesh_model import MeshModel
from meshgui.model.types import EdgeKey
from tests.meshgui.export.samples import sample
from tests.meshgui.model.snapshots import FakeClock, ok_edge, snapshot, workload
from tests.meshgui.views.fakes import CART_INVENTORY, WEB_CART, history, retail_view

CREATED = 1_700_000_600.0
JOURNAL = (
    JournalEntry(
        1_700_000_100.0, "demo", "Move 25% of cart to v2", "-a\n+b\n", "applied", {"web-1": 4}
    ),
    JournalEntry(1_700_000_200.0, "demo", "Drain inventory-2", "-x\n+y\n", "partly applied", {}),
)


def contents(**overrides: object) -> BundleContents:
    view = retail_view()
    values: dict[str, object] = dict(
        profile="demo",
        view=view,
        histories={key: history(600) for key in view.edges},
        mesh=sample().mesh,
        journal=JOURNAL,
        created_at=CREATED,
    )
    values.update(overrides)
    return BundleContents(**values)  # type: ignore[arg-type]


@pytest.fixture
def written(tmp_path: Path) -> Path:
    path = tmp_path / "incident.zip"
    write_bundle(path, contents())
    return path


def test_what_goes_in_comes_out(written: Path) -> None:
    bundle = read_bundle(written)
    assert bundle.view == retail_view()
    assert bundle.mesh == sample().mesh
    assert bundle.journal == JOURNAL
    assert bundle.manifest.profile == "demo"
    assert bundle.manifest.app_version == __version__
    assert bundle.manifest.created_at == CREATED
    assert bundle.manifest.mesh_version == sample().mesh.version
    assert bundle.edge_keys == sorted(retail_view().edges)
    whole = bundle.history(WEB_CART, 3600)
    original = history(600)
    assert np.array_equal(whole.t, original.t)
    assert np.allclose(whole.p99_ms, original.p99_ms, atol=1e-4)
    assert np.array_equal(np.isnan(whole.rps), np.isnan(original.rps))


def test_history_answers_like_the_model_up_to_the_bundles_newest_time(written: Path) -> None:
    bundle = read_bundle(written)
    last_minute = bundle.history(CART_INVENTORY, 60)
    assert bundle.data_until == history(600).t[-1]
    assert len(last_minute.t) == 60 and last_minute.t[-1] == bundle.data_until
    unknown = bundle.history(EdgeKey("nobody", "nowhere", "http"), 60)
    assert len(unknown.t) == 0 and len(unknown.p99_ms) == 0


def test_the_zip_holds_the_documented_files(written: Path) -> None:
    with zipfile.ZipFile(written) as archive:
        names = archive.namelist()
        manifest = json.loads(archive.read("manifest.json"))
        metrics = json.loads(archive.read("metrics.json"))
        mesh_text = archive.read("mesh.yaml").decode()
        journal_lines = archive.read("journal.jsonl").decode().splitlines()
    assert names == ["manifest.json", "topology.json", "metrics.json", "mesh.yaml", "journal.jsonl"]
    assert manifest["format"] == "meshgui.incident-bundle" and manifest["format_version"] == 1
    assert manifest["created_at"] == "2023-11-14T22:23:20Z"
    assert manifest["profile"] == "demo" and manifest["edges"] == 6
    assert len(metrics["edges"]) == 6 and metrics["history_seconds"] == 3600
    assert mesh_text.startswith("version:")
    assert len(journal_lines) == 2


def test_the_journal_lines_read_as_the_apps_own_journal(written: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(written) as archive:
        (tmp_path / "journal.jsonl").write_bytes(archive.read("journal.jsonl"))
    assert ChangeJournal(tmp_path / "journal.jsonl").entries() == list(JOURNAL)


def test_without_a_mesh_config_there_is_no_mesh_yaml(tmp_path: Path) -> None:
    path = tmp_path / "b.zip"
    write_bundle(path, contents(mesh=None, journal=()))
    with zipfile.ZipFile(path) as archive:
        assert "mesh.yaml" not in archive.namelist()
    bundle = read_bundle(path)
    assert bundle.mesh is None and bundle.journal == ()
    assert bundle.manifest.mesh_version is None


def test_gathering_reads_every_edge_from_the_model_once() -> None:
    clock = FakeClock(1000.0)
    model = MeshModel(clock=clock, window_s=5.0)
    web, cart = workload("web", "web-1"), workload("cart", "cart-1")
    for second in range(30):
        clock.now = 1000.0 + second
        model.ingest("web", snapshot(clock.now, http=[ok_edge("source", web, cart, 20 * second)]))
        model.view()
    view = model.view()
    asked: list[tuple[EdgeKey, float]] = []

    def source(key: EdgeKey, seconds: float) -> object:
        asked.append((key, seconds))
        return model.history(key, seconds)

    gathered = gather_bundle(
        view,
        source,
        profile="p",
        mesh=None,
        journal=JOURNAL,
        seconds=20,
        clock=clock,  # type: ignore[arg-type]
    )
    assert asked == [(key, 20) for key in sorted(view.edges)]
    assert gathered.created_at == clock.now and gathered.journal == JOURNAL
    edge = EdgeKey("web", "cart", "http")
    assert len(gathered.histories[edge].t) == 20
    assert np.nanmax(gathered.histories[edge].rps) == pytest.approx(20.0)


def test_an_edge_the_source_does_not_know_is_left_out() -> None:
    view = retail_view()
    gathered = gather_bundle(
        view,
        lambda key, s: None if key == WEB_CART else history(10),
        profile="p",
        mesh=None,
        journal=(),
    )
    assert WEB_CART not in gathered.histories and len(gathered.histories) == len(view.edges) - 1


def test_progress_runs_to_the_total(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    write_bundle(
        tmp_path / "b.zip", contents(), lambda done, total: seen.append((done, total)) or True
    )
    assert seen[-1] == (8, 8)  # 6 edges, the topology, the end
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_cancelling_leaves_the_old_bundle_and_no_temporary_file(written: Path) -> None:
    before = written.read_bytes()
    with pytest.raises(BundleCancelledError):
        write_bundle(written, contents(profile="other"), lambda done, total: done < 3)
    assert written.read_bytes() == before
    assert sorted(p.name for p in written.parent.iterdir()) == [written.name]


def test_an_unwritable_place_raises_oserror(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        write_bundle(tmp_path / "missing-folder" / "b.zip", contents())


# -- refusing what is not a good bundle -----------------------------------------------------------
def rewrite(path: Path, replace: dict[str, bytes | None]) -> None:
    """Copy the bundle with some members replaced (None: left out)."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    for name, data in replace.items():
        if data is None:
            members.pop(name, None)
        else:
            members[name] = data
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def manifest_with(path: Path, **fields: object) -> bytes:
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    manifest.update(fields)
    return json.dumps(manifest).encode()


def refused(path: Path) -> str:
    with pytest.raises(BundleError) as caught:
        read_bundle(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    return message


def test_a_missing_file(tmp_path: Path) -> None:
    assert "cannot read the file" in refused(tmp_path / "nope.zip")


def test_not_a_zip_or_a_truncated_one(written: Path, tmp_path: Path) -> None:
    text = tmp_path / "notes.zip"
    text.write_text("hello", encoding="utf-8")
    assert "not an incident bundle (not a zip file" in refused(text)
    written.write_bytes(written.read_bytes()[: written.stat().st_size // 2])
    assert "not a zip file, or a truncated one" in refused(written)


def test_a_corrupted_member_fails_its_checksum(written: Path) -> None:
    data = bytearray(written.read_bytes())
    with zipfile.ZipFile(written) as archive:
        info = archive.getinfo("metrics.json")
    middle = info.header_offset + 30 + len(info.filename) + info.compress_size // 2
    data[middle] ^= 0xFF
    written.write_bytes(bytes(data))
    assert "damaged: metrics.json fails its checksum" in refused(written)


def test_a_foreign_zip(tmp_path: Path) -> None:
    path = tmp_path / "photos.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("cat.jpg", b"...")
    assert "not a meshgui incident bundle (it has no manifest.json)" in refused(path)
    rewrite(path, {"manifest.json": b'{"format": "someone-else"}'})
    assert "manifest.json names no meshgui.incident-bundle" in refused(path)


def test_a_bundle_from_a_newer_meshgui(written: Path) -> None:
    rewrite(written, {"manifest.json": manifest_with(written, format_version=2, app_version="9.0")})
    message = refused(written)
    assert "made by a newer meshgui (9.0, bundle format 2)" in message
    assert "update meshgui to open it" in message


@pytest.mark.parametrize(
    ("member", "data", "message"),
    [
        ("topology.json", None, "damaged or incomplete: topology.json is missing"),
        ("metrics.json", b"{not json", "metrics.json: not JSON"),
        ("topology.json", b'{"nodes": 3}', "topology.json: nodes: expected a list"),
        (
            "metrics.json",
            b'{"edges": [{"source": "a"}]}',
            "metrics.json: edges[0].protocol: missing",
        ),
        ("mesh.yaml", b"services: {web: {protocl: http}}", "mesh.yaml is not a valid mesh config"),
        ("journal.jsonl", b'{"at": 1}\n[1]\n', "journal.jsonl: line 1: not a journal entry"),
    ],
)
def test_a_damaged_part_is_named(
    written: Path, member: str, data: bytes | None, message: str
) -> None:
    rewrite(written, {member: data})
    assert message in refused(written)


def test_a_manifest_missing_a_field(written: Path) -> None:
    with zipfile.ZipFile(written) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    del manifest["profile"]
    rewrite(written, {"manifest.json": json.dumps(manifest).encode()})
    assert "manifest.json: missing or bad field 'profile'" in refused(written)


def test_a_zip_bomb_is_refused_before_reading(
    written: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(incident_bundle, "MAX_UNPACKED_BYTES", 1000)
    assert "refused: it would unpack to more than" in refused(written)
