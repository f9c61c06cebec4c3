"""Schema upgrades on start-up: a v3 database (the first released schema), a v6 one (the last before
media), a v7 one (the last with a fresh-tier stream index), a v8 one (the last with a seq counter per
stream) and a v9 one (the last with exact locations) are migrated in place."""

from __future__ import annotations

import sqlite3
import struct
from collections.abc import Callable

import pytest

from barker.errors import StoreUnavailable
from barker.geo import coarsen, snap, unit_vector
from barker.ids import IdGenerator
from barker.ports.reports import NewReport
from barker.ports.types import NewMedia, NewUser
from barker.store.sqlite import SCHEMA_VERSION, SqliteStore


def back_to_v6(conn: sqlite3.Connection) -> None:
    """Turn a current database into what v6 looked like (no media)."""
    back_to_v7(conn)  # first: the columns added later go before media, the last column then
    conn.execute("DROP TABLE media")
    conn.execute("DROP TABLE media_files")
    for column in ("avatar_media", "avatar_url", "avatar_thumbnail_url"):
        conn.execute(f"ALTER TABLE users DROP COLUMN {column}")
    conn.execute("ALTER TABLE barks DROP COLUMN media")
    conn.execute("PRAGMA user_version = 6")


def back_to_v7(conn: sqlite3.Connection) -> None:
    back_to_v8(conn)
    conn.execute("CREATE UNIQUE INDEX stream_recent_item ON stream_recent (owner, kind, ref)")
    conn.execute("PRAGMA user_version = 7")


def back_to_v12(conn: sqlite3.Connection) -> None:
    """Before reports."""
    conn.execute("DROP TABLE reports")
    conn.execute("PRAGMA user_version = 12")


def back_to_v11(conn: sqlite3.Connection) -> None:
    """Before operators: no roles, account states, restricted sessions, settings, invites or audit log."""
    back_to_v12(conn)
    for table in ("server_settings", "invites", "audit_log"):
        conn.execute(f"DROP TABLE {table}")
    for index in ("users_role", "users_state"):
        conn.execute(f"DROP INDEX {index}")
    for column in ("role", "state", "must_change_password"):
        conn.execute(f"ALTER TABLE users DROP COLUMN {column}")
    conn.execute("ALTER TABLE tokens DROP COLUMN restricted")
    conn.execute("PRAGMA user_version = 11")


def back_to_v10(conn: sqlite3.Connection) -> None:
    """Before conversations: no replies, tags, bookmarks, notifications or bark search."""
    back_to_v11(conn)
    for trigger in ("barks_fts_insert", "barks_fts_delete"):
        conn.execute(f"DROP TRIGGER {trigger}")
    for table in ("barks_fts", "replies", "bark_tags", "bookmarks", "notifications"):
        conn.execute(f"DROP TABLE {table}")
    # The table as v10 made it (DROP COLUMN cannot edit the schema's commented column list here).
    conn.execute("ALTER TABLE barks RENAME TO barks_v11")
    conn.execute("CREATE TABLE barks (id INTEGER PRIMARY KEY, author INTEGER NOT NULL, created_at TEXT NOT NULL, "
                 "text TEXT, rebark_of INTEGER, fanned_out INTEGER NOT NULL DEFAULT 1, "
                 "rebark_count INTEGER NOT NULL DEFAULT 0, reactions TEXT NOT NULL DEFAULT '{}', "
                 "media TEXT NOT NULL DEFAULT '[]')")
    conn.execute("INSERT INTO barks SELECT id, author, created_at, text, rebark_of, fanned_out, rebark_count, "
                 "reactions, media FROM barks_v11")
    conn.execute("DROP TABLE barks_v11")
    conn.execute("CREATE INDEX barks_author ON barks (author, id)")
    conn.execute("CREATE UNIQUE INDEX barks_rebark ON barks (author, rebark_of) WHERE rebark_of IS NOT NULL")
    conn.execute("CREATE INDEX barks_rebarks_of ON barks (rebark_of) WHERE rebark_of IS NOT NULL")
    conn.execute("ALTER TABLE users DROP COLUMN notifications_read")
    conn.execute("PRAGMA user_version = 10")


