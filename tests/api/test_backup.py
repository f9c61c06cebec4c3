"""`barker backup` / `barker restore` against the real app and the real SQLite store: a media sweep racing the
backup, a file lost from the live store, damaged backups, refused targets and destinations, a full disk,
ArangoDB. (A backup of a running `barker serve` under writes: tests/live/test_backup.py.)"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from backend.app import create_app
from backend.cli import main
from barker import backup as backup_lib
from barker.errors import Conflict, Invalid, StorageFull
from barker.ids import now_ms
from barker.media import LocalMediaStorage
from barker.services import media as media_service
from barker.settings import Settings
from barker.store import sqlite_backup
from tests import images
from tests.api.conftest import Http, User
from tests.conftest import make_settings
from tests.servers import REPO
from tests.tmpfs import fill, mounted_tmpfs


def upload(http: Http, user: User, colour: tuple[int, int, int]) -> dict[str, Any]:
    data = images.encode(images.halves((48, 32), left=colour), "PNG")
    return http.post("/v1/media", user, files={"file": ("p.png", data, "image/png")})


def bark_with_picture(http: Http, user: User, text: str, colour: tuple[int, int, int]) -> dict[str, Any]:
    return http.post("/v1/barks", user, json={"text": text, "media_ids": [upload(http, user, colour)["id"]]})


def keys_of(bark: dict[str, Any]) -> set[str]:
    return {m[k].rsplit("/", 1)[1] for m in bark["media"] for k in ("url", "thumbnail_url", "original_url")}


def quiet(_: str) -> None:
    pass


def restored_settings(tmp_path: Path, name: str = "restored") -> Settings:
    return make_settings(tmp_path, data_dir=tmp_path / name)


def store_files(settings: Settings) -> list[Path]:
    """Everything restore may have left in a data dir (the database, staged copies, media files)."""
    return sorted(p for p in settings.data_dir.rglob("*") if p.is_file()) if settings.data_dir.exists() else []


@pytest.fixture
def made(http: Http, client: TestClient, settings: Settings, alice: User, tmp_path: Path) -> Path:
    """A backup of a store with two barks with pictures, an avatar and a follow."""
    bob = http.sign_up("bob")
    http.put(f"/v1/me/following/{alice.handle}", bob)
    bark_with_picture(http, alice, "one", (200, 10, 10))
    bark_with_picture(http, alice, "two", (10, 200, 10))
    avatar = http.post("/v1/media?purpose=avatar", bob, files={"file": ("a.png", images.encode(
        images.halves((64, 64)), "PNG"), "image/png")})
    http.put("/v1/me/avatar", bob, json={"media_id": avatar["id"]})
    backup_lib.backup(settings, tmp_path / "bk", quiet)
    return tmp_path / "bk"


def test_a_backup_holds_the_database_and_every_file_it_needs(made: Path, client: TestClient, settings: Settings,
                                                            alice: User, tmp_path: Path):
    manifest = json.loads((made / "manifest.json").read_text())
    assert manifest["counts"]["users"] == 2 and manifest["counts"]["barks"] == 2
    assert manifest["counts"]["follows"] == 1 and manifest["schema_version"] == sqlite_backup.SCHEMA_VERSION
    facts = sqlite_backup.inspect(made / "barker.db")
    copied = set(LocalMediaStorage(made / "media").keys())
    assert copied == facts.needed_keys and manifest["media"]["files"] == len(copied) >= 3
    assert not (made / "barker.db-wal").exists()  # one self-contained file
    assert made.stat().st_mode & 0o777 == 0o700  # password hashes and session tokens inside
    assert [p.name for p in tmp_path.iterdir() if "partial" in p.name] == []

    target = restored_settings(tmp_path)
    backup_lib.restore(target, made, say=quiet)
    live = LocalMediaStorage(settings.media_root)
    copy = LocalMediaStorage(target.media_root)
    assert copy.keys() == sorted(copied) and all(copy.read(k) == live.read(k) for k in copied)
    with TestClient(create_app(target)) as restored:  # a server on the copy answers as the source did
        for path in ("/v1/timelines/public", "/v1/users/bob", "/v1/users/alice/followers"):
            # alice's token was restored with her account
            assert restored.get(path, headers=alice.headers).json() == client.get(path, headers=alice.headers).json()
        bark = restored.get("/v1/timelines/public", headers=alice.headers).json()["items"][0]
        assert restored.get(bark["media"][0]["url"]).content == live.read(bark["media"][0]["url"].rsplit("/")[-1])


def test_a_file_swept_during_the_backup_is_not_lost(http: Http, client: TestClient, settings: Settings, alice: User,
                                                     tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Between the snapshot and the media copy, a bark of the snapshot is deleted and the sweep removes its
    files: a copy of that snapshot would show a bark whose pictures are gone. The backup takes the snapshot
    again, so the copy is consistent (and holds no file it does not need)."""
    doomed = bark_with_picture(http, alice, "doomed", (250, 0, 0))
    kept = bark_with_picture(http, alice, "kept", (0, 0, 250))
    real_snapshot = sqlite_backup.snapshot
    snapshots = []

    def snapshot_then_sweep(source: Path, dest: Path) -> None:
        real_snapshot(source, dest)
        snapshots.append(dest)
        if len(snapshots) == 1:
            http.delete(f"/v1/barks/{doomed['id']}", alice)
            gw = client.app.state.gateway
            assert client.portal.call(media_service.sweep, gw, client.app.state.media_storage, now_ms()) == 1
            assert all(client.app.state.media_storage.read(k) is None for k in keys_of(doomed))

    monkeypatch.setattr(sqlite_backup, "snapshot", snapshot_then_sweep)
    monkeypatch.setattr(backup_lib, "RETRY_PAUSE_SECONDS", 0.0)
    report = backup_lib.backup(settings, tmp_path / "bk", quiet)
    assert report.attempts == 2 and report.missing == []
    copied = set(LocalMediaStorage(tmp_path / "bk" / "media").keys())
    assert copied == report.facts.needed_keys == keys_of(kept)

    target = restored_settings(tmp_path)
    backup_lib.restore(target, tmp_path / "bk", say=quiet)
    with TestClient(create_app(target)) as restored:
        items = restored.get("/v1/timelines/public", headers=alice.headers).json()["items"]
        assert [b["text"] for b in items] == ["kept"]
        assert all(restored.get(f"/media/{k}").status_code == 200 for k in keys_of(items[0]))


