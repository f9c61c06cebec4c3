"""The SQLite store's threads part: a bark with its ancestors and a page of its descendants, read from the
reply tree in one statement (barker/store/sqlite_sql/threads.py explains how it pages). A mixin of
SqliteStore (barker/store/sqlite.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from barker.errors import Invalid, NotFound
from barker.policies import MAX_THREAD_ANCESTORS
from barker.ports.types import ThreadView
from barker.store.sqlite_sql import threads as sql

if TYPE_CHECKING:  # checked against what they use of SqliteStore, without importing it back
    from barker.store.sqlite_host import SqliteHost as _Base
else:
    _Base = object


class SqliteThreads(_Base):
    """Mixed into SqliteStore; see the Threads protocol for the contract."""

    def thread(self, bark_id: int, viewer: int | None, after: int | None, limit: int) -> ThreadView:
        params = {"id": bark_id, "viewer": viewer, "max_up": MAX_THREAD_ANCESTORS, "n": limit}
        if after is None:
            found = self._json(sql.THREAD_FIRST_PAGE, params)
        else:
            found = self._json(sql.THREAD_PAGE_AFTER, params | {"after": after})
        if found["bark"] is None:
            raise NotFound("no such bark")
        if not found["cursor_ok"]:
            raise Invalid("after is not a reply in this thread", code="bad_cursor")
        ancestors = [item for _, item in sorted(found["ancestors"], key=lambda row: row[0], reverse=True)]
        descendants = found["descendants"]
        next_after = descendants[-1]["id"] if len(descendants) >= limit else None
        return ThreadView(ancestors, found["bark"], descendants, next_after)
