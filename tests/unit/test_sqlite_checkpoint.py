"""SQLite specifics: the background checkpoint moves committed pages from the WAL into the database file."""

from __future__ import annotations

import sqlite3

from barker.ids import IdGenerator
from barker.ports.types import NewUser
from barker.store.sqlite import SqliteStore


def users_in_main_file(path) -> int:
    """Count users as the database file alone holds them (immutable=1 ignores the WAL)."""
    probe = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        return probe.execute("SELECT count(*) FROM users").fetchone()[0]
    finally:
        probe.close()


def test_checkpoint_moves_the_wal_into_the_database(tmp_path):
    path = tmp_path / "c.db"
    store = SqliteStore(path)
    ids = IdGenerator(0)
    store.checkpoint()  # the freshly created schema itself starts out in the WAL
    before = users_in_main_file(path)
    for i in range(20):
        store.create_user(NewUser(ids.next(), f"u{i}", f"u{i}", "U", "", "h"))
    assert users_in_main_file(path) == before  # committed, but only in the WAL so far
    store.checkpoint()
    assert users_in_main_file(path) == before + 20
    store.close()
