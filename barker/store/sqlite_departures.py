"""The SQLite store's departures part: deleting an account (a short first transaction, then the departure
job's batches: barker/ports/departures.py), and the export's reads. A mixin of SqliteStore
(barker/store/sqlite.py).

Batches, not one transaction: SQLite serialises writes, so a transaction that deletes an account of 10,000
barks and 5,000 followers (millions of stream rows) held every other user's writes for seconds
(bench/departure_bench.py). The first transaction hides the account, so the half-deleted account the batches
leave between commits is never seen; each batch commits with its step, and removing a row is the
progress within a step, so a crash resumes where it stopped and a batch run twice does nothing twice."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import orjson

from barker.errors import NotFound
from barker.ports.departures import ExportedMedia, ExportedReaction, walk_departure_steps
from barker.ports.types import FanoutProgress, Job
from barker.store.sqlite_discovery import _leave_cell
from barker.store.sqlite_sql import departures as sql
from barker.store.sqlite_sql.discovery import CLEAR_LOCATION

if TYPE_CHECKING:  # checked against what they use of SqliteStore, without importing it back
    from barker.store.sqlite_host import SqliteHost as _Base
else:
    _Base = object

# What one item of a step costs against a batch's budget, in rows written (a bark: a dozen statements on
# its rows and others' counters); stream entries removed on the way are counted as they go.
BARK_COST = 12
ITEM_COST = 3

Step = Callable[[sqlite3.Connection, int, int], tuple[int, bool]]


class SqliteDepartures(_Base):
    """Mixed into SqliteStore; see the Departures protocol for each method's contract."""

    def begin_departure(self, user_id: int, job_id: int, now_ms: int) -> None:
        with self._tx() as c:
            row = c.execute(sql.ACCOUNT, (user_id,)).fetchone()
            if row is None:
                raise NotFound("no such user")
            c.execute(sql.MARK_LEAVING, (user_id,))
            c.execute(sql.RETIRE_HANDLE, (row[0], now_ms))
            c.execute(sql.REVOKE_TOKENS, (user_id,))
            old = c.execute(CLEAR_LOCATION, (user_id,)).fetchone()
            if old:
                _leave_cell(c, old[0])
            c.execute(sql.DELETE_JOBS, (user_id,))
            c.execute(sql.QUEUE_DEPARTURE, (job_id, user_id))

    def _departure_batch(self, c: sqlite3.Connection, job: Job, step: int, budget: int) -> FanoutProgress:
        """The departure job's next batch, inside run_fanout_batch's transaction: about `budget` rows of
        the step reached (`step`, read from the stored job), moving on to the next step when one is done."""
        steps: dict[str, Step] = {"mentions": self._forget_mentions, "barks": self._delete_barks,
                                  "reactions": self._delete_reactions, "followers": self._delete_followers,
                                  "followees": self._delete_followees, "own_rows": self._delete_own_rows}
        user = job.author
        step, touched, finished = walk_departure_steps(
            step, budget, lambda name, left: steps[name](c, user, left),
            lambda: bool(c.execute(sql.LEFT_BEHIND, (user,)).fetchone()[0]))
        if finished:
            for statement in sql.DELETE_LAST_ROWS:  # the departure job with them
                c.execute(statement, (user,))
            c.execute(sql.DELETE_USER, (user,))
            return FanoutProgress(0, True, (), touched)
        c.execute(sql.NEXT_STEP, (step, job.id))
        return FanoutProgress(0, False, (), touched)

    def _drop_entries(self, c: sqlite3.Connection, owners: set[int], user: int) -> int:
        """The entries `user` caused in these owners' streams; how many went."""
        return sum(c.execute(statement, (owner, user)).rowcount
                   for owner in owners for statement in sql.DROP_AUTHOR_ENTRIES)

    def _forget_mentions(self, c: sqlite3.Connection, user: int, budget: int) -> tuple[int, bool]:
        n = max(1, budget // ITEM_COST)
        rows = c.execute(sql.MENTIONS_BATCH, (user, n)).fetchall()
        for notification, bark in rows:
            c.execute(sql.FORGET_MENTION, (bark, user))
            c.execute(sql.DELETE_NOTIFICATION, (user, notification))
        return len(rows) * ITEM_COST, len(rows) < n

    def _delete_barks(self, c: sqlite3.Connection, user: int, budget: int) -> tuple[int, bool]:
        n = max(1, budget // BARK_COST)
        bark_ids = [r[0] for r in c.execute(sql.BARKS_BATCH, (user, n)).fetchall()]
        told: set[int] = set()
        for bark_id in bark_ids:
            told.update(r[0] for r in c.execute(sql.TOLD_OF_BARK, (bark_id, user)))
            c.execute(sql.FORGET_REPLIED_AUTHOR, (bark_id, user))
            self._delete_bark(c, bark_id, missing_ok=True)  # a rebark may have gone with its original
        return len(bark_ids) * BARK_COST + self._drop_entries(c, told, user), len(bark_ids) < n

    def _delete_reactions(self, c: sqlite3.Connection, user: int, budget: int) -> tuple[int, bool]:
        n = max(1, budget // ITEM_COST)
        rows = c.execute(sql.REACTIONS_BATCH, (user, n)).fetchall()
        told: set[int] = set()
        for bark_id, emoji, reaction_id in rows:
            told.update(r[0] for r in c.execute(sql.TOLD_OF_REACTION, (reaction_id,)))
            self._remove_reaction(c, bark_id, user, emoji)
        return len(rows) * ITEM_COST + self._drop_entries(c, told, user), len(rows) < n

    def _delete_followers(self, c: sqlite3.Connection, user: int, budget: int) -> tuple[int, bool]:
        # Followers' streams hold up to stream_retain of the user's barks each: counted as they go.
        touched, finished = 0, False
        while touched < budget:
            row = c.execute(sql.FOLLOWERS_BATCH, (user, 1)).fetchone()
            if row is None:
                finished = True
                break
            follower = row[0]
            touched += ITEM_COST + self._drop_entries(c, {follower}, user)
            c.execute(sql.UNCOUNT_FOLLOWER, (follower,))
            c.execute(sql.DELETE_FOLLOWER, (follower, user))
        return touched, finished

    def _delete_followees(self, c: sqlite3.Connection, user: int, budget: int) -> tuple[int, bool]:
        n = max(1, budget // ITEM_COST)
        rows = c.execute(sql.FOLLOWEES_BATCH, (user, n)).fetchall()
        touched = 0
        for followee, edge_id in rows:
            c.execute(sql.DELETE_FOLLOW_NOTIFICATION, (followee, edge_id))
            touched += ITEM_COST + self._drop_entries(c, {followee}, user)
            c.execute(sql.UNCOUNT_FOLLOWEE, (followee,))
            c.execute(sql.DELETE_FOLLOWER, (user, followee))
        return touched, len(rows) < n

    def _delete_own_rows(self, c: sqlite3.Connection, user: int, budget: int) -> tuple[int, bool]:
        n = max(1, budget // len(sql.OWN_ROWS_BATCHES))
        removed = [c.execute(statement, (user, n)).rowcount for statement in sql.OWN_ROWS_BATCHES]
        return max(1, sum(removed)), all(r < n for r in removed)

    def reactions_page(self, user_id: int, after: tuple[int, str] | None, limit: int) -> Sequence[ExportedReaction]:
        bark, emoji = after or (0, "")
        rows = self._reader().execute(sql.REACTIONS_PAGE, (user_id, bark, emoji, limit)).fetchall()
        return [ExportedReaction(r[0], r[1], r[2]) for r in rows]

    def media_page(self, user_id: int, after: int, limit: int) -> Sequence[ExportedMedia]:
        rows = self._reader().execute(sql.MEDIA_PAGE, (user_id, after, limit)).fetchall()
        return [ExportedMedia(r[0], r[1], orjson.loads(r[2]), tuple(orjson.loads(r[3]))) for r in rows]
