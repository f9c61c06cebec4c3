"""What the SQLite adapter's mixins (sqlite_streams.py, sqlite_discovery.py, sqlite_media.py) use of the
store they are mixed into (SqliteStore, sqlite.py): its connections and query helpers.

The mixins are checked against this protocol instead of importing SqliteStore back, which would make the
classes inherit from each other in a circle that no type checker can follow. SqliteStore provides all of
it; a mixin that needs more of the store adds it here.
"""

from __future__ import annotations

import sqlite3
from contextlib import AbstractContextManager
from typing import Any, Protocol


class SqliteHost(Protocol):
    stream_retain: int

    def _reader(self) -> sqlite3.Connection:
        """This thread's read connection (the writer's, inside a write transaction)."""
        ...

    def _tx(self) -> AbstractContextManager[sqlite3.Connection]:
        """A write transaction (a savepoint when nested)."""
        ...

    def _one(self, sql: str, params: Any = ()) -> Any:
        """The first row of a query."""
        ...

    def _json(self, sql: str, params: Any = ()) -> Any:
        """The one JSON value a query returns, parsed."""
        ...

    def _id_list(self, sql: str, params: dict[str, Any]) -> list[int]:
        """The JSON array of ids a query returns (empty if none)."""
        ...
