"""The SQLite store's streams part: per-user streams, retention, fan-out and backfill jobs. A mixin of
SqliteStore (barker/store/sqlite.py), split off to keep each file readable.

Layout: two tiers, like a small LSM tree. Every append lands in `stream_recent`; `compact_streams` later
moves rows into `stream`. Both are keyed (owner, seq), and every read takes the union.

The reason is what a commit costs. A WAL commit writes every page the transaction dirtied, and that cost
dominates fan-out. In `stream` each owner's entries fill pages of their own. Copying one bark to N followers
there therefore dirties about 2N pages: the row, plus its (owner, kind, ref) index entry. `stream_recent`
holds only a few rows per owner, so one page holds many owners: the same copy dirties a few hundred pages.
Compaction then moves each owner's rows together, so it dirties one page per owner per batch of rows, not
one page per row.

The fresh tier has only its primary key. An (owner, kind, ref) index there cost a third of fan-out's time
and a quarter of compaction's (bench/stream_bench.py), and an owner holds few fresh entries (a compaction
pass starts at about 16 per owner, barker/fanout.py), so its primary-key range serves the reads that
index served: the home timeline's newest barks and the repeat check of single appends.

Invariants:
- every entry is in exactly one tier;
- seqs come from one clock (stream_clock), so they stay unique and grow within every stream;
- retention trims at compaction (stream_sizes counts the settled entries), never on append;
- an owner has at most one entry per (kind, ref) across both tiers: single appends check both tiers;
  fan-out commits its job cursor with its rows (a retried batch never copies twice) and backfill leaves it
  the barks whose fan-out is still on its way to the follower. The settled tier's unique index enforces it
  there;
- a bark has one place in a stream, ever: at most one entry, live ('bark') or tombstoned ('gone', on
  unfollow). Following again revives the tombstone where it is, under its old seq, so a client that was
  sent the bark is never sent it again (docs/stream.md, "Unfollowing and following again"). A bark whose
  entry retention trimmed away is below the floor, which backfill never copies from. (Streams written
  before this rule may hold a tombstone and a live entry of one bark; compaction merges repeated tombstones.)
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import orjson

from barker.ids import MAX_ID
from barker.policies import BACKFILL_FETCH, plan_backfill, trim_at
from barker.ports.types import (
    BarkView,
    CompactionSlice,
    FanoutProgress,
    HomeStream,
    Job,
    StreamEvents,
    bark_event,
)
from barker.store.sqlite_render import author_json, bark_json, user_json

if TYPE_CHECKING:  # checked against what they use of SqliteStore, without importing it back
    from barker.store.sqlite_host import SqliteHost as _Base
else:
    _Base = object

NO_CURSOR = MAX_ID + 1
TIERS = ("stream", "stream_recent")


def each_tier(sql: str) -> str:
    """`sql` (a SELECT reading the table `{tier}`) once per tier, as a UNION ALL of subqueries, so an
    ORDER BY ... LIMIT inside `sql` applies to each tier: one index range scan each that stops early."""
    return " UNION ALL ".join(f"SELECT * FROM ({sql.format(tier=tier)})" for tier in TIERS)


def newest_streamed_barks(owner: str) -> str:
    """Bark ids in the stream of the row `owner(id, floor)`: existing, below :before, at or above the floor,
    newest :n first."""
    return f"""SELECT id FROM ({each_tier(f'''SELECT s.ref AS id FROM {owner} w CROSS JOIN {{tier}} s
        WHERE s.owner = w.id AND s.kind = 'bark' AND s.ref < :before AND s.ref >= w.floor
          AND EXISTS (SELECT 1 FROM barks x WHERE x.id = s.ref)
        ORDER BY s.ref DESC LIMIT :n''')}) ORDER BY id DESC LIMIT :n"""


# Seqs come from one clock shared by every stream (schema v9), taken in the transaction that appends. A fan-out
# batch takes one for all its followers: each follower's own newest seq, a B-tree descent into its settled
# entries, was about 2.5 of an append's 3.5 us. Within a stream a seq still only grows and is never reused,
# since writes are serialised and the clock only moves forward.
_TAKE_SEQ = "UPDATE stream_clock SET seq = seq + 1 RETURNING seq"

# The newest seq in :o's stream, or how far it was trimmed if nothing is left (0: never had an entry).
# Compaction moves whole owners, so an owner with fresh entries has its newest there.
_HEAD = ("SELECT coalesce((SELECT max(seq) FROM stream_recent WHERE owner = :o), "
         "(SELECT max(seq) FROM stream WHERE owner = :o), (SELECT stream_trimmed FROM users WHERE id = :o), 0)")

# Where :o's newest :n entries begin, as an `after` cursor (Store.stream_newest_cursor): just below the n-th
# newest seq (each tier's primary-key range read newest first, stopping at n), else how far it was trimmed.
_NEWEST_CURSOR = ("SELECT coalesce((SELECT seq FROM ("
                  + each_tier("SELECT seq FROM {tier} WHERE owner = :o ORDER BY seq DESC LIMIT :n")
                  + ") ORDER BY seq DESC LIMIT 1 OFFSET :n - 1) - 1, "
                  "(SELECT stream_trimmed FROM users WHERE id = :o), 0)")

# The followers a fan-out batch copies to: ?2's, after ?3 up to ?4.
_FOLLOWERS_IN_SPAN = "f.followee = ?2 AND f.follower > ?3 AND f.follower <= ?4"

# Single appends check both tiers for a repeat (in the fresh tier: the owner's primary-key range). Fan-out
# skips this probe, a read of a cold page per follower: its job cursor commits with its rows, and backfill
# leaves out the barks a fan-out job will still deliver.
_NOT_YET_STREAMED = " AND ".join(f"NOT EXISTS (SELECT 1 FROM {tier} x WHERE x.owner = ?1 AND x.kind = ?2 "
                                 "AND x.ref = ?3)" for tier in TIERS)

# The tombstones of ?1 for the barks of ?2 whose bark has no live entry (in a stream written before a bark had
# one place, it may), in both tiers: [[ref, seq]]. In the settled tier, stream_item's (owner, 'gone') range:
# for a first follow, where there are none, one probe instead of a read of the owner's whole stream.
_NOT_LIVE = " AND ".join(f"NOT EXISTS (SELECT 1 FROM {tier} x WHERE x.owner = ?1 AND x.kind = 'bark' "
                         "AND x.ref = t.ref)" for tier in TIERS)
_TOMBSTONES_OF_AUTHOR = " UNION ALL ".join(
    f"SELECT t.ref, t.seq FROM {table} WHERE t.owner = ?1 AND t.kind = 'gone' AND t.author = ?2 AND {_NOT_LIVE}"
    for table in ("stream t INDEXED BY stream_item", "stream_recent t"))
_TOMBSTONES_OF_AUTHOR = f"SELECT json_group_array(json_array(ref, seq)) FROM ({_TOMBSTONES_OF_AUTHOR})"

# Slices of several users' streams in one statement: the stream hub reads for every socket a wake-up
# touches at once (1,000 separate reads cost 3-4x as much). :reqs is a JSON array of [owner, after]; each
# slice is the entries after `after`, at most :n. A bark is rendered once for everyone, and again only for
# a reader who reacted to it or rebarked it (or its original), whose rendering differs.
#
# The answer is one JSON array in one row, concatenated from JSON texts (no re-parse): Python's sqlite3
# lets go of the GIL for every row it steps, and with the event loop busy sending, taking it back costs up
# to the 5 ms switch interval, per row. Its items, told apart by which are null:
#   [i, null, null, null, trimmed]   per request i: how far its owner's stream was trimmed
#   [null, null, "bark", id, Bark]   per bark in any slice, as anyone sees it
#   [i, seq, kind, ref, event]       per entry: its event for a reaction or follow; for a bark, the Bark as
#                                    this reader sees it if that differs, else null. A reaction or follow
#                                    whose subject is gone has null too, and a deleted bark no Bark item:
#                                    skipped, but they still advance the cursor.
# Each item is spliced from JSON texts: json_array(...) of the plain columns with its closing bracket cut
# off, then the rendered object (text: a CTE or CASE would drop its JSON subtype, and json() re-parse it).
_UPTO = ("coalesce((SELECT seq FROM ("
         + each_tier("SELECT seq FROM {tier} WHERE owner = q.owner AND seq > q.after ORDER BY seq LIMIT :n")
         + f") ORDER BY seq LIMIT 1 OFFSET :n - 1), {NO_CURSOR})")  # the n-th entry, or no bound if fewer
_TOUCHED = """(EXISTS (SELECT 1 FROM reactions INDEXED BY reactions_by_user
                       WHERE user_id = p.owner AND bark IN (b.id, b.rebark_of))
           OR EXISTS (SELECT 1 FROM barks r INDEXED BY barks_rebark
                      WHERE r.author = p.owner AND r.rebark_of IN (b.id, b.rebark_of)))"""
_STREAM_EVENTS = f"""
WITH q AS MATERIALIZED (SELECT key AS i, value ->> 0 AS owner, value ->> 1 AS after FROM json_each(:reqs)),
wanted AS MATERIALIZED (SELECT i, owner, after, {_UPTO} AS upto FROM q),
entry AS MATERIALIZED ({" UNION ALL ".join(
    f"SELECT w.i, w.owner, e.seq, e.kind, e.ref, e.author FROM wanted w JOIN {tier} e "
    "ON e.owner = w.owner AND e.seq > w.after AND e.seq <= w.upto" for tier in TIERS)})
