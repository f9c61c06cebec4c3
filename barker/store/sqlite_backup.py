"""The SQLite store's part of `barker backup` / `barker restore` (barker/backup.py): engine mechanics only.

The snapshot is SQLite's online backup API in ONE step. The database runs in WAL mode, where a reader never
blocks the writer: the step holds one read transaction for the whole copy, so the server keeps committing
(its checkpoints cannot recycle the WAL until the copy ends, so the WAL grows by what is written meanwhile).
A copy in several small steps would release that snapshot between steps, and SQLite restarts such a
backup whenever another connection commits: against a server that commits every few milliseconds it never
finishes (measured: 47,730 steps of 100 pages in 20 s without completing a 22 MB file, vs 0.05 s in one
step). `VACUUM INTO` would also work but rebuilds every table and index instead of copying pages.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from barker.errors import Conflict, StoreUnavailable
from barker.store.sqlite import SCHEMA_VERSION
from barker.store.sqlite_errors import unavailable

__all__ = ["SCHEMA_VERSION", "CopyFacts", "check_not_in_use", "inspect", "is_empty", "retire", "snapshot"]

# What the manifest counts (tables of the schema; all exist since v3).
COUNTED = ("users", "barks", "follows", "media", "media_files")


@dataclass(frozen=True)
class CopyFacts:
    schema_version: int
    counts: dict[str, int]
    # Files the copy needs: those of media records that are attached ('used') or may still be attached
    # ('new'). Released records' files may be swept at any moment and are not needed: the restored
    # server's sweep deletes those records (a missing file is no error there).
    needed_keys: frozenset[str]
    problems: list[str]  # PRAGMA integrity_check; empty when the file is sound


def _read_only(path: Path) -> str:
    return f"{path.resolve().as_uri()}?mode=ro"  # as_uri escapes what a URI would misread (#, ?, %)


def _reader_of_live(path: Path) -> sqlite3.Connection:
    """A connection that reads a store some process may be serving. Not mode=ro: a read-only connection
    that is the last one on a WAL database cannot remove the -wal and -shm files it created, and leaves them
    behind in a stopped store; this one cleans up like any other. query_only keeps it from writing."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA query_only = ON")
    return conn


def snapshot(source: Path, dest: Path) -> None:
    """A consistent copy of the live database `source` at `dest` (a new file), taken while other processes
    read and write it; the copy is a single self-contained file (rollback journal, no -wal)."""
    try:
        src = _reader_of_live(source)
    except sqlite3.Error as e:
        raise unavailable(e, f"cannot open {source}") from e
    with closing(src), closing(sqlite3.connect(dest, isolation_level=None)) as dst:
        try:
            src.execute("PRAGMA busy_timeout = 5000")
            src.backup(dst, pages=-1)  # one step: see the module docstring
            dst.execute("PRAGMA journal_mode = DELETE")  # the copy header says WAL; make it one file
        except sqlite3.Error as e:
            raise unavailable(e, "database snapshot") from e


def inspect(path: Path, *, integrity: bool = True) -> CopyFacts:
    """What a copy holds (read-only; never migrates it)."""
    try:
        with closing(sqlite3.connect(_read_only(path), uri=True, isolation_level=None)) as c:
            version = c.execute("PRAGMA user_version").fetchone()[0]
            problems = []
            if integrity:
                problems = [r[0] for r in c.execute("PRAGMA integrity_check") if r[0] != "ok"]
                if problems:  # counting a damaged file could fail or mislead
                    return CopyFacts(version, {}, frozenset(), problems)
            counts = {table: c.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in COUNTED}
            keys = frozenset(r[0] for r in c.execute(
                "SELECT DISTINCT k.value FROM media m, json_each(m.keys) k WHERE m.state IN ('new', 'used')"))
    except sqlite3.Error as e:
        raise StoreUnavailable(f"{path} is not a readable Barker database: {e}") from e
    return CopyFacts(version, counts, keys, problems)


def is_empty(path: Path) -> bool:
    """No users and no barks (a store a server only created, or none at all)."""
    if not path.exists():
        return True
    try:
        with closing(_reader_of_live(path)) as c:
            return all(c.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {t})").fetchone()[0]
                       for t in ("users", "barks"))
    except sqlite3.Error:
        return False  # unreadable: treat it as someone's data


def check_not_in_use(path: Path) -> None:
    """Raise Conflict when any process has the database open (`barker serve`, `barker worker`, `barker
    seed`, or a sqlite3 shell). Every such connection holds a shared lock (in WAL mode, on the -shm), so an
    exclusive lock, tried without waiting, fails while one exists; the operating system drops a process's
    locks when it ends, even by kill -9, so a stopped server never blocks a restore. Changes nothing."""
    if not path.exists():
        return
    try:
        with closing(sqlite3.connect(path, isolation_level=None, timeout=0)) as c:
            c.execute("PRAGMA locking_mode = EXCLUSIVE")
            c.execute("BEGIN EXCLUSIVE")
            c.execute("ROLLBACK")
    except sqlite3.OperationalError as e:
        if "locked" in str(e) or "busy" in str(e):
            raise Conflict(f"{path} is open in another process (a running `barker serve` or `barker worker`?): "
                           "stop it first", code="store_in_use") from e
        raise unavailable(e, f"cannot open {path}") from e


def retire(path: Path) -> None:
    """Make the store at `path` a single file that may be replaced by a rename: its WAL checkpointed into it
    and removed (a -wal left next to the new file would be replayed onto it and damage it). Raises Conflict,
    changing nothing, when a process has it open. A store too damaged to checkpoint loses its -wal (it is
    being replaced)."""
    check_not_in_use(path)
    if path.exists():
        try:
            with closing(sqlite3.connect(path, isolation_level=None, timeout=0)) as c:
                c.execute("PRAGMA journal_mode = DELETE")  # checkpoints everything, then deletes the -wal
        except sqlite3.OperationalError as e:
            if "locked" in str(e) or "busy" in str(e):  # opened by a process since the check above
                raise Conflict(f"{path} is open in another process: stop it first", code="store_in_use") from e
        except sqlite3.DatabaseError:
            pass
    for leftover in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)
