"""The SQLite store's notifications part: writing a notification with its stream entry (lent to the barks
and graph parts, inside their transactions), the owner's pages and the read marker. A mixin of SqliteStore
(barker/store/sqlite.py)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING

from barker.ids import MAX_ID, iso
from barker.policies import NOTIFICATION_TYPES
from barker.ports.notifications import NotificationView, ReadMarker
from barker.store.sqlite_sql import notifications as sql

if TYPE_CHECKING:  # checked against what they use of SqliteStore, without importing it back
    from barker.store.sqlite_host import SqliteHost as _Base
else:
    _Base = object


class SqliteNotifications(_Base):
    """Mixed into SqliteStore; see the Notifications protocol for each method's contract."""

    def _notify(self, c: sqlite3.Connection, owner: int, kind: str, cause: int, actor: int,
                bark: int | None) -> None:
        """Inside the cause's transaction: the owner's notification of `kind` (id = the cause's id) and its
        stream entry of the same kind (ref = that id), whose event the stream renders."""
        c.execute(sql.INSERT_NOTIFICATION, (owner, cause, kind, actor, bark))
        self._append(c, owner, kind, cause, actor)

    def notification_page(self, owner: int, before: int | None, limit: int,
                          types: Sequence[str] | None) -> list[NotificationView]:
        params: dict[str, object] = {"o": owner, "before": before or MAX_ID + 1, "n": limit}
        if types is None:
            statement = sql.NOTIFICATION_PAGE
        else:
            statement = sql.NOTIFICATION_PAGE_OF_TYPES
            params |= {kind: int(kind in types) for kind in NOTIFICATION_TYPES}
        items: list[NotificationView] = self._json(statement, params) or []
        for item in items:
            item["created_at"] = iso(item["id"])
        items.sort(key=lambda item: item["id"], reverse=True)
        return items

    def mark_notifications_read(self, owner: int, up_to: int) -> ReadMarker:
        with self._tx() as c:
            c.execute(sql.MARK_READ, (owner, up_to))
            return self._marker(c, owner)

    def notifications_unread(self, owner: int) -> ReadMarker:
        return self._marker(self._reader(), owner)

    @staticmethod
    def _marker(c: sqlite3.Connection, owner: int) -> ReadMarker:
        row = c.execute(sql.UNREAD, {"o": owner}).fetchone()
        return ReadMarker(row[0], row[1]) if row else ReadMarker(0, 0)