def test_a_file_lost_from_the_live_store_is_reported_not_invented(http: Http, settings: Settings, alice: User,
                                                                  tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    bark = bark_with_picture(http, alice, "lost", (5, 5, 5))
    lost = sorted(keys_of(bark))[0]
    LocalMediaStorage(settings.media_root).delete(lost)  # a disk fault, a careless rm
    monkeypatch.setattr(backup_lib, "RETRY_PAUSE_SECONDS", 0.0)
    lines: list[str] = []
    report = backup_lib.backup(settings, tmp_path / "bk", lines.append)
    assert report.missing == [lost] and report.attempts == backup_lib.SNAPSHOT_ATTEMPTS
    assert any(line.startswith("backup: warning:") and lost in line for line in lines)
    assert json.loads((tmp_path / "bk" / "manifest.json").read_text())["media"]["missing"] == [lost]
    backup_lib.restore(restored_settings(tmp_path), tmp_path / "bk", say=quiet)  # as whole as the source was


def rewrite_manifest(change: Callable[[dict[str, Any]], None]) -> Callable[[Path], None]:
    def damage(bk: Path) -> None:
        manifest = json.loads((bk / "manifest.json").read_text())
        change(manifest)
        (bk / "manifest.json").write_text(json.dumps(manifest))
    return damage


def flip_a_byte(bk: Path) -> None:
    db = bk / "barker.db"
    data = bytearray(db.read_bytes())
    data[len(data) // 2] ^= 0xFF
    db.write_bytes(bytes(data))


def corrupt_a_page_and_the_manifest_agrees(bk: Path) -> None:
    """Damage no checksum can see (the manifest was made to match): PRAGMA integrity_check must."""
    db = bk / "barker.db"
    with sqlite3.connect(db) as c:
        page_size = c.execute("PRAGMA page_size").fetchone()[0]
        root = c.execute("SELECT rootpage FROM sqlite_master WHERE name = 'barks_author'").fetchone()[0]
    data = bytearray(db.read_bytes())
    start = (root - 1) * page_size
    data[start + 8:start + page_size] = b"\x07" * (page_size - 8)  # the index page's cells: garbage
    db.write_bytes(bytes(data))
    rewrite_manifest(lambda m: m["database"].update(sha256=backup_lib._sha256_file(db)))(bk)


def damage_a_media_file(bk: Path) -> None:
    path = next((bk / "media").glob("??/??/*"))
    path.write_bytes(path.read_bytes()[:-10] + b"0123456789")


def remove_a_media_file(bk: Path) -> None:
    next((bk / "media").glob("??/??/*")).unlink()


@pytest.mark.parametrize("damage, says", [
    (flip_a_byte, "SHA-256"),
    (corrupt_a_page_and_the_manifest_agrees, "integrity_check"),
    (damage_a_media_file, "damaged"),
    (remove_a_media_file, "lacks"),
    (lambda bk: (bk / "manifest.json").unlink(), "not a Barker backup"),
    (lambda bk: (bk / "manifest.json").write_text("{not json"), "damaged"),
    (rewrite_manifest(lambda m: m.update(schema_version=sqlite_backup.SCHEMA_VERSION + 1)), "newer"),
    (rewrite_manifest(lambda m: m["counts"].update(barks=99)), "manifest"),
    (rewrite_manifest(lambda m: m.pop("media")), "lacks a field"),
])
def test_a_damaged_backup_is_refused_and_nothing_is_put_in_place(made: Path, tmp_path: Path, damage, says: str):
    existing = restored_settings(tmp_path, "existing")  # a store restored from the sound backup
    backup_lib.restore(existing, made, say=quiet)
    before = {p: p.read_bytes() for p in store_files(existing)}
    damage(made)
    target = restored_settings(tmp_path)
    with pytest.raises(Invalid, match=says):
        backup_lib.restore(target, made, say=quiet)
    assert store_files(target) == []  # no database, no staged copy, no media file left behind
    with pytest.raises(Invalid, match=says):  # over a store, even with --force: it stays as it was
        backup_lib.restore(existing, made, force=True, say=quiet)
    assert {p: p.read_bytes() for p in store_files(existing)} == before


def test_restore_refuses_a_store_with_data_unless_forced(made: Path, tmp_path: Path, alice: User):
    other = restored_settings(tmp_path, "other")
    with TestClient(create_app(other)) as c:  # a store with its own data (and files)
        o = Http(c)
        carol = o.sign_up("carol")
        bark_with_picture(o, carol, "carol's", (1, 2, 3))
    before = {p: p.read_bytes() for p in store_files(other)}
    with pytest.raises(Conflict, match="--force") as refused:
        backup_lib.restore(other, made, say=quiet)
    assert refused.value.code == "store_not_empty"
    assert {p: p.read_bytes() for p in store_files(other)} == before

    backup_lib.restore(other, made, force=True, say=quiet)
    with TestClient(create_app(other)) as c:
        assert c.get("/v1/users/carol", headers=alice.headers).status_code == 404
        assert c.get("/v1/users/bob", headers=alice.headers).status_code == 200
    # The replaced store's files are gone; exactly the backup's are there.
    assert LocalMediaStorage(other.media_root).keys() == LocalMediaStorage(made / "media").keys()


def test_restore_over_a_crashed_store_is_not_mixed_with_its_wal(made: Path, tmp_path: Path, alice: User):
    """A store whose last process died (kill -9) keeps its last commits only in its -wal. Left next to the
    restored file, SQLite would replay them onto it."""
    crashed = restored_settings(tmp_path, "crashed")
    backup_lib.restore(crashed, made, say=quiet)
    died = ("import os, sqlite3, sys; c = sqlite3.connect(sys.argv[1], isolation_level=None); "
            "c.execute('PRAGMA journal_mode = WAL'); c.execute('PRAGMA wal_autocheckpoint = 0'); "
            "c.execute(\"UPDATE users SET bio = 'only in the wal'\"); os._exit(0)")
    subprocess.run([sys.executable, "-c", died, str(crashed.sqlite_path)], check=True)
    wal = crashed.sqlite_path.with_name(crashed.sqlite_path.name + "-wal")
    assert wal.stat().st_size > 0
    backup_lib.restore(crashed, made, force=True, say=quiet)
    assert not wal.exists()
    assert sqlite_backup.inspect(crashed.sqlite_path).problems == []
    with TestClient(create_app(crashed)) as c:
        assert c.get("/v1/users/bob", headers=alice.headers).json()["bio"] != "only in the wal"


def test_restore_refuses_a_store_that_a_process_has_open(made: Path, client: TestClient, settings: Settings):
    """The app of this test has the store open (as `barker serve` has), so restore must not touch it."""
    before = settings.sqlite_path.stat().st_mtime_ns, LocalMediaStorage(settings.media_root).keys()
    with pytest.raises(Conflict, match="open in another process") as refused:
        backup_lib.restore(settings, made, force=True, say=quiet)
    assert refused.value.code == "store_in_use"
    assert (settings.sqlite_path.stat().st_mtime_ns, LocalMediaStorage(settings.media_root).keys()) == before


def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "backend.cli", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=60, env={**os.environ, **env})


def test_a_bad_destination_is_one_line_and_a_non_zero_exit(made: Path, settings: Settings, tmp_path: Path):
    (tmp_path / "a-file").write_text("x")
    for dest in (made, tmp_path / "a-file"):
        done = run_cli("backup", str(dest), "--data-dir", str(settings.data_dir))
        assert done.returncode == 1 and done.stdout == ""
        assert done.stderr.count("\n") == 1 and "not an empty directory" in done.stderr, done.stderr
    assert (tmp_path / "a-file").read_text() == "x"
    (tmp_path / "empty").mkdir()
    assert run_cli("backup", str(tmp_path / "empty"), "--data-dir", str(settings.data_dir)).returncode == 0
    assert (tmp_path / "empty" / "manifest.json").exists()


def test_no_room_for_the_copy_is_storage_full_in_one_line(made: Path, settings: Settings, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch):
    with mounted_tmpfs(tmp_path / "small", "64k") as small:
        done = run_cli("backup", str(small / "bk"), "--data-dir", str(settings.data_dir))
        assert done.returncode == 1 and done.stderr.count("\n") == 1 and "not enough space" in done.stderr
        assert list(small.iterdir()) == []
    with mounted_tmpfs(tmp_path / "fills", "2m") as fills:
        real_snapshot = sqlite_backup.snapshot

        def snapshot_then_fill(source: Path, dest: Path) -> None:  # room at the check, none for the media
            real_snapshot(source, dest)
            fill(fills)

        monkeypatch.setattr(sqlite_backup, "snapshot", snapshot_then_fill)
        with pytest.raises(StorageFull, match="no space left"):
            backup_lib.backup(settings, fills / "bk", quiet)
        assert [p.name for p in fills.iterdir()] == ["filler"]  # the partial copy is gone


def test_arangodb_is_sent_to_its_own_tools(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]):
    monkeypatch.setenv("BARKER_STORE_URL", "arangodb://root:secret@127.0.0.1:1/barker")  # no server there
    for args in (["backup", str(tmp_path / "bk")], ["restore", str(tmp_path)]):
        with pytest.raises(SystemExit) as exited:
            main(args)
        assert exited.value.code == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "arangodump" in err and "secret" not in err, err
    assert not (tmp_path / "bk").exists()
