"""The SQLite store's departures part: deleting an account in one transaction, and the export's reads. A
mixin of SqliteStore (barker/store/sqlite.py).

One transaction, not batches: SQLite serialises writes anyway, readers keep reading the last commit while
it runs (WAL), and all-or-nothing means no half-deleted account can ever be seen or need resuming. The cost
is that other writes wait for it (a few seconds for an account with tens of thousands of rows)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import orjson

from barker.errors import NotFound
from barker.ports.departures import ExportedMedia, ExportedReaction
from barker.store.sqlite_discovery import _leave_cell
from barker.store.sqlite_sql import departures as sql
from barker.store.sqlite_sql.discovery import CLEAR_LOCATION

if TYPE_CHECKING:  # checked against what they use of SqliteStore, without importing it back
    from barker.store.sqlite_host import SqliteHost as _Base
else:
    _Base = object


class SqliteDepartures(_Base):
    """Mixed into SqliteStore; see the Departures protocol for each method's contract."""

    def delete_account(self, user_id: int, now_ms: int) -> None:
        with self._tx() as c:
            row = c.execute(sql.ACCOUNT, (user_id,)).fetchone()
            if row is None:
                raise NotFound("no such user")
            owners = [r[0] for r in c.execute(sql.STREAM_OWNERS, (user_id,))]
            c.execute(sql.FORGET_MENTIONS, (user_id,))
            for (bark_id,) in c.execute(sql.OWN_BARKS, (user_id,)).fetchall():
                c.execute(sql.FORGET_REPLIED_AUTHOR, (bark_id, user_id))
                self._delete_bark(c, bark_id, missing_ok=True)
            for bark_id, emoji in c.execute(sql.OWN_REACTIONS, (user_id,)).fetchall():
                self._remove_reaction(c, bark_id, user_id, emoji)
            c.execute(sql.UNCOUNT_FOLLOWEES, (user_id,))
            c.execute(sql.UNCOUNT_FOLLOWERS, (user_id,))
            c.execute(sql.DELETE_FOLLOW_NOTIFICATIONS, (user_id,))
            for statement in sql.DELETE_FOLLOWS:
                c.execute(statement, (user_id,))
            for owner in owners:
                for statement in sql.DROP_AUTHOR_ENTRIES:
                    c.execute(statement, (owner, user_id))
            for statement in sql.DROP_OWN_STREAM + sql.DELETE_OWN_ROWS:
                c.execute(statement, (user_id,))
            old = c.execute(CLEAR_LOCATION, (user_id,)).fetchone()
            if old:
                _leave_cell(c, old[0])
            c.execute(sql.RETIRE_HANDLE, (row[0], now_ms))
            c.execute(sql.DELETE_USER, (user_id,))

    def reactions_page(self, user_id: int, after: tuple[int, str] | None, limit: int) -> Sequence[ExportedReaction]:
        bark, emoji = after or (0, "")
        rows = self._reader().execute(sql.REACTIONS_PAGE, (user_id, bark, emoji, limit)).fetchall()
        return [ExportedReaction(r[0], r[1], r[2]) for r in rows]

    def media_page(self, user_id: int, after: int, limit: int) -> Sequence[ExportedMedia]:
        rows = self._reader().execute(sql.MEDIA_PAGE, (user_id, after, limit)).fetchall()
        return [ExportedMedia(r[0], r[1], orjson.loads(r[2]), tuple(orjson.loads(r[3]))) for r in rows]
