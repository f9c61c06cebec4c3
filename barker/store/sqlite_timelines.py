"""The SQLite store's timelines part: the home and public pages, each rendered by SQLite as one JSON value
and authorised by the session token in the same statement. A mixin of SqliteStore (barker/store/sqlite.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from barker.errors import Unauthorized
from barker.ports.types import RawJson, SessionKey
from barker.store.sqlite_sql import timelines
from barker.store.sqlite_sql.streams import NO_CURSOR

if TYPE_CHECKING:  # checked against what they use of SqliteStore, without importing it back
    from barker.store.sqlite_host import SqliteHost as _Base
else:
    _Base = object


class SqliteTimelines(_Base):
    """Mixed into SqliteStore; see the Timelines protocol for each method's contract."""

    def home_page(self, session: SessionKey, before: int | None, limit: int) -> RawJson:
        return self._page(timelines.HOME_PAGE, session, before, limit)

    def public_page(self, session: SessionKey, before: int | None, limit: int) -> RawJson:
        return self._page(timelines.PUBLIC_PAGE, session, before, limit)

    def _page(self, sql: str, session: SessionKey, before: int | None, limit: int) -> RawJson:
        caller, body = self._one(sql, {"digest": session.digest, "now": session.now_ms,
                                       "before": before or NO_CURSOR, "n": limit})
        if caller is None:
            raise Unauthorized("missing, expired or revoked token")
        return RawJson(body)
