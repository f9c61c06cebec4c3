"""What the SQLite adapter's mixins (sqlite_accounts.py, sqlite_barks.py, sqlite_graph.py, sqlite_timelines.py,
sqlite_streams.py, sqlite_discovery.py, sqlite_rate_limits.py, sqlite_media.py) use of the store they are mixed
into (SqliteStore, sqlite.py): its connections and query helpers (sqlite_base.py), and the few helpers
one part lends another inside its transaction (a post or follow appends to a stream; a post claims media).

The mixins are checked against this protocol instead of importing SqliteStore back, which would make the
classes inherit from each other in a circle that no type checker can follow. SqliteStore provides all of
it; a mixin that needs more of the store adds it here.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

from barker.ports.types import FanoutProgress, Job


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

    # -- lent by one part to another, always called inside the caller's write transaction --
    def _append(self, c: sqlite3.Connection, owner: int, kind: str, ref: int, author: int) -> bool:
        """Append one event to an owner's stream (sqlite_streams.py)."""
        ...

    def _drop_author_from_stream(self, c: sqlite3.Connection, owner: int, author: int) -> None:
        """Tombstone the owner's entries of `author`'s barks, on an unfollow (sqlite_streams.py)."""
        ...

    def _restore_author_to_stream(self, c: sqlite3.Connection, owner: int, author: int) -> int:
        """Bring the owner's tombstoned entries of `author`'s barks back, on a follow (sqlite_streams.py)."""
        ...

    def _notify(self, c: sqlite3.Connection, owner: int, kind: str, cause: int, actor: int,
                bark: int | None) -> None:
        """Write the owner's notification and its stream entry (sqlite_notifications.py)."""
        ...

    def _claim_media(self, c: sqlite3.Connection, bark_id: int, author: int, wanted: Sequence[int]) -> str:
        """Check and attach media to a new bark; its `media` JSON (sqlite_media.py)."""
        ...

    @staticmethod
    def _release_bark_media(c: sqlite3.Connection, media_json: str) -> None:
        """Release the media a deleted bark carried (sqlite_media.py)."""
        ...

    def _delete_bark(self, c: sqlite3.Connection, bark_id: int, missing_ok: bool) -> None:
        """Delete a bark and what hangs on it (sqlite_barks.py)."""
        ...

    @staticmethod
    def _remove_reaction(c: sqlite3.Connection, bark_id: int, user_id: int, emoji: str) -> bool:
        """Remove one reaction, its count and notification (sqlite_barks.py)."""
        ...

    def _departure_batch(self, c: sqlite3.Connection, job: Job, step: int, budget: int) -> FanoutProgress:
        """The departure job's next batch, from its stored step (sqlite_departures.py)."""
        ...

    def _unfollow_in(self, c: sqlite3.Connection, follower: int, followee: int) -> bool:
        """Remove a follow edge with its counts and stream entries; False if there was none (sqlite_graph.py)."""
        ...
