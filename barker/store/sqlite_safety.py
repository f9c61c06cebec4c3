"""The SQLite store's blocks and mutes part. A mixin of SqliteStore (barker/store/sqlite.py). Every read
statement applies them itself (sqlite_sql/rules.py); this part writes and lists them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import orjson

from barker.errors import NotFound
from barker.ids import MAX_ID
from barker.policies import Relationship
from barker.ports.safety import MutedUser
from barker.ports.types import UserView
from barker.store.sqlite_sql import safety as sql

if TYPE_CHECKING:  # checked against what they use of SqliteStore, without importing it back
    from barker.store.sqlite_host import SqliteHost as _Base
else:
    _Base = object


class SqliteSafety(_Base):
    """Mixed into SqliteStore; see the Safety protocol for each method's contract."""

    def block(self, blocker: int, blocked: int, block_id: int) -> bool:
        with self._tx() as c:
            for user in (blocker, blocked):
                if c.execute(sql.USER_EXISTS, (user,)).fetchone() is None:
                    raise NotFound("no such user")
            if c.execute(sql.INSERT_BLOCK, (blocker, blocked, block_id)).rowcount == 0:
                return False
            for one, other in ((blocker, blocked), (blocked, blocker)):
                self._unfollow_in(c, one, other)
                for bark, emoji in c.execute(sql.REACTIONS_TO, (one, other)).fetchall():
                    self._remove_reaction(c, bark, one, emoji)
                for (rebark,) in c.execute(sql.REBARKS_OF, (one, other)).fetchall():
                    self._delete_bark(c, rebark, missing_ok=True)
            return True

    def unblock(self, blocker: int, blocked: int) -> bool:
        with self._tx() as c:
            return c.execute(sql.DELETE_BLOCK, (blocker, blocked)).rowcount == 1

    def mute(self, muter: int, muted: int, mute_id: int, until_ms: int | None) -> None:
        with self._tx() as c:
            if c.execute(sql.USER_EXISTS, (muted,)).fetchone() is None:
                raise NotFound("no such user")
            c.execute(sql.UPSERT_MUTE, (muter, muted, mute_id, until_ms))

    def unmute(self, muter: int, muted: int, now_ms: int) -> bool:
        with self._tx() as c:
            row = c.execute(sql.DELETE_MUTE, (muter, muted, now_ms)).fetchone()
            return bool(row and row[0])

    def block_page(self, user_id: int, before: int | None, limit: int) -> list[tuple[int, UserView]]:
        rows = self._json(sql.BLOCK_PAGE, {"me": user_id, "before": before or MAX_ID + 1, "n": limit}) or []
        rows.sort(key=lambda r: r[0], reverse=True)
        return [(cursor, view) for cursor, view in rows]

    def mute_page(self, user_id: int, before: int | None, limit: int, now_ms: int) -> list[MutedUser]:
        rows = self._json(sql.MUTE_PAGE, {"me": user_id, "before": before or MAX_ID + 1, "n": limit,
                                          "now": now_ms}) or []
        rows.sort(key=lambda r: r[0], reverse=True)
        return [MutedUser(cursor, view, until) for cursor, view, until in rows]

    def relationship(self, viewer: int, other: int, now_ms: int) -> Relationship:
        blocking, blocked_by, muting, until = self._one(sql.RELATIONSHIP, (viewer, other, now_ms))
        return Relationship(bool(blocking), bool(blocked_by), bool(muting), until if muting else None)

    def blocked_among(self, user_id: int, others: Sequence[int]) -> set[int]:
        if not others:
            return set()
        return set(self._json(sql.BLOCKED_AMONG, (user_id, orjson.dumps(list(others)).decode())) or [])
