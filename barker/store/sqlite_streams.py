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

from barker.ids import iso
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
from barker.store.sqlite_sql import streams as sql
from barker.store.sqlite_sql.streams import NO_CURSOR

if TYPE_CHECKING:  # checked against what they use of SqliteStore, without importing it back
    from barker.store.sqlite_host import SqliteHost as _Base
else:
    _Base = object

class SqliteStreams(_Base):
    """Mixed into SqliteStore; see the Store protocol for each method's contract."""

    # -- appending -------------------------------------------------------------------------------
    def _append(self, c: sqlite3.Connection, owner: int, kind: str, ref: int, author: int) -> bool:
        """Append one event to an owner's stream with the next seq; a repeat of (kind, ref) is ignored (its
        seq is skipped: seqs may jump)."""
        seq = c.execute(sql.TAKE_SEQ).fetchone()[0]
        return c.execute(sql.APPEND, (owner, kind, ref, author, seq)).rowcount == 1

    def _drop_author_from_stream(self, c: sqlite3.Connection, owner: int, author: int) -> None:
        """Turn the owner's entries for `author`'s barks into tombstones ('gone'), in both tiers. They
        stay, not deleted: a seq, once delivered, is never handed out again, and a bark keeps its place
        for when the owner follows `author` again (_restore_author_to_stream). OR REPLACE: a stream
        written before that rule may hold an older tombstone of the same bark; the newer one replaces it."""
        for statement in sql.TOMBSTONE_AUTHOR:  # one per tier
            c.execute(statement, (owner, author))

    def _restore_author_to_stream(self, c: sqlite3.Connection, owner: int, author: int) -> int:
        """The inverse, on a follow: the owner's tombstones of `author`'s barks become live entries again,
        in place (same seq, same tier), so a client that was sent one is never sent it again, and the home
        timeline shows them as soon as the follow is written. Returns how many. In a stream written before
        a bark had one place, a tombstone whose bark also has a live entry stays one, and of repeated
        tombstones only the newest is revived: a bark is never live twice."""
        newest: dict[int, int] = {}  # bark -> seq of its newest tombstone
        for ref, seq in self._json(sql.TOMBSTONES_OF_AUTHOR, (owner, author)) or []:
            newest[ref] = max(seq, newest.get(ref, seq))
        if newest:
            seqs = orjson.dumps(list(newest.values())).decode()
            for statement in sql.REVIVE_SEQS:  # one per tier; each seq is in one of them
                c.execute(statement, (owner, seqs))
        return len(newest)

    # -- reading -----------------------------------------------------------------------------------
    def home_stream(self, owner: int, before: int | None, limit: int) -> HomeStream:
        found = self._json(sql.HOME_STREAM, {"o": owner, "before": before or NO_CURSOR, "n": limit})
        if found is None:
            return HomeStream(0, [], [])
        floor, bark_ids, celebrities = found
        return HomeStream(floor, sorted(bark_ids, reverse=True), celebrities)

    def stream_head(self, owner: int) -> int:
        return self._one(sql.HEAD, {"o": owner})[0]

    def stream_newest_cursor(self, owner: int, count: int) -> int:
        return self._one(sql.NEWEST_CURSOR, {"o": owner, "n": count})[0]

    def stream_events(self, owner: int, after: int | None, limit: int) -> StreamEvents:
        if after is None:
            return StreamEvents([], self.stream_head(owner), False)
        return self.stream_events_many([(owner, after)], limit)[0]

    def stream_events_many(self, requests: Sequence[tuple[int, int]], limit: int) -> list[StreamEvents]:
        if not requests:
            return []
        items = self._json(sql.STREAM_EVENTS, {"reqs": orjson.dumps(requests).decode(), "n": limit})
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
            # Entries that show nothing (a deleted bark, a notification whose subject is gone, a tombstone,
            # an entry hidden from the owner: kind "hidden") are skipped, yet count for the cursor and `more`.
            for seq, kind, ref, value in mine:
                if kind == "bark":
                    view = value if value is not None else shared.get(ref)
                    if view is not None:
                        events.append(bark_event(seq, view))
                elif value is not None:  # a notification's event: ref is its id, which carries its time
                    value["notification_id"] = ref
                    value["created_at"] = iso(ref)
                    events.append(value)
            slices.append(StreamEvents(events, mine[-1][0] if mine else after, after < cut, len(mine) >= limit))
        return slices

    def online_followers(self, author: int, candidates: Sequence[int], bark: int | None = None) -> list[int]:
        return self._id_list(sql.ONLINE_FOLLOWERS, {"c": orjson.dumps(list(candidates)).decode(), "a": author,
                                                    "b": bark})

    # -- retention ---------------------------------------------------------------------------------
    def trim_stream(self, owner: int, keep: int) -> int:
        with self._tx() as c:
            return self._trim_to(c, owner, keep)

    def _trim_to(self, c: sqlite3.Connection, owner: int, keep: int) -> int:
        """Drop all but the owner's newest `keep` entries (in both tiers), and count what the settled tier
        holds afterwards."""
        if keep > 0:  # cut below the keep-th newest entry, if there are that many
            row = c.execute(sql.TRIM_CUTOFF, (owner, keep - 1)).fetchone()
            cutoff = row[0] if row else None
        else:
            cutoff = NO_CURSOR
        dropped = 0
        if cutoff is not None:
            c.execute(sql.TRIM[0], (owner, cutoff))
            dropped = sum(c.execute(statement, (owner, cutoff)).rowcount for statement in sql.TRIM[1:])
        c.execute(sql.COUNT_SETTLED, (owner,))
        return dropped

    # -- compaction --------------------------------------------------------------------------------
    def uncompacted_stream_rows(self) -> int:
        return self._one(sql.UNCOMPACTED_ROWS)[0]

    def compact_streams(self, max_rows: int, after_owner: int = 0) -> CompactionSlice:
        with self._tx() as c:
            # Whole owners past the cursor, lowest ids first, up to about max_rows rows: each owner's rows
            # land together. If fewer are left, this slice takes them all and ends the pass.
            row = c.execute(sql.SLICE_LAST_OWNER, (after_owner, max(0, max_rows - 1))).fetchone()
            last_owner = row[0] if row else NO_CURSOR
            span = (after_owner, last_owner)
            # Count each owner's entries as they move in, for retention below.
            c.execute(sql.COUNT_MOVING, span)
            # OR REPLACE: in a stream written before a bark had one place (followed again: a new copy;
            # unfollowed again: a second tombstone), two tombstones of one bark may sit in different
            # tiers; like a second tombstone in one tier, the newer replaces the older.
            moved = c.execute(sql.MOVE_TO_SETTLED, span).rowcount
            c.execute(sql.DELETE_MOVED, span)
            # Retention, amortised (policies.trim_at): an owner TRIM_EVERY entries past it is trimmed back
            # to its newest stream_retain, here where its entries were just written anyway. (Appends cannot
            # count them: fan-out reads nothing per follower; see sql.TAKE_SEQ.)
            for owner in self._json(sql.OWNERS_TO_TRIM, (*span, trim_at(self.stream_retain))):
                self._trim_to(c, owner, self.stream_retain)
            return CompactionSlice(moved, row[0] if row else None)

    # -- the outbox --------------------------------------------------------------------------------
    def next_jobs(self, limit: int) -> list[Job]:
        rows = self._json(sql.NEXT_JOBS, (limit,))
        return [Job(*row) for row in rows]

    def pending_jobs(self) -> int:
        return self._one(sql.PENDING_JOBS)[0]

    def run_fanout_batch(self, job: Job, batch_size: int) -> FanoutProgress:
        with self._tx() as c:
            # One statement for "is the job still queued, and is its bark still there?": a slice is often
            # a handful of rows (most authors have few followers), so statements per slice count.
            row = c.execute(sql.JOB_STATE, (job.id,)).fetchone()
            if row is None:  # finished meanwhile (another worker, or a retry after a crash)
                return FanoutProgress(0, True)
            if job.kind == "backfill":
                return self._backfill(c, job)
            if job.kind == "departure":  # its step as stored: a retry with a stale copy of the job continues
                return self._departure_batch(c, job, row[0], batch_size)
            if not row[1]:  # the bark was deleted: nothing to copy
                c.execute(sql.DELETE_JOB, (job.id,))
                return FanoutProgress(0, True)
            return self._fanout_batch(c, job, row[0], row[2], batch_size)

    def _fanout_batch(self, c: sqlite3.Connection, job: Job, cursor: int, replied_to: int | None,
                      batch_size: int) -> FanoutProgress:
        """`replied_to`: the author of the bark the job's bark answers (None: no reply), for the home rule."""
        # The next batch of followers, plus one to tell whether more remain.
        followers = self._json(sql.FOLLOWERS_AFTER, (job.author, cursor, batch_size + 1))
        more = len(followers) > batch_size
        batch = followers[:batch_size]
        if batch:
            # One seq for the whole batch (sql.TAKE_SEQ); retention comes with compaction. No RETURNING: rows
            # come back one at a time (see SqliteStore._json), and nothing here needs them.
            seq = c.execute(sql.TAKE_SEQ).fetchone()[0]
            c.execute(sql.FAN_OUT, (job.bark, job.author, cursor, batch[-1], seq, replied_to))
        if more:
            c.execute(sql.ADVANCE_JOB, (batch[-1], job.id))
        else:
            c.execute(sql.DELETE_JOB, (job.id,))
        # Counted per follower the batch covered, written or not (a reply skips those the home rule keeps it
        # from): what bounds a fan-out transaction (fanout.fan_out_some's budget) is the followers it reads.
        return FanoutProgress(len(batch), not more, tuple(batch))

    def _backfill(self, c: sqlite3.Connection, job: Job) -> FanoutProgress:
        """Copy the followee's latest barks into the new follower's stream, oldest first so seq order
        matches time order; if more were eligible than copied, raise the floor above the gap."""
        c.execute(sql.DELETE_JOB, (job.id,))
        following = c.execute(sql.IS_FOLLOWING, (job.target, job.author)).fetchone()
        if not following:
            return FanoutProgress(0, True)
        floor = c.execute(sql.STREAM_FLOOR, (job.target,)).fetchone()[0]
        plan = plan_backfill(self._json(sql.BACKFILL_CANDIDATES, (job.author, floor, job.target, BACKFILL_FETCH)),
                             floor)
        copied = plan.copied
        # Barks whose fan-out has yet to reach this follower: it will copy them itself (it never checks).
        coming = set(self._json(sql.FANOUT_COMING, (job.author, job.target)))
        # The barks the stream carried before are live again at their places (the follow revived them), so
        # _append skips them: only barks new to this stream get entries (seqs).
        written = sum(self._append(c, job.target, "bark", bark_id, job.author)
                      for bark_id in reversed(copied) if bark_id not in coming)
        if plan.floor != floor:
            c.execute(sql.SET_STREAM_FLOOR, (plan.floor, job.target))
        return FanoutProgress(written, True, (job.target,) if written else ())
