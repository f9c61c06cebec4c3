"""The SQLite store's follow graph part: follow and unfollow (keeping counts and the follower's stream in
step), and pages of followers and followees. A mixin of SqliteStore (barker/store/sqlite.py)."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from barker.errors import NotFound
from barker.policies import check_follow
from barker.ports.types import UserView
from barker.store.sqlite_sql import graph, timelines
from barker.store.sqlite_sql.streams import NO_CURSOR

if TYPE_CHECKING:  # checked against what they use of SqliteStore, without importing it back
    from barker.store.sqlite_host import SqliteHost as _Base
else:
    _Base = object


class SqliteGraph(_Base):
    """Mixed into SqliteStore; see the FollowGraph protocol for each method's contract."""

    def follow(self, follower: int, followee: int, edge_id: int, job_id: int) -> bool:
        check_follow(follower, followee)
        with self._tx() as c:
            row = c.execute(graph.BARKS_COUNT, (followee,)).fetchone()
            if row is None:
                raise NotFound("no such user")
            cur = c.execute(graph.INSERT_FOLLOW,
                            (follower, followee, edge_id))
            if cur.rowcount == 0:
                return False
            c.execute(graph.COUNT_FOLLOWING, (follower,))
            c.execute(graph.COUNT_FOLLOWER, (followee,))
            self._notify(c, followee, "follow", edge_id, follower, None)
            # Their barks this stream carried before (unfollowed, followed again) are back at their places
            # at once; the backfill job adds only barks new to it.
            self._restore_author_to_stream(c, follower, followee)
            if row[0] > 0:
                c.execute(graph.QUEUE_BACKFILL,
                          (job_id, followee, follower))
            return True

    def unfollow(self, follower: int, followee: int) -> bool:
        with self._tx() as c:
            return self._unfollow_in(c, follower, followee)

    def _unfollow_in(self, c: sqlite3.Connection, follower: int, followee: int) -> bool:
        cur = c.execute(graph.DELETE_FOLLOW, (follower, followee))
        if cur.rowcount == 0:
            return False
        c.execute(graph.UNCOUNT_FOLLOWING, (follower,))
        c.execute(graph.UNCOUNT_FOLLOWER, (followee,))
        # Their barks leave the follower's stream now, so reads need no per-row "still following?"
        # check. Fan-out and backfill re-check the edge in their own transactions, so none come back.
        self._drop_author_from_stream(c, follower, followee)
        # The follow notification stays (as on Mastodon: it did happen); following again adds one.
        return True

    def _edge_page(self, statement: str, user_id: int, before: int | None, limit: int,
                   viewer: int | None) -> list[tuple[int, UserView]]:
        rows = self._json(statement, {"me": user_id, "before": before or NO_CURSOR, "n": limit,
                                      "viewer": viewer}) or []
        rows.sort(key=lambda r: r[0], reverse=True)
        return [(cursor, view) for cursor, view in rows]

    def follower_page(self, user_id: int, before: int | None, limit: int,
                      viewer: int | None) -> list[tuple[int, UserView]]:
        return self._edge_page(timelines.FOLLOWER_PAGE, user_id, before, limit, viewer)

    def following_page(self, user_id: int, before: int | None, limit: int,
                       viewer: int | None) -> list[tuple[int, UserView]]:
        return self._edge_page(timelines.FOLLOWING_PAGE, user_id, before, limit, viewer)
