"""Schema upgrades on start-up: a v3 database (the first released schema), a v6 one (the last before
media), a v7 one (the last with a fresh-tier stream index) and a v8 one (the last with a seq counter per
stream) are migrated in place."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import pytest

from barker.errors import StoreUnavailable
from barker.ids import IdGenerator
from barker.store.base import NewMedia, NewUser
from barker.store.sqlite import SCHEMA_VERSION, SqliteStore


def back_to_v6(conn: sqlite3.Connection) -> None:
    """Turn a current database into what v6 looked like (no media)."""
    conn.execute("DROP TABLE media")
    conn.execute("DROP TABLE media_files")
    for column in ("avatar_media", "avatar_url", "avatar_thumbnail_url"):
        conn.execute(f"ALTER TABLE users DROP COLUMN {column}")
    conn.execute("ALTER TABLE barks DROP COLUMN media")
    back_to_v7(conn)
    conn.execute("PRAGMA user_version = 6")


def back_to_v7(conn: sqlite3.Connection) -> None:
    back_to_v8(conn)
    conn.execute("CREATE UNIQUE INDEX stream_recent_item ON stream_recent (owner, kind, ref)")
    conn.execute("PRAGMA user_version = 7")


def back_to_v8(conn: sqlite3.Connection) -> None:
    """Before one seq clock for all streams (each stream counted its own) and the counts for retention."""
    conn.execute("DROP TABLE stream_clock")
    conn.execute("DROP TABLE stream_sizes")
    conn.execute("PRAGMA user_version = 8")


def a_user_and_a_bark(path, ids: IdGenerator) -> tuple[int, int]:
    store = SqliteStore(path)
    me = ids.next()
    store.create_user(NewUser(me, "me", "me", "Me", "", "x"))
    bark = store.post_bark(ids.next(), me, "from the past", None, 10, ids.next()).id
    store.close()
    return me, bark


def test_v3_database_is_upgraded_with_its_data(tmp_path):
    path = tmp_path / "old.db"
    me, bark = a_user_and_a_bark(path, IdGenerator(2))
    with sqlite3.connect(path) as conn:  # turn it back into what v3 looked like
        back_to_v6(conn)
        conn.execute("DROP INDEX reactions_id")
        conn.execute("ALTER TABLE users DROP COLUMN stream_trimmed")
        conn.execute("PRAGMA user_version = 3")

    store = SqliteStore(path)
    assert store._one("PRAGMA user_version")[0] == SCHEMA_VERSION
    assert [e["bark"]["id"] for e in store.stream_events(me, 0, 10).events] == [bark]
    assert store.stream_head(me) == 1
    store.close()


def reopened_after(tmp_path, back_to: Callable[[sqlite3.Connection], None]
                   ) -> tuple[SqliteStore, IdGenerator, int, int]:
    """A store holding a user and a bark, turned back into an older schema, then opened (migrated)."""
    path = tmp_path / "old.db"
    ids = IdGenerator(2)
    me, bark = a_user_and_a_bark(path, ids)
    with sqlite3.connect(path) as conn:
        back_to(conn)
    store = SqliteStore(path)
    assert store._one("PRAGMA user_version")[0] == SCHEMA_VERSION
    return store, ids, me, bark


def test_v6_database_gains_media(tmp_path):
    store, ids, me, old = reopened_after(tmp_path, back_to_v6)
    [view] = store.bark_views([old], me)
    assert view["media"] == [] and view["author"]["avatar_url"] is None
    assert store.user_view(me, me)["avatar_thumbnail_url"] is None
    media_id = ids.next()
    media_view = {"id": media_id, "width": 4, "height": 3, "animated": False, "url": "/media/a.jpg",
                  "thumbnail_url": "/media/b.jpg", "original_url": "/media/a.jpg"}
    store.create_media(NewMedia(media_id, me, "post", 1, media_view, ("a" * 64 + ".jpg",)))
    new = store.post_bark(ids.next(), me, "", None, 10, ids.next(), media=[media_id]).id
    assert store.bark_views([new], me)[0]["media"] == [media_view]
    store.close()


def test_v7_database_loses_the_fresh_tier_index_and_keeps_its_streams(tmp_path):
    store, ids, me, old = reopened_after(tmp_path, back_to_v7)
    assert store._one("SELECT count(*) FROM sqlite_master WHERE name = 'stream_recent_item'")[0] == 0
    new = store.post_bark(ids.next(), me, "after the upgrade", None, 10, ids.next()).id
    events = store.stream_events(me, 0, 10).events
    assert [(e["seq"], e["bark"]["id"]) for e in events] == [(1, old), (2, new)]
    store.close()


def test_v8_database_gets_a_stream_clock_past_every_seq_handed_out(tmp_path):
    """Whatever seqs the per-stream counters reached, in either tier or trimmed away, the clock starts
    past them all, so no stream is handed a seq it had; and compaction's counts start from the settled tier."""
    def with_old_seqs(conn: sqlite3.Connection) -> None:
        back_to_v8(conn)
        me = conn.execute("SELECT id FROM users").fetchone()[0]
        conn.execute("INSERT INTO users (id, handle, created_at, handle_canon, display_name, password_hash, "
                     "stream_trimmed) SELECT id + 1, 'old', created_at, 'old', 'Old', 'x', 700 FROM users")
        conn.execute("INSERT INTO stream (owner, seq, kind, ref, author) "
                     "SELECT owner + 1, 650, kind, ref, author FROM stream_recent WHERE owner = ?", (me,))
        conn.execute("UPDATE stream_recent SET seq = 40")  # me: its own counter reached 40

    store, ids, me, old = reopened_after(tmp_path, with_old_seqs)
    assert store._one("SELECT seq FROM stream_clock")[0] == 700
    assert store._one("SELECT json_group_array(json_array(owner, entries)) FROM stream_sizes")[0] == \
        f"[[{me + 1},1]]"
    new = store.post_bark(ids.next(), me, "after the upgrade", None, 10, ids.next()).id
    events = store.stream_events(me, 0, 10).events
    assert [(e["seq"], e["bark"]["id"]) for e in events] == [(40, old), (701, new)]
    store.close()


def test_development_schemas_are_refused(tmp_path):
    path = tmp_path / "dev.db"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 2")
    with pytest.raises(StoreUnavailable, match="development schema v2"):
        SqliteStore(path)
