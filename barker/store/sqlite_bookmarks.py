"""The SQLite store's bookmarks part. A mixin of SqliteStore (barker/store/sqlite.py); deleting a bark
removes its bookmarks (sqlite_barks.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from barker.errors import NotFound
from barker.store.sqlite_sql import bookmarks
from barker.store.sqlite_sql.streams import NO_CURSOR

if TYPE_CHECKING:  # checked against what they use of SqliteStore, without importing it back
    from barker.store.sqlite_host import SqliteHost as _Base
else:
    _Base = object


class SqliteBookmarks(_Base):
    """Mixed into SqliteStore; see the Bookmarks protocol for each method's contract."""

    def add_bookmark(self, user_id: int, bark_id: int, bookmark_id: int) -> int:
        with self._tx() as c:
            row = c.execute(bookmarks.ORIGINAL, (bark_id,)).fetchone()
            if row is None:
                raise NotFound("no such bark")
            c.execute(bookmarks.INSERT_BOOKMARK, (user_id, row[0], bookmark_id))
            return int(row[0])

    def remove_bookmark(self, user_id: int, bark_id: int) -> None:
        with self._tx() as c:
            c.execute(bookmarks.DELETE_BOOKMARK, (user_id, bark_id))

    def bookmark_page(self, user_id: int, before: int | None, limit: int) -> list[tuple[int, int]]:
        rows = self._json(bookmarks.BOOKMARK_PAGE, {"me": user_id, "before": before or NO_CURSOR, "n": limit})
        return [(cursor, bark) for cursor, bark in rows or []]
