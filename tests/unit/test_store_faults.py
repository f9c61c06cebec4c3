"""A full disk and an unavailable store, below HTTP: SQLite's failures become StorageFull/StoreUnavailable,
the writer's group commit tells every caller and commits nothing, the media directory's ENOSPC is
StorageFull, and each change of condition is logged once.

Two real ways to fill SQLite up: `PRAGMA max_page_count` (SQLite's own SQLITE_FULL, on any machine; it
strikes mid-transaction and makes SQLite roll the whole transaction back by itself) and a real tmpfs filled
with a file (ENOSPC from the kernel, at commit)."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from barker.errors import StorageFull, StoreUnavailable
from barker.health import REQUEST_WRITES, StoreHealth
from barker.ids import IdGenerator
from barker.media.storage import LocalMediaStorage
from barker.ports.types import NewUser
from barker.store.sqlite import SqliteStore
from barker.store.sqlite_errors import translate
from barker.writer import WriterThread
from tests.tmpfs import fill, mounted_tmpfs

IDS = IdGenerator(0)


def user(handle: str, bio: str = "") -> NewUser:
    return NewUser(IDS.next(), handle, handle.lower(), handle, bio, "h")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    s = SqliteStore(tmp_path / "f.db")
    yield s
    s.close()


def cap_pages(store: SqliteStore, extra: int) -> None:
    """Let the database grow by at most `extra` pages: past that, SQLite answers SQLITE_FULL."""
    pages = store._writer.execute("PRAGMA page_count").fetchone()[0]
    store._writer.execute(f"PRAGMA max_page_count = {pages + extra}")


def run_as_one_group(writer: WriterThread, calls: list[Callable[[], Any]]) -> list[Any]:
    """Queue `calls` behind a gate so the writer runs them as one group commit; each one's outcome."""
    gate = threading.Event()
    writer.submit(gate.wait)
    futures = [writer.submit(call) for call in calls]
    gate.set()
    outcomes = []
    for future in futures:
        try:
            outcomes.append(future.result(10))
        except Exception as e:
            outcomes.append(e)
    return outcomes


# -- SQLite errors -------------------------------------------------------------------------------------
def test_sqlite_errors_are_translated_by_their_code(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "t.db", isolation_level=None)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("PRAGMA query_only = ON")
    with pytest.raises(sqlite3.OperationalError) as readonly:
        conn.execute("INSERT INTO t VALUES (1)")
    assert type(translate(readonly.value)) is StoreUnavailable
    with pytest.raises(sqlite3.OperationalError) as bug:
        conn.execute("SELECT nope FROM t")
    assert translate(bug.value) is None  # a bad statement is a bug, never an outage
    conn.execute("PRAGMA query_only = OFF")
    conn.execute("PRAGMA max_page_count = 2")
    with pytest.raises(sqlite3.OperationalError) as full:
        conn.execute("INSERT INTO t VALUES (?)", (b"x" * 100_000,))
    assert isinstance(translate(full.value), StorageFull)
    conn.close()


def test_a_full_database_is_storage_full_and_writable_again_once_there_is_room(store: SqliteStore) -> None:
    store.create_user(user("ann"))
    cap_pages(store, 1)
    with pytest.raises(StorageFull):
        store.create_user(user("bob", "x" * 50_000))
    assert store.credentials("bob") is None
    store.create_user(user("cat"))  # a small write still fits: the store is not stuck in a transaction
    cap_pages(store, 1000)
    store.create_user(user("bob", "x" * 50_000))
    assert store.credentials("bob") and store.credentials("cat")


def test_a_call_sqlite_can_undo_alone_fails_alone(store: SqliteStore) -> None:
    """Inserting a user runs triggers, so SQLite keeps a statement journal and undoes just that statement
    when the database is full: only that call fails; the rest of its group commits."""
    writer = WriterThread(store)
    cap_pages(store, 1)
    outcomes = run_as_one_group(writer, [lambda: store.create_user(user("dan")),
                                         lambda: store.create_user(user("eve", "x" * 50_000)),
                                         lambda: store.create_user(user("fay"))])
    writer.shutdown()
    assert [type(o) for o in outcomes] == [type(None), StorageFull, type(None)], outcomes
    assert store.credentials("dan") and store.credentials("fay") and store.credentials("eve") is None


def test_when_sqlite_rolls_the_whole_group_back_every_call_fails_and_nothing_is_committed(
        store: SqliteStore) -> None:
    """A plain one-row insert has no statement journal: when it fills the database, SQLite rolls back the
    whole group's transaction by itself. The first call's write is gone with it, and the third must not run
    on its own (outside the transaction it would commit by itself while its caller is told it failed).
    Every caller gets StorageFull, and nothing raises a second, raw error."""
    writer = WriterThread(store)
    cap_pages(store, 1)
    big_digest = b"t" * 100_000
    outcomes = run_as_one_group(writer, [lambda: store.create_user(user("dan")),
                                         lambda: store.create_token(big_digest, 1, 2**52),
                                         lambda: store.create_user(user("fay"))])
    assert [type(o) for o in outcomes] == [StorageFull] * 3, outcomes
    assert store.credentials("dan") is None and store.credentials("fay") is None
    assert store.token_user(big_digest, 0) is None
    cap_pages(store, 1000)  # room again: the same writer carries on
    assert run_as_one_group(writer, [lambda: store.create_user(user("dan")),
                                     lambda: store.create_token(big_digest, 1, 2**52)]) == [None, None]
    writer.shutdown()
    assert store.credentials("dan") and store.token_user(big_digest, 0) == 1