def back_to_v9(conn: sqlite3.Connection, raw: dict[int, tuple[float, float]] | None = None) -> None:
    """Before cells: locations held the exact point (and its unit vector, in the R*Tree too)."""
    back_to_v10(conn)
    conn.execute("DROP TABLE locations")
    conn.execute("CREATE TABLE locations (user_id INTEGER PRIMARY KEY, lat REAL NOT NULL, lon REAL NOT NULL, "
                 "x REAL NOT NULL, y REAL NOT NULL, z REAL NOT NULL, updated_ms INTEGER NOT NULL)")
    conn.execute("DROP TABLE location_cells")
    conn.execute("DROP TABLE location_cells_rtree")
    conn.execute("CREATE VIRTUAL TABLE locations_rtree USING rtree(id, minx, maxx, miny, maxy, minz, maxz)")
    for uid, (lat, lon) in (raw or {}).items():
        x, y, z = unit_vector(lat, lon)
        conn.execute("INSERT INTO locations VALUES (?, ?, ?, ?, ?, ?, 7)", (uid, lat, lon, x, y, z))
        conn.execute("INSERT INTO locations_rtree VALUES (?, ?, ?, ?, ?, ?, ?)", (uid, x, x, y, y, z, z))
    conn.execute("PRAGMA user_version = 9")


def back_to_v8(conn: sqlite3.Connection) -> None:
    """Before one seq clock for all streams (each stream counted its own) and the counts for retention."""
    back_to_v9(conn)
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
        conn.execute("DROP TABLE locations")  # discovery came with v5
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


def test_v9_exact_locations_become_cells_and_leave_no_trace_on_disk(tmp_path):
    """Every stored exact point is snapped to its cell by the upgrade, and neither its coordinates nor its
    unit vector (as SQLite stores them: 8-byte big-endian doubles; 4-byte floats in the R*Tree) is left
    anywhere in the database file or its WAL. A later start-up with a coarser resolution coarsens them."""
    raw = {1001: (52.520008, 13.404954), 1002: (-33.868820, 151.209296), 1003: (0.123457, 179.999991)}
    path = tmp_path / "old.db"
    ids = IdGenerator(2)
    a_user_and_a_bark(path, ids)
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO users (id, handle, created_at, handle_canon, display_name, password_hash) "
                     "SELECT 1001 + value, 'u' || value, created_at, 'u' || value, 'U', 'x' FROM users, "
                     "json_each('[0, 1, 2]')")
        back_to_v9(conn, raw)
    store = SqliteStore(path)
    assert store._one("PRAGMA user_version")[0] == SCHEMA_VERSION
    for uid, (lat, lon) in raw.items():
        stored = store.location(uid)
        assert stored is not None and stored.cell == snap(lat, lon, 7) and stored.visibility == "everyone"
    assert {uid for uid, _ in store.nearest_users(1001, 10, 20_100)} == {1002, 1003}
    store.close()
    on_disk = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("old.db"))
    for lat, lon in raw.values():
        for value in (lat, lon, *unit_vector(lat, lon)):
            assert struct.pack(">d", value) not in on_disk, f"{value} (exact) is still on disk"
    cells = {bound for lat, lon in raw.values() for value in unit_vector(*centre(lat, lon))
             for bound in float32_bounds(value)}
    for lat, lon in raw.values():
        for value in unit_vector(lat, lon):  # the R*Tree's 32-bit bounds (unless the cell's are the same)
            for packed in float32_bounds(value) - cells:
                assert packed not in on_disk, f"{value} (R*Tree) is still on disk"
    coarse = SqliteStore(path, location_resolution=5)
    assert {uid: coarse.location(uid).cell for uid in raw} == {uid: coarsen(snap(*p, 7), 5) for uid, p in raw.items()}
    assert {uid for uid, _ in coarse.nearest_users(1001, 10, 20_100)} == {1002, 1003}
    coarse.close()


def centre(lat: float, lon: float) -> tuple[float, float]:
    cell = snap(lat, lon, 7)
    return cell.lat, cell.lon


