"""`barker backup DEST` and `barker restore SRC` for the embedded store (docs/operations.md).

A backup is a directory: `manifest.json`, `barker.db` (a self-contained SQLite file) and `media/` (the
content-addressed files, in the same `ab/cd/<sha256>.<ext>` layout as the data directory). A directory,
not an archive: media files are already compressed images, any tool can copy or rsync it, and a restore
can check each file on its own (its name is the SHA-256 of its bytes).

Consistency while the server writes: the database is copied first (one snapshot: store/sqlite_backup.py),
then the files that snapshot needs. A file the snapshot needs can only disappear after a later commit
released it, and then only in the media sweep: if that happened during the copy, the snapshot is taken
again (its needed files are there by then, or were copied already) until one snapshot has all its files.
An upload writes its record before its files (services/media.py), so a file of a 'new' upload may not be
written yet at the first attempt; it is by the next.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from barker.errors import Conflict, Invalid, StorageFull, StoreUnavailable
from barker.ids import iso_ms, now_ms
from barker.media.storage import NO_ROOM, LocalMediaStorage, _fsync_dir, valid_key
from barker.settings import Settings
from barker.store import capabilities_for, sqlite_backup
from barker.store.sqlite_backup import SCHEMA_VERSION, CopyFacts

FORMAT = "barker-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE = "barker.db"
MEDIA = "media"
SNAPSHOT_ATTEMPTS = 6  # the sweep runs once a minute per process: a second attempt almost always succeeds
RETRY_PAUSE_SECONDS = 0.2  # doubled after each attempt: lets an upload that is writing its files finish
ARANGO_ADVICE = ("barker backup/restore copy the embedded SQLite store only; for ArangoDB use arangodump/"
                 "arangorestore or ArangoDB's hot backup, plus a copy of the media directory "
                 "(docs/operations.md)")

Say = Callable[[str], None]


class ArangoStoreNotSupported(Invalid):
    code = "arangodb_store"


@dataclass(frozen=True)
class BackupReport:
    dest: Path
    facts: CopyFacts
    media_files: int
    media_bytes: int
    missing: list[str]
    attempts: int


def backup(settings: Settings, dest: Path, say: Say = print) -> BackupReport:
    """Copy the store and its media into `dest` (which must not exist, or be an empty directory). The copy
    is built in a hidden sibling directory and renamed to `dest` only once complete."""
    _refuse_arango(settings)
    source = settings.sqlite_path
    if not source.is_file():
        raise Invalid(f"no Barker database at {source} (is --data-dir right?)")
    dest = dest.absolute()
    if dest.exists() and not (dest.is_dir() and not any(dest.iterdir())):
        raise Invalid(f"{dest} exists and is not an empty directory; give a new path")
    dest.parent.mkdir(parents=True, exist_ok=True)
    _check_room(dest.parent, _size(source) + _size(source.with_name(source.name + "-wal"))
                + _tree_size(settings.media_root))
    work = dest.parent / f".{dest.name}.partial-{secrets.token_hex(4)}"
    work.mkdir(mode=0o700)  # it holds password hashes and live session tokens: its owner's eyes only
    try:
        report = _copy(settings, work, say)
        _write_manifest(work, report)
        _fsync_tree(work)
        os.replace(work, dest)  # onto a missing or empty directory: atomic
        _fsync_dir(dest.parent)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    say(f"backup: complete in {dest} ({MANIFEST}, {DATABASE}, {MEDIA}/)")
    return BackupReport(dest, report.facts, report.media_files, report.media_bytes, report.missing,
                        report.attempts)


def _copy(settings: Settings, work: Path, say: Say) -> BackupReport:
    source_media = LocalMediaStorage(settings.media_root)
    copy_media = LocalMediaStorage(work / MEDIA)
    copied: set[str] = set()
    media_seconds = 0.0
    for attempt in range(1, SNAPSHOT_ATTEMPTS + 1):
        started = time.monotonic()
        db = work / DATABASE
        db.unlink(missing_ok=True)
        with _no_room_is_storage_full(work):
            sqlite_backup.snapshot(settings.sqlite_path, db)
        facts = sqlite_backup.inspect(db)
        if facts.problems:
            raise StoreUnavailable(f"the database copy fails its integrity check ({facts.problems[0]}); "
                                   "the live database may be damaged: see docs/operations.md")
        if attempt == 1:
            counts = facts.counts
            say(f"backup: database snapshot {_mb(db.stat().st_size)} (schema v{facts.schema_version}: "
                f"{counts['users']} users, {counts['barks']} barks, {counts['follows']} follows, "
                f"{counts['media']} uploads) in {time.monotonic() - started:.1f} s, integrity ok")
        missing: list[str] = []
        media_started = time.monotonic()
        with _no_room_is_storage_full(work):
            for key in sorted(facts.needed_keys - copied):
                data = source_media.read(key)
                if data is None:
                    missing.append(key)
                    continue
                copy_media.put(key, data)
                copied.add(key)
        media_seconds += time.monotonic() - media_started
        if not missing:
            break
        if attempt < SNAPSHOT_ATTEMPTS:
            say(f"backup: {len(missing)} media file(s) of the snapshot went meanwhile (media sweep or an upload "
                f"still writing): taking the snapshot again (attempt {attempt + 1})")
            time.sleep(RETRY_PAUSE_SECONDS * 2 ** (attempt - 1))
    # Files an earlier attempt copied that the final snapshot no longer needs (released and swept since).
    for key in copied - facts.needed_keys:
        copy_media.delete(key)
    kept = sorted(facts.needed_keys - set(missing))
    size = sum(copy_media.size(k) or 0 for k in kept)
    if missing:
        # Absent from the live media directory in every snapshot: the live store lacks them too.
        say(f"backup: warning: {len(missing)} file(s) the database refers to are missing from "
            f"{settings.media_root} itself (listed in {MANIFEST}), e.g. {missing[0]}")
    say(f"backup: media {len(kept)} files, {_mb(size)} in {media_seconds:.1f} s")
    return BackupReport(work, facts, len(kept), size, missing, attempt)


def _write_manifest(work: Path, report: BackupReport) -> None:
    manifest = {
        "format": FORMAT, "format_version": FORMAT_VERSION, "created_at": iso_ms(now_ms()),
        "schema_version": report.facts.schema_version,
        "database": {"file": DATABASE, "bytes": (work / DATABASE).stat().st_size,
                     "sha256": _sha256_file(work / DATABASE)},
        "counts": report.facts.counts,
        "media": {"dir": MEDIA, "files": report.media_files, "bytes": report.media_bytes,
                  "missing": report.missing},
        "snapshot_attempts": report.attempts,
    }
    with _no_room_is_storage_full(work):
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")


# -- restore -------------------------------------------------------------------------------------------
def restore(settings: Settings, src: Path, *, force: bool = False, say: Say = print) -> CopyFacts:
    """Put the backup in `src` in place as the store of `settings`: refused while any process has the
    store open, and over a store with data unless `force`. Everything is checked before anything is put in
    place; the database file is replaced in one rename, after its media files are all there."""
    _refuse_arango(settings)
    manifest = _read_manifest(src)
    target = settings.sqlite_path
    sqlite_backup.check_not_in_use(target)
    media_root = settings.media_root
    if not force and not (sqlite_backup.is_empty(target) and not LocalMediaStorage(media_root).keys()):
        raise Conflict(f"{target.parent} already holds a Barker store with data; `barker restore --force` "
                       "replaces it", code="store_not_empty")
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(f".{target.name}.restore-{secrets.token_hex(4)}")
    added: list[str] = []
    try:
        facts = _stage_database(src, manifest, staged)
        say(f"restore: checked {src}: manifest, database sha256 and integrity ok (schema v{facts.schema_version}: "
            f"{facts.counts['users']} users, {facts.counts['barks']} barks, {facts.counts['follows']} follows)")
        keys = _stage_media(src, manifest, facts, LocalMediaStorage(media_root), added)
        say(f"restore: media {len(keys)} files checked (sha256) and copied into {media_root}")
        sqlite_backup.retire(target)  # checks again that no process has it open: one may have started meanwhile
        os.replace(staged, target)  # last in this block: once it is done, the added files are the store's
    except BaseException:
        staged.unlink(missing_ok=True)
        storage = LocalMediaStorage(media_root)
        for key in added:  # the store in place is untouched: no file of the backup stays behind
            storage.delete(key)
        raise
    _fsync_dir(target.parent)
    # The replaced store's files that the restored one does not use (after the swap: until then they were its).
    storage = LocalMediaStorage(media_root)
    for key in set(storage.keys()) - keys:
        storage.delete(key)
    say(f"restore: database in place at {target}")
    return facts


def _read_manifest(src: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((src / MANIFEST).read_text())
    except FileNotFoundError as e:
        raise Invalid(f"{src} is not a Barker backup (no {MANIFEST})") from e
    except (OSError, ValueError) as e:
        raise Invalid(f"{src / MANIFEST} is unreadable or damaged ({e})") from e
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise Invalid(f"{src / MANIFEST} is not a Barker backup manifest")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise Invalid(f"backup format v{manifest.get('format_version')} is not v{FORMAT_VERSION}: "
                      "restore it with the Barker release that made it")
    try:
        version = int(manifest["schema_version"])
        int(manifest["database"]["bytes"]), str(manifest["database"]["sha256"]), dict(manifest["counts"])
        int(manifest["media"]["files"]), list(manifest["media"]["missing"])
    except (KeyError, TypeError, ValueError) as e:
        raise Invalid(f"{src / MANIFEST} lacks a field or has a wrong one ({e!r})") from e
    if version > SCHEMA_VERSION:
        raise Invalid(f"the backup has database schema v{version}, newer than this Barker's v{SCHEMA_VERSION}: "
                      "restore it with a newer release")
    return manifest


def _stage_database(src: Path, manifest: dict[str, Any], staged: Path) -> CopyFacts:
    """Copy the backup's database next to the target and check the copy (what is checked is what goes in)."""
    db = src / manifest["database"].get("file", DATABASE)
    if not db.is_file():
        raise Invalid(f"the backup has no database file {db}")
    with _no_room_is_storage_full(staged.parent):
        shutil.copyfile(db, staged)
        with open(staged, "rb+") as f:
            os.fsync(f.fileno())
    if _sha256_file(staged) != manifest["database"]["sha256"]:
        raise Invalid(f"{db} does not match the manifest's SHA-256: the copy is damaged")
    facts = sqlite_backup.inspect(staged)
    if facts.problems:
        raise Invalid(f"{db} fails PRAGMA integrity_check: {facts.problems[0]}")
    if facts.schema_version != manifest["schema_version"] or facts.counts != manifest["counts"]:
        raise Invalid(f"{db} does not hold what the manifest says (schema v{facts.schema_version}, "
                      f"counts {facts.counts} vs {manifest['counts']})")
    return facts


