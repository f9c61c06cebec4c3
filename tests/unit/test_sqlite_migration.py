"""Schema upgrades on start-up: a v3 database (the first released schema) is migrated in place."""

from __future__ import annotations

import sqlite3

import pytest

from barker.errors import StoreUnavailable
from barker.ids import IdGenerator
from barker.store.base import NewUser
from barker.store.sqlite import SCHEMA_VERSION, SqliteStore


def test_v3_database_is_upgraded_with_its_data(tmp_path):
    path = tmp_path / "old.db"
    store = SqliteStore(path)
    ids = IdGenerator(2)
    me = ids.next()
    store.create_user(NewUser(me, "me", "me", "Me", "", "x"))
    bark = store.post_bark(ids.next(), me, "from v3", None, 10, ids.next()).id
    store.close()
    with sqlite3.connect(path) as conn:  # turn it back into what v3 looked like
        conn.execute("DROP INDEX reactions_id")
        conn.execute("ALTER TABLE users DROP COLUMN stream_trimmed")
        conn.execute("PRAGMA user_version = 3")

    store = SqliteStore(path)
    assert store._one("PRAGMA user_version")[0] == SCHEMA_VERSION
    assert [e["bark"]["id"] for e in store.stream_events(me, 0, 10).events] == [bark]
    assert store.stream_head(me) == 1
    store.close()


def test_development_schemas_are_refused(tmp_path):
    path = tmp_path / "dev.db"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 2")
    with pytest.raises(StoreUnavailable, match="development schema v2"):
        SqliteStore(path)
