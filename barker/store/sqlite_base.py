"""The embedded store's base: SQLite in WAL mode, its connections, transactions, schema migrations,
lifecycle and id-generator leases. The store's methods are mixins in their own modules, one per port;
SqliteStore (barker/store/sqlite.py) composes them with this base.

Concurrency model (design §2): one writer connection, used under a lock (in the service it is only ever
touched by the single writer thread, so the lock is uncontended), and one read-only connection per
reading thread. WAL lets readers run while the writer commits; `synchronous=NORMAL` makes commits cheap
without risking corruption (a power cut may lose the last transactions, never the database).

Hot read paths render their result as one JSON value inside SQLite (json_group_array/json_object): a page
then costs one step instead of one per row, which matters because the sqlite3 module releases and
re-takes the GIL on every step, and under load each re-take waits for the event-loop thread.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import orjson

from barker.errors import Conflict, StoreUnavailable
from barker.geo import DEFAULT_RESOLUTION, cell, check_resolution, coarsen, snap, unit_vector
from barker.ids import MAX_NODES
from barker.ports.capabilities import Capabilities
from barker.store.sqlite_discovery import SqliteDiscovery
from barker.store.sqlite_errors import translate, unavailable
from barker.store.sqlite_maintenance import COMPACT_ROWS
from barker.store.sqlite_sql import discovery, lifecycle

SCHEMA_VERSION = 15  # v1 and v2 only existed in development builds; no data to migrate
# Upgrades from each released schema version to the next, applied in order in one transaction.
MIGRATIONS: dict[int, Callable[[], list[str]]] = {
    3: lambda: ["ALTER TABLE users ADD COLUMN stream_trimmed INTEGER NOT NULL DEFAULT 0",
                "CREATE INDEX IF NOT EXISTS reactions_id ON reactions (id)"],
    4: lambda: [*_schema_statements(_DISCOVERY_MARK, _FRESH_TIER_MARK),
                "INSERT INTO users_fts (users_fts) VALUES ('rebuild')"],
    5: lambda: _schema_statements(_FRESH_TIER_MARK, _MEDIA_MARK),
    6: lambda: ["ALTER TABLE users ADD COLUMN avatar_media INTEGER",
                "ALTER TABLE users ADD COLUMN avatar_url TEXT",
                "ALTER TABLE users ADD COLUMN avatar_thumbnail_url TEXT",
                "ALTER TABLE barks ADD COLUMN media TEXT NOT NULL DEFAULT '[]'",
                *_schema_statements(_MEDIA_MARK, _STREAM_CLOCK_MARK)],
    7: lambda: ["DROP INDEX IF EXISTS stream_recent_item"],  # see sqlite_streams.py: cheaper fan-out
    # The clock starts past every seq handed out so far; sizes start exact.
    8: lambda: [*_schema_statements(_STREAM_CLOCK_MARK, _CONVERSATIONS_MARK),
                "UPDATE stream_clock SET seq = max((SELECT coalesce(max(seq), 0) FROM stream), "
                "(SELECT coalesce(max(seq), 0) FROM stream_recent), "
                "(SELECT coalesce(max(stream_trimmed), 0) FROM users))",
                "INSERT INTO stream_sizes (owner, entries) SELECT owner, count(*) FROM stream GROUP BY owner"],
    # Shared locations become cells: every exact point is snapped (barker_snap: see _migrate) and dropped.
    9: lambda: ["ALTER TABLE locations RENAME TO locations_raw",
                "DROP INDEX IF EXISTS locations_resolution",
                "DROP INDEX IF EXISTS locations_cell",
                "DROP TABLE IF EXISTS locations_rtree",  # the per-user R*Tree of exact points
                *_schema_statements(_DISCOVERY_MARK, _RATE_LIMITS_MARK),
                "INSERT INTO locations (user_id, cell, resolution, lat, lon, x, y, z, updated_ms) "
                "SELECT user_id, barker_snap(lat, lon, 'cell'), barker_snap(lat, lon, 'resolution'), "
                "barker_snap(lat, lon, 'lat'), barker_snap(lat, lon, 'lon'), barker_snap(lat, lon, 'x'), "
                "barker_snap(lat, lon, 'y'), barker_snap(lat, lon, 'z'), updated_ms FROM locations_raw",
                "DROP TABLE locations_raw",
                "INSERT INTO location_cells (cell, x, y, z, users) "
                "SELECT cell, x, y, z, count(*) FROM locations GROUP BY cell",
                "INSERT INTO location_cells_rtree SELECT id, x, x, y, y, z, z FROM location_cells"],
    # Conversations: replies, mentions, tags, entities, bookmarks, notifications, bark search.
    10: lambda: ["ALTER TABLE users ADD COLUMN notifications_read INTEGER NOT NULL DEFAULT 0",
                 *(f"ALTER TABLE barks ADD COLUMN {column}" for column in (
                     "reply_to INTEGER", "reply_author INTEGER", "reply_count INTEGER NOT NULL DEFAULT 0",
                     "mentions TEXT NOT NULL DEFAULT '[]'", "tags TEXT NOT NULL DEFAULT '[]'",
                     "entities TEXT NOT NULL DEFAULT '[]'")),
                 *_schema_statements(_CONVERSATIONS_MARK, _OPERATORS_MARK),
                 "INSERT INTO barks_fts (barks_fts) VALUES ('rebuild')"],
    # Operators: roles, account states, forced password changes, the registration mode, invites, audit log;
    # departed accounts: retired handles, and a user's uploads by owner (the schema from _OPERATORS_MARK on).
    11: lambda: ["ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'user'",
                 "ALTER TABLE users ADD COLUMN state TEXT NOT NULL DEFAULT 'active'",
                 "ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0",
                 "ALTER TABLE tokens ADD COLUMN restricted INTEGER NOT NULL DEFAULT 0",
                 *_schema_statements(_OPERATORS_MARK, _REPORTS_MARK)],
    # Reports of abuse to the moderators.
    12: lambda: _schema_statements(_REPORTS_MARK, _SAFETY_MARK),
    # Blocks and mutes.
    13: lambda: _schema_statements(_SAFETY_MARK),
    # Images gain a description (alt text): every Media object, stored and copied into barks, says none.
    14: lambda: ["UPDATE media SET view = json_insert(view, '$.description', NULL)",
                 "UPDATE barks SET media = (SELECT json_group_array(json_insert(value, '$.description', NULL)) "
                 "FROM json_each(barks.media)) WHERE media != '[]'"],
}


_DISCOVERY_MARK = "-- Discovery (schema v5)."
_FRESH_TIER_MARK = "-- Streams, fresh tier (schema v6)"
_MEDIA_MARK = "-- Media (schema v7)."
_STREAM_CLOCK_MARK = "-- Stream seqs (schema v9)."
_RATE_LIMITS_MARK = "-- Fixed-window request counters"
_CONVERSATIONS_MARK = "-- Conversations (schema v11)."
_OPERATORS_MARK = "-- Operators (schema v12)."
_REPORTS_MARK = "-- Reports (schema v13)."
_SAFETY_MARK = "-- Blocks and mutes (schema v14)."


def _schema_statements(from_mark: str = "", to_mark: str = "") -> list[str]:
    """The statements of sqlite_schema.sql (for a migration: from one marker comment up to another)."""
    script = resources.files("barker.store").joinpath("sqlite_schema.sql").read_text()
    if to_mark:
        script = script[:script.index(to_mark)]
    if from_mark:
        script = script[script.index(from_mark):]
    return [s for s in script.split(";\n") if s.strip()]

CAPABILITIES = Capabilities(group_commit=True, local=True, needs_compaction=True)


class SqliteBase:
    """What every part of SqliteStore uses (sqlite_host.SqliteHost is its mixins' view of it)."""

    # Group commit: one commit (one WAL fsync) for a group of request writes, each call in its own
    # savepoint. Embedded (local): reads are cheap enough to run inline, and the file can be backed up.
    capabilities = CAPABILITIES

    def __init__(self, path: str | Path, *, busy_timeout_ms: int = 5000, stream_retain: int = 1000,
                 location_resolution: int = DEFAULT_RESOLUTION, compact_rows: int = COMPACT_ROWS) -> None:
        # A compaction pass starts at this many fresh entries at the latest (settings.stream_compact_rows).
        self.compact_rows = compact_rows
        self.path = Path(path)
        check_resolution(location_resolution)
        # Shared locations are kept as H3 cells of this resolution, or coarser (barker/geo.py).
        self.location_resolution = location_resolution
        # Each stream keeps about its newest `stream_retain` entries (trimmed by compaction, TRIM_EVERY past).
        self.stream_retain = stream_retain
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._busy_timeout_ms = busy_timeout_ms
        self._write_lock = threading.RLock()
        self._depth = 0  # transaction nesting on the writer connection (guarded by _write_lock)
        # Why SQLite rolled back the open transaction by itself (see _tx), for the levels around the failure.
        self._rolled_back_by: StoreUnavailable | None = None
        self._writer_closed = False  # it could not roll back and was closed; reopened by the next transaction
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()
        self._checkpointer: sqlite3.Connection | None = None
        self._checkpoint_lock = threading.Lock()
        try:
            self._writer = self._connect()
            self._migrate()
            self._coarsen_locations()
        except sqlite3.Error as e:
            raise StoreUnavailable(f"cannot open SQLite store at {self.path}: {e}") from e

    # -- connections and transactions ---------------------------------------------------------------
    def _connect(self, *, readonly: bool = False) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {self._busy_timeout_ms}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA temp_store = MEMORY")
        # Pages read through a memory map cost no system call (pread is ~20 us on this kind of VM). The writer
        # reads too: the pages fan-out and compaction write into. (Writes still go to the WAL with write();
        # the map is only read.)
        conn.execute("PRAGMA mmap_size = 1073741824")
        if readonly:
            conn.execute("PRAGMA query_only = ON")
            conn.execute("PRAGMA cache_size = -65536")  # 64 MiB page cache per reader
        else:
            # Fan-out dirties one page per stream row (followers are scattered), so a roomy cache. The
            # server checkpoints in the background (checkpoint()); had a commit to do it, every request
            # write queued behind would wait (post p99 150 -> 41-51 ms in A/B runs). The automatic one is
            # only a safety net for processes that never call checkpoint(): 50,000 pages = 200 MiB of WAL.
            conn.execute("PRAGMA cache_size = -262144")
            conn.execute("PRAGMA wal_autocheckpoint = 50000")
        return conn

    def _reader(self) -> sqlite3.Connection:
        if getattr(self._local, "in_tx", False):
            return self._writer  # inside a write transaction: read what it has written so far
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._connect(readonly=True)
            with self._readers_lock:
                self._readers.append(conn)
        return conn

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """A write transaction; nested use (inside bulk() or another method) becomes a savepoint, so each
        method stays all-or-nothing even inside a larger batch.

        On some failures (a full disk, an I/O error) SQLite rolls back the whole transaction by itself, not
        just the failing statement. Then every savepoint is gone with it: no level may try to undo it again
        (that only raises a second, raw error), and no later call may run in it, because outside a
        transaction it would commit on its own while the batch around it is reported failed."""
        with self._write_lock:
            depth = self._depth
            if depth == 0 and self._writer_closed:
                self._reopen_writer()
            conn = self._writer
            if depth > 0 and not conn.in_transaction:
                raise self._rolled_back_error()
            try:
                conn.execute("BEGIN IMMEDIATE" if depth == 0 else f"SAVEPOINT sp{depth}")
            except sqlite3.Error as e:
                raise unavailable(e) from e
            if depth == 0:
                self._rolled_back_by = None
            self._depth += 1
            self._local.in_tx = True
            try:
                yield conn
            except BaseException as e:
                self._depth -= 1
                self._local.in_tx = self._depth > 0
                mapped = translate(e) if isinstance(e, sqlite3.Error) else None
                self._undo(conn, depth, mapped or e)
                if mapped is not None:
                    raise mapped from e
                raise
            self._depth -= 1
            self._local.in_tx = self._depth > 0
            if not conn.in_transaction:  # a failure inside was caught and ignored: this must not pass for a commit
                raise self._rolled_back_error()
            try:
                conn.execute("COMMIT" if depth == 0 else f"RELEASE sp{depth}")
            except sqlite3.Error as e:
                error = unavailable(e)
                self._undo(conn, depth, error)
                raise error from e

    def _undo(self, conn: sqlite3.Connection, depth: int, cause: BaseException) -> None:
        """Roll back this level after a failure, unless SQLite already rolled back everything. Never raises:
        if a savepoint cannot be undone the whole transaction is, and a connection that cannot roll back
        is replaced (closing it rolls back), so no part of a failed call is ever committed."""
        if conn.in_transaction and depth > 0:
            try:
                conn.execute(f"ROLLBACK TO sp{depth}")
                conn.execute(f"RELEASE sp{depth}")
                return
            except sqlite3.Error:
                pass
        if conn.in_transaction:
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                self._replace_writer()
        if depth > 0 and self._rolled_back_by is None:  # the levels around this one must fail too
            self._rolled_back_by = cause if isinstance(cause, StoreUnavailable) else None

    def _rolled_back_error(self) -> StoreUnavailable:
        """A fresh error for a level whose transaction SQLite rolled back under it: the cause's kind (a full
        disk stays StorageFull) and message."""
        cause = self._rolled_back_by
        if cause is None:
            return StoreUnavailable("sqlite rolled the transaction back after an earlier failure in it")
        return type(cause)(cause.message, code=cause.code, retry_after=cause.retry_after)

    def _replace_writer(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self._writer.close()
        self._writer_closed = True
        with contextlib.suppress(StoreUnavailable):  # else the next transaction tries again
            self._reopen_writer()

    def _reopen_writer(self) -> None:
        try:
            self._writer = self._connect()
        except sqlite3.Error as e:
            raise unavailable(e) from e
        self._writer_closed = False

    def _one(self, sql: str, params: Any = ()) -> Any:
        try:
            return self._reader().execute(sql, params).fetchone()
        except sqlite3.OperationalError as e:
            raise unavailable(e) from e
        except sqlite3.DatabaseError as e:  # a damaged file is an outage; a bad statement stays a bug
            if (mapped := translate(e)) is None:
                raise
            raise mapped from e

    def _json(self, sql: str, params: Any = ()) -> Any:
        """Run a query whose single row holds one JSON value, and parse it (inside a write transaction, on
        the writer: see _reader). Lists come back this way, not as rows: Python's sqlite3 lets go of the GIL
        for every row it steps, and while another thread is busy (the event loop sending to a thousand
        sockets), taking it back can cost the 5 ms switch interval, per row."""
        row = self._one(sql, params)
        return orjson.loads(row[0]) if row and row[0] is not None else None

    def _migrate(self) -> None:
        version = self._writer.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreUnavailable(f"database schema v{version} is newer than this Barker (v{SCHEMA_VERSION})")
        if 0 < version < min(MIGRATIONS):
            raise StoreUnavailable(f"{self.path} has the development schema v{version}; remove it and re-seed")
        if version > 0:
            snapping = version < 10  # exact points are on disk: leave none behind (see _forget_raw_points)
            if snapping:
                self._writer.create_function("barker_snap", 3, self._snap_raw_point, deterministic=True)
                self._writer.execute("PRAGMA secure_delete = ON")
            with self._tx() as c:
                for step in range(version, SCHEMA_VERSION):
                    for statement in MIGRATIONS[step]():
                        c.execute(statement)
                c.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            if snapping:
                self._forget_raw_points()
        elif version < SCHEMA_VERSION:
            with self._tx() as c:
                for statement in _schema_statements():
                    c.execute(statement)
                c.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _snap_raw_point(self, lat: float, lon: float, part: str) -> str | float | int:
        """barker_snap(lat, lon, part) for the v10 migration: one part of the point's cell, by the one rule."""
        snapped = snap(lat, lon, self.location_resolution)
        if part in ("x", "y", "z"):
            return unit_vector(snapped.lat, snapped.lon)["xyz".index(part)]
        parts: dict[str, str | float | int] = {"cell": snapped.id, "resolution": snapped.resolution,
                                               "lat": snapped.lat, "lon": snapped.lon}
        return parts[part]

    def _forget_raw_points(self) -> None:
        """After the snapping migration: secure_delete (on for its transaction) zeroed the rows and R*Tree
        nodes it replaced; a truncating checkpoint moves the new pages into the database file and empties
        the WAL, so no exact point survives in either file (a backup taken before the upgrade still has them)."""
        self._writer.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        self._writer.execute("PRAGMA secure_delete = OFF")

    def _coarsen_locations(self) -> None:
        """Cells finer than the configured resolution (it was lowered since they were stored) become the
        coarser cells holding their centres, on every start-up; an index on resolution makes the usual
        case one probe."""
        rows = self._writer.execute(discovery.FINER_LOCATIONS, (self.location_resolution,)).fetchall()
        if not rows:
            return
        with self._tx() as c:
            for user_id, stored, visibility, updated_ms in rows:
                # Discovery's own placing rule (a static method: it needs no store), so counts stay right.
                place = coarsen(cell(stored), self.location_resolution)
                SqliteDiscovery._place(c, user_id, place, visibility, updated_ms)

    # -- lifecycle ---------------------------------------------------------------------------------
    def close(self) -> None:
        with self._readers_lock:
            for conn in self._readers:
                conn.close()
            self._readers.clear()
        with self._checkpoint_lock:
            if self._checkpointer is not None:
                self._checkpointer.close()
        with self._write_lock:
            self._writer.close()

    def checkpoint(self) -> None:
        # PASSIVE: copies what it can without waiting for, or blocking, readers and the writer.
        with self._checkpoint_lock:
            if self._checkpointer is None:
                self._checkpointer = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            try:
                self._checkpointer.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            except sqlite3.Error as e:
                raise unavailable(e, "sqlite checkpoint") from e

    def ping(self) -> None:
        self._one(lifecycle.PING)

    @contextmanager
    def bulk(self) -> Iterator[None]:
        with self._tx():
            yield

    def claim_node(self, holder: str, now_ms: int, ttl_ms: int) -> int:
        with self._tx() as c:
            busy = {n for n, h, exp in c.execute(lifecycle.NODE_LEASES)
                    if exp > now_ms and h != holder}
            for node in range(MAX_NODES):
                if node not in busy:
                    c.execute(lifecycle.LEASE_NODE,
                              (node, holder, now_ms + ttl_ms))
                    return node
        raise Conflict(f"all {MAX_NODES} id-generator node numbers are leased by running processes")

    def renew_node(self, node: int, holder: str, now_ms: int, ttl_ms: int) -> bool:
        with self._tx() as c:
            cur = c.execute(lifecycle.RENEW_NODE,
                            (now_ms + ttl_ms, node, holder))
            return cur.rowcount == 1

    def _id_list(self, sql: str, params: dict[str, Any]) -> list[int]:
        return self._json(sql, params) or []