def float32_bounds(value: float) -> set[bytes]:
    """The 32-bit floats an R*Tree may hold for `value` (it rounds bounds outward by up to a couple of
    units in the last place), packed big-endian."""
    bits = struct.unpack(">i", struct.pack(">f", value))[0]
    return {struct.pack(">i", b) for b in range(bits - 3, bits + 4)}


def test_v10_database_gains_conversations_and_finds_its_old_barks(tmp_path):
    path = tmp_path / "old.db"
    ids = IdGenerator(2)
    me, bark = a_user_and_a_bark(path, ids)
    with sqlite3.connect(path) as conn:
        back_to_v10(conn)
    store = SqliteStore(path)
    assert store._one("PRAGMA user_version")[0] == SCHEMA_VERSION
    [old] = store.bark_views([bark], me)
    assert (old["reply_to"], old["reply_count"], old["tags"], old["bookmarked"]) == (None, 0, [], False)
    # The search index was rebuilt from the barks already there.
    assert store._one("SELECT rowid FROM barks_fts WHERE barks_fts MATCH 'past'") == (bark,)
    store.close()


def test_development_schemas_are_refused(tmp_path):
    path = tmp_path / "dev.db"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 2")
    with pytest.raises(StoreUnavailable, match="development schema v2"):
        SqliteStore(path)


def test_v11_database_gains_operators_and_its_users_are_active_users(tmp_path):
    store, _ids, me, _ = reopened_after(tmp_path, back_to_v11)
    info = store.account_info(me)
    assert info is not None and (info.role, info.state, info.must_change_password) == ("user", "active", False)
    assert store.server_setting("registration_mode") is None
    assert store.audit_page(None, 10) == [] and store.invites(10) == []
    store.close()


def test_v12_database_gains_reports(tmp_path):
    store, ids, me, _ = reopened_after(tmp_path, back_to_v12)
    other = ids.next()
    store.create_user(NewUser(other, "other", "other", "Other", "", "x"))
    report = NewReport(ids.next(), me, other, (), "spam", None)
    store.create_report(report)
    assert [r.id for r in store.report_page("open", None, 10)] == [report.id]
    names = {row[0] for row in store._reader().execute("SELECT name FROM sqlite_master WHERE name LIKE 'reports%'")}
    assert names == {"reports", "reports_reporter", "reports_state", "reports_target"}
    store.close()


def test_v14_media_gain_an_empty_description_in_their_records_and_in_the_barks_that_carry_them(tmp_path):
    def back_to_v14(conn: sqlite3.Connection) -> None:
        conn.execute("UPDATE media SET view = json_remove(view, '$.description')")
        conn.execute("UPDATE barks SET media = (SELECT json_group_array(json_remove(value, '$.description')) "
                     "FROM json_each(barks.media)) WHERE media != '[]'")
        conn.execute("PRAGMA user_version = 14")

    path = tmp_path / "old.db"
    ids = IdGenerator(2)
    me, plain = a_user_and_a_bark(path, ids)
    store = SqliteStore(path)
    media = [ids.next(), ids.next()]
    for media_id in media:
        view = {"id": media_id, "width": 4, "height": 3, "animated": False, "url": "/media/a.jpg",
                "thumbnail_url": "/media/b.jpg", "original_url": "/media/a.jpg", "description": "old"}
        store.create_media(NewMedia(media_id, me, "post", 1, view, (f"{media_id:064x}.jpg",)))
    bark = store.post_bark(ids.next(), me, "", None, 10, ids.next(), media=media).id
    store.close()
    with sqlite3.connect(path) as conn:
        back_to_v14(conn)
        assert "description" not in conn.execute("SELECT media FROM barks WHERE id = ?", (bark,)).fetchone()[0]
    store = SqliteStore(path)
    assert store._one("PRAGMA user_version")[0] == SCHEMA_VERSION
    shown = store.bark_views([bark, plain], me)
    assert [[(m["id"], m["description"]) for m in b["media"]] for b in shown] == [
        [(media[0], None), (media[1], None)], []]
    assert store.media(media[0]).view["description"] is None
    store.close()