def test_a_call_that_swallows_the_full_disk_cannot_commit_what_followed(store: SqliteStore) -> None:
    """A call that catches StorageFull and carries on: its later writes would run outside any transaction."""
    writer = WriterThread(store)
    cap_pages(store, 1)

    def stubborn() -> None:
        store.create_user(user("gus"))
        with contextlib.suppress(StorageFull):
            store.create_token(b"t" * 100_000, 1, 2**52)
        store.create_user(user("ida"))

    [outcome] = run_as_one_group(writer, [stubborn])
    writer.shutdown()
    assert isinstance(outcome, StorageFull)
    assert store.credentials("gus") is None and store.credentials("ida") is None


def test_the_group_commit_on_a_full_filesystem(tmp_path: Path) -> None:
    """ENOSPC from the kernel: a real tmpfs, filled with a file. Every write of the group is told
    StorageFull and none is there; once the filler is deleted, the same store and writer write again."""
    with mounted_tmpfs(tmp_path / "mnt", "2m") as mnt:
        store = SqliteStore(mnt / "full.db")
        writer = WriterThread(store)
        try:
            filler = fill(mnt)
            outcomes: list[Any] = []
            for attempt in range(100):  # until a whole group fails: the WAL may have room left at first
                handles = [f"u{attempt}_{i}" for i in range(5)]
                outcomes = run_as_one_group(writer, [lambda h=h: store.create_user(user(h, "x" * 2000))
                                                     for h in handles])
                for handle, outcome in zip(handles, outcomes, strict=True):  # each caller told the truth
                    assert outcome is None or isinstance(outcome, StorageFull), outcome
                    assert (store.credentials(handle) is not None) == (outcome is None), (handle, outcome)
                if all(isinstance(o, StorageFull) for o in outcomes):
                    break
            assert all(isinstance(o, StorageFull) for o in outcomes), outcomes
            filler.unlink()
            assert run_as_one_group(writer, [lambda: store.create_user(user("back"))]) == [None]
            assert store.credentials("back")
        finally:
            writer.shutdown()
            store.close()


def test_a_checkpoint_with_no_room_is_storage_full_and_loses_nothing(tmp_path: Path) -> None:
    """Committed pages wait in the WAL; the checkpoint must grow the database file to take them, and the
    disk is full: StorageFull, and the pages stay in the WAL until there is room."""
    with mounted_tmpfs(tmp_path / "mnt", "4m") as mnt:
        store = SqliteStore(mnt / "c.db")
        try:
            with store.bulk():
                for i in range(300):
                    store.create_user(user(f"w{i}", "x" * 1000))
            filler = fill(mnt)
            with pytest.raises(StorageFull):
                store.checkpoint()
            assert store.credentials("w299")
            filler.unlink()
            store.checkpoint()
        finally:
            store.close()
        reopened = SqliteStore(mnt / "c.db")
        assert reopened.credentials("w0") and reopened.credentials("w299")
        reopened.close()


# -- media files -----------------------------------------------------------------------------------------
def test_a_full_media_directory_is_storage_full_and_leaves_no_partial_file(tmp_path: Path) -> None:
    with mounted_tmpfs(tmp_path / "mnt", "1m") as mnt:
        media = LocalMediaStorage(mnt / "media")
        media.put("a" * 64 + ".jpg", b"small")
        filler = fill(mnt)
        key = "b" * 64 + ".jpg"
        with pytest.raises(StorageFull):
            media.put(key, b"x" * 200_000)
        assert media.read(key) is None
        assert not [p for p in (mnt / "media").rglob("*") if p.name.endswith(".tmp")]
        filler.unlink()
        media.put(key, b"x" * 200_000)
        assert media.size(key) == 200_000


# -- one log line per change -------------------------------------------------------------------------------
def test_health_logs_each_change_once(caplog: pytest.LogCaptureFixture) -> None:
    health = StoreHealth(settle_seconds=0)
    caplog.set_level(logging.WARNING, "barker.health")
    for _ in range(100):
        health.failed(REQUEST_WRITES, StorageFull("storage is full (sqlite: database or disk is full)"))
    assert health.first_problem() is not None
    for _ in range(100):
        health.succeeded(REQUEST_WRITES)
    assert health.first_problem() is None
    assert [r.getMessage() for r in caplog.records] == [
        "storage full (request writes): storage is full (sqlite: database or disk is full)",
        "storage writable again (request writes)"]


def test_health_waits_for_writes_to_settle_before_calling_them_well(caplog: pytest.LogCaptureFixture) -> None:
    """A nearly full disk lets some writes through between failures: no flicker in the log or /readyz."""
    health = StoreHealth(settle_seconds=3600)
    caplog.set_level(logging.WARNING, "barker.health")
    for _ in range(50):
        health.failed(REQUEST_WRITES, StorageFull("full"))
        health.succeeded(REQUEST_WRITES)
    assert isinstance(health.problem(REQUEST_WRITES), StorageFull)
    assert len(caplog.records) == 1


def test_health_logs_a_change_of_kind_and_ignores_momentary_conflicts(caplog: pytest.LogCaptureFixture) -> None:
    from barker.store.arango_support import WriteConflict

    health = StoreHealth(settle_seconds=0)
    caplog.set_level(logging.WARNING, "barker.health")
    health.failed(REQUEST_WRITES, WriteConflict("concurrent write, retry"))
    assert health.first_problem() is None and not caplog.records
    health.failed(REQUEST_WRITES, StorageFull("full"))
    health.failed(REQUEST_WRITES, StoreUnavailable("sqlite: disk I/O error"))
    health.succeeded(REQUEST_WRITES)
    assert [r.getMessage() for r in caplog.records] == [
        "storage full (request writes): full", "store unavailable (request writes): sqlite: disk I/O error",
        "store available again (request writes)"]