SELECT '[' || group_concat(item, ',') || ']' FROM (
SELECT json_array(w.i, NULL, NULL, NULL, (SELECT stream_trimmed FROM users WHERE id = w.owner)) AS item
FROM wanted w
UNION ALL
SELECT '[null,null,"bark",' || b.id || ',' || {bark_json("NULL")} || ']' FROM barks b JOIN users u ON u.id = b.author
WHERE b.id IN (SELECT ref FROM entry WHERE kind = 'bark')
UNION ALL
SELECT rtrim(json_array(p.i, p.seq, p.kind, p.ref), ']') || ',' || coalesce(CASE p.kind
  WHEN 'bark' THEN (SELECT {bark_json("p.owner")} FROM barks b JOIN users u ON u.id = b.author
                    WHERE b.id = p.ref AND {_TOUCHED})
  WHEN 'reaction' THEN (SELECT json_object('seq', p.seq, 'type', 'reaction', 'bark_id', r.bark,
                                           'emoji', r.emoji, 'user', {author_json("ru")})
                        FROM reactions r JOIN users ru ON ru.id = r.user_id WHERE r.id = p.ref)
  WHEN 'follow' THEN (SELECT json_object('seq', p.seq, 'type', 'follower', 'user', {user_json("p.owner")})
                      FROM users u WHERE u.id = p.author)
END, 'null') || ']' FROM entry p)"""

_HOME_STREAM = f"""SELECT json_array(u.stream_floor,
    (SELECT json_group_array(id) FROM ({newest_streamed_barks("(SELECT :o AS id, 0 AS floor)")})),
    (SELECT json_group_array(f.followee) FROM follows f JOIN users c ON c.id = f.followee
     WHERE f.follower = :o AND c.has_unfanned))