def _stage_media(src: Path, manifest: dict[str, Any], facts: CopyFacts, storage: LocalMediaStorage,
                 added: list[str]) -> set[str]:
    """Check each media file of the backup against its name (its SHA-256) and copy it into the media root;
    every file the database needs must be there (but those the manifest lists as missing at backup time)."""
    found: set[str] = set()
    for path in sorted((src / manifest["media"].get("dir", MEDIA)).glob("??/??/*")):
        key = path.name
        if not valid_key(key) or path.parent.parent.name + path.parent.name != key[:4]:
            raise Invalid(f"{path} is not a media file of a Barker backup")
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != key.split(".")[0]:
            raise Invalid(f"{path} is damaged: its bytes do not match its SHA-256 name")
        if storage.size(key) is None:
            with _no_room_is_storage_full(storage.root):
                storage.put(key, data)
            added.append(key)
        found.add(key)
    absent = facts.needed_keys - found - set(manifest["media"]["missing"])
    if absent:
        raise Invalid(f"the backup lacks {len(absent)} media file(s) its database refers to, e.g. {min(absent)}")
    if len(found) != manifest["media"]["files"]:
        raise Invalid(f"the backup holds {len(found)} media files, the manifest says {manifest['media']['files']}")
    return found


# -- helpers ----------------------------------------------------------------------------------------------
def _refuse_arango(settings: Settings) -> None:
    if not capabilities_for(settings).local:  # a network store's files are not ours to copy
        raise ArangoStoreNotSupported(ARANGO_ADVICE)


def _check_room(directory: Path, needed: int) -> None:
    free = shutil.disk_usage(directory).free
    if free < needed:
        raise StorageFull(f"not enough space in {directory}: the copy needs up to {_mb(needed)}, {_mb(free)} free")


@contextlib.contextmanager
def _no_room_is_storage_full(where: Path) -> Iterator[None]:
    try:
        yield
    except OSError as e:
        if e.errno in NO_ROOM:
            raise StorageFull(f"no space left in {where}") from e
        raise
    except StorageFull as e:
        raise StorageFull(f"no space left in {where} ({e})") from e


def _sha256_file(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def _tree_size(root: Path) -> int:
    return sum(p.stat().st_size for p in root.glob("??/??/*") if p.is_file()) if root.is_dir() else 0


def _mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


def _fsync_tree(root: Path) -> None:
    """Make the copy durable before it is renamed into place (media files were fsync'd as they were put)."""
    for path in (root / DATABASE, root / MANIFEST):
        with open(path, "rb") as f:
            os.fsync(f.fileno())
    _fsync_dir(root)