FROM users u WHERE u.id = :o"""


# Drop the entries of ?1 with seq below ?2, in both tiers: remember how far (so a cursor from before is told of
# the gap), raise the home-timeline floor above the barks that went, then delete. Tombstones raise the floor
# too: backfill copies only barks at or above it, and a bark whose tombstone is gone could otherwise come back
# under a new seq to a client that was sent it before (the fallback below the floor shows it instead).
_BELOW_CUTOFF = each_tier("SELECT seq, kind, ref FROM {tier} WHERE owner = ?1 AND seq < ?2")
_TRIM = [f"UPDATE users SET stream_trimmed = max(stream_trimmed, (SELECT max(seq) FROM ({_BELOW_CUTOFF}))), "
         f"stream_floor = max(stream_floor, coalesce((SELECT max(ref) + 1 FROM ({_BELOW_CUTOFF}) "
         f"WHERE kind IN ('bark', 'gone')), 0)) WHERE id = ?1 AND EXISTS (SELECT 1 FROM ({_BELOW_CUTOFF}))",
         *(f"DELETE FROM {tier} WHERE owner = ?1 AND seq < ?2" for tier in TIERS)]


class SqliteStreams(_Base):
    """Mixed into SqliteStore; see the Store protocol for each method's contract."""

    # -- appending -------------------------------------------------------------------------------
    def _append(self, c: sqlite3.Connection, owner: int, kind: str, ref: int, author: int) -> bool:
        """Append one event to an owner's stream with the next seq; a repeat of (kind, ref) is ignored (its
        seq is skipped: seqs may jump)."""
        seq = c.execute(_TAKE_SEQ).fetchone()[0]
        return c.execute(f"INSERT INTO stream_recent (owner, seq, kind, ref, author) SELECT ?1, ?5, ?2, ?3, ?4 "
                         f"WHERE {_NOT_YET_STREAMED}", (owner, kind, ref, author, seq)).rowcount == 1

    def _drop_author_from_stream(self, c: sqlite3.Connection, owner: int, author: int) -> None:
        """Turn the owner's entries for `author`'s barks into tombstones ('gone'), in both tiers. They
        stay, not deleted: a seq, once delivered, is never handed out again, and a bark keeps its place
        for when the owner follows `author` again (_restore_author_to_stream). OR REPLACE: a stream
        written before that rule may hold an older tombstone of the same bark; the newer one replaces it."""
        for tier in TIERS:
            c.execute(f"UPDATE OR REPLACE {tier} SET kind = 'gone' WHERE owner = ? AND kind = 'bark' "
                      "AND author = ?", (owner, author))

    def _restore_author_to_stream(self, c: sqlite3.Connection, owner: int, author: int) -> int:
        """The inverse, on a follow: the owner's tombstones of `author`'s barks become live entries again,
        in place (same seq, same tier), so a client that was sent one is never sent it again, and the home
        timeline shows them as soon as the follow is written. Returns how many. In a stream written before
        a bark had one place, a tombstone whose bark also has a live entry stays one, and of repeated
        tombstones only the newest is revived: a bark is never live twice."""
        newest: dict[int, int] = {}  # bark -> seq of its newest tombstone
        for ref, seq in self._json(_TOMBSTONES_OF_AUTHOR, (owner, author)) or []:
            newest[ref] = max(seq, newest.get(ref, seq))
        if newest:
            seqs = orjson.dumps(list(newest.values())).decode()
            for tier in TIERS:  # each seq is in one of them
                c.execute(f"UPDATE {tier} SET kind = 'bark' WHERE owner = ? AND seq IN (SELECT value FROM "
                          "json_each(?))", (owner, seqs))
        return len(newest)

    # -- reading -----------------------------------------------------------------------------------
    def home_stream(self, owner: int, before: int | None, limit: int) -> HomeStream:
        found = self._json(_HOME_STREAM, {"o": owner, "before": before or NO_CURSOR, "n": limit})
        if found is None:
            return HomeStream(0, [], [])
        floor, bark_ids, celebrities = found
        return HomeStream(floor, sorted(bark_ids, reverse=True), celebrities)

    def stream_head(self, owner: int) -> int:
        return self._one(_HEAD, {"o": owner})[0]

    def stream_newest_cursor(self, owner: int, count: int) -> int:
        return self._one(_NEWEST_CURSOR, {"o": owner, "n": count})[0]

    def stream_events(self, owner: int, after: int | None, limit: int) -> StreamEvents:
        if after is None:
            return StreamEvents([], self.stream_head(owner), False)
        return self.stream_events_many([(owner, after)], limit)[0]

    def stream_events_many(self, requests: Sequence[tuple[int, int]], limit: int) -> list[StreamEvents]:
        if not requests:
            return []
        items = self._json(_STREAM_EVENTS, {"reqs": orjson.dumps(requests).decode(), "n": limit})
        trimmed = [0] * len(requests)
        entries: list[list[tuple[int, str, int, Any]]] = [[] for _ in requests]
        shared: dict[int, BarkView] = {}  # one object in every slice that shows the bark: not to be mutated
        for i, seq, kind, ref, value in items:
            if i is None:
                shared[ref] = value
            elif seq is None:
                trimmed[i] = value or 0
            else:
                entries[i].append((seq, kind, ref, value))
        slices = []
        for (_, after), mine, cut in zip(requests, entries, trimmed, strict=True):
            mine.sort()  # seqs are unique within a stream: the sort never compares the rest
            events = []
            for seq, kind, ref, value in mine:
                if kind == "bark":
                    view = value if value is not None else shared.get(ref)
                    if view is not None:
                        events.append(bark_event(seq, view))
                elif value is not None:
                    events.append(value)
            slices.append(StreamEvents(events, mine[-1][0] if mine else after, after < cut, len(mine) >= limit))
        return slices

    def online_followers(self, author: int, candidates: Sequence[int]) -> list[int]:
        return self._id_list("SELECT json_group_array(c.value) FROM json_each(:c) c "
                             "WHERE EXISTS (SELECT 1 FROM follows WHERE follower = c.value AND followee = :a)",
                             {"c": orjson.dumps(list(candidates)).decode(), "a": author})

    # -- retention ---------------------------------------------------------------------------------
    def trim_stream(self, owner: int, keep: int) -> int:
        with self._tx() as c:
            return self._trim_to(c, owner, keep)

    def _trim_to(self, c: sqlite3.Connection, owner: int, keep: int) -> int:
        """Drop all but the owner's newest `keep` entries (in both tiers), and count what the settled tier
        holds afterwards."""
        if keep > 0:  # cut below the keep-th newest entry, if there are that many
            row = c.execute(f"SELECT seq FROM ({each_tier('SELECT seq FROM {tier} WHERE owner = ?1')}) "
                            "ORDER BY seq DESC LIMIT 1 OFFSET ?2", (owner, keep - 1)).fetchone()
            cutoff = row[0] if row else None
        else:
            cutoff = NO_CURSOR
        dropped = 0
        if cutoff is not None:
            c.execute(_TRIM[0], (owner, cutoff))
            dropped = sum(c.execute(sql, (owner, cutoff)).rowcount for sql in _TRIM[1:])
        c.execute("UPDATE stream_sizes SET entries = (SELECT count(*) FROM stream WHERE owner = ?1) "
                  "WHERE owner = ?1", (owner,))
        return dropped

    # -- compaction --------------------------------------------------------------------------------
    def uncompacted_stream_rows(self) -> int:
        return self._one("SELECT count(*) FROM stream_recent")[0]

    def compact_streams(self, max_rows: int, after_owner: int = 0) -> CompactionSlice:
        with self._tx() as c:
            # Whole owners past the cursor, lowest ids first, up to about max_rows rows: each owner's rows
            # land together. If fewer are left, this slice takes them all and ends the pass.
            row = c.execute("SELECT owner FROM stream_recent WHERE owner > ? ORDER BY owner LIMIT 1 OFFSET ?",
                            (after_owner, max(0, max_rows - 1))).fetchone()
            last_owner = row[0] if row else NO_CURSOR
            span = (after_owner, last_owner)
            # Count each owner's entries as they move in, for retention below.
            c.execute("INSERT INTO stream_sizes (owner, entries) SELECT owner, count(*) FROM stream_recent "
                      "WHERE owner > ?1 AND owner <= ?2 GROUP BY owner "
                      "ON CONFLICT (owner) DO UPDATE SET entries = entries + excluded.entries", span)
            # OR REPLACE: in a stream written before a bark had one place (followed again: a new copy;
            # unfollowed again: a second tombstone), two tombstones of one bark may sit in different
            # tiers; like a second tombstone in one tier, the newer replaces the older.
            moved = c.execute("INSERT OR REPLACE INTO stream (owner, seq, kind, ref, author) "
                              "SELECT owner, seq, kind, ref, author FROM stream_recent "
                              "WHERE owner > ?1 AND owner <= ?2 ORDER BY owner, seq", span).rowcount
            c.execute("DELETE FROM stream_recent WHERE owner > ?1 AND owner <= ?2", span)
            # Retention, amortised (policies.trim_at): an owner TRIM_EVERY entries past it is trimmed back
            # to its newest stream_retain, here where its entries were just written anyway. (Appends cannot
            # count them: fan-out reads nothing per follower; see _TAKE_SEQ.)
            for owner in self._json("SELECT json_group_array(owner) FROM stream_sizes "
                                    "WHERE owner > ?1 AND owner <= ?2 AND entries >= ?3",
                                    (*span, trim_at(self.stream_retain))):
                self._trim_to(c, owner, self.stream_retain)
            return CompactionSlice(moved, row[0] if row else None)

    # -- the outbox --------------------------------------------------------------------------------
    def next_jobs(self, limit: int) -> list[Job]:
        rows = self._json("SELECT json_group_array(json_array(id, kind, bark, author, target, cursor)) "
                          "FROM (SELECT * FROM jobs ORDER BY id LIMIT ?)", (limit,))
        return [Job(*row) for row in rows]

    def pending_jobs(self) -> int:
        return self._one("SELECT count(*) FROM jobs")[0]

    def run_fanout_batch(self, job: Job, batch_size: int) -> FanoutProgress:
        with self._tx() as c:
            # One statement for "is the job still queued, and is its bark still there?": a slice is often
            # a handful of rows (most authors have few followers), so statements per slice count.
            row = c.execute("SELECT cursor, EXISTS (SELECT 1 FROM barks WHERE id = jobs.bark) FROM jobs "
                            "WHERE id = ?", (job.id,)).fetchone()
            if row is None:  # finished meanwhile (another worker, or a retry after a crash)
                return FanoutProgress(0, True)
            if job.kind == "backfill":
                return self._backfill(c, job)
            if not row[1]:  # the bark was deleted: nothing to copy
                c.execute("DELETE FROM jobs WHERE id = ?", (job.id,))
                return FanoutProgress(0, True)
            return self._fanout_batch(c, job, row[0], batch_size)

    def _fanout_batch(self, c: sqlite3.Connection, job: Job, cursor: int, batch_size: int) -> FanoutProgress:
        # The next batch of followers, plus one to tell whether more remain.
        followers = self._json("SELECT json_group_array(follower) FROM (SELECT follower FROM follows "
                               "WHERE followee = ? AND follower > ? ORDER BY follower LIMIT ?)",
                               (job.author, cursor, batch_size + 1))
        more = len(followers) > batch_size
        batch = followers[:batch_size]
        if batch:
            # One seq for the whole batch (_TAKE_SEQ); retention comes with compaction. No RETURNING: rows
            # come back one at a time (see SqliteStore._json), and nothing here needs them.
            seq = c.execute(_TAKE_SEQ).fetchone()[0]
            c.execute(f"INSERT INTO stream_recent (owner, seq, kind, ref, author) "
                      f"SELECT f.follower, ?5, 'bark', ?1, ?2 FROM follows f WHERE {_FOLLOWERS_IN_SPAN}",
                      (job.bark, job.author, cursor, batch[-1], seq))
        if more:
            c.execute("UPDATE jobs SET cursor = ? WHERE id = ?", (batch[-1], job.id))
        else:
            c.execute("DELETE FROM jobs WHERE id = ?", (job.id,))
        return FanoutProgress(len(batch), not more, tuple(batch))

    def _backfill(self, c: sqlite3.Connection, job: Job) -> FanoutProgress:
        """Copy the followee's latest barks into the new follower's stream, oldest first so seq order
        matches time order; if more were eligible than copied, raise the floor above the gap."""
        c.execute("DELETE FROM jobs WHERE id = ?", (job.id,))
        following = c.execute("SELECT 1 FROM follows WHERE follower = ? AND followee = ?",
                              (job.target, job.author)).fetchone()
        if not following:
            return FanoutProgress(0, True)
        floor = c.execute("SELECT stream_floor FROM users WHERE id = ?", (job.target,)).fetchone()[0]
        plan = plan_backfill(self._json("SELECT json_group_array(id) FROM (SELECT id FROM barks WHERE author = ? "
                                        "AND id >= ? ORDER BY id DESC LIMIT ?)", (job.author, floor, BACKFILL_FETCH)),
                             floor)
        copied = plan.copied
        # Barks whose fan-out has yet to reach this follower: it will copy them itself (it never checks).
        coming = set(self._json("SELECT json_group_array(bark) FROM jobs WHERE kind = 'fanout' AND author = ? "
                                "AND cursor < ?", (job.author, job.target)))
        # The barks the stream carried before are live again at their places (the follow revived them), so
        # _append skips them: only barks new to this stream get entries (seqs).
        written = sum(self._append(c, job.target, "bark", bark_id, job.author)
                      for bark_id in reversed(copied) if bark_id not in coming)
        if plan.floor != floor:
            c.execute("UPDATE users SET stream_floor = ? WHERE id = ?", (plan.floor, job.target))
        return FanoutProgress(written, True, (job.target,) if written else ())
