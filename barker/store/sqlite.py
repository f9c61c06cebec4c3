"""The embedded store, SqliteStore: SQLite in WAL mode (the connections, transactions and migrations are
sqlite_base.py's; each port's methods are a mixin in its own module, composed here). The mixins are
checked against sqlite_host.SqliteHost, so none imports this module or the base back.
"""

from __future__ import annotations

from barker.store.sqlite_accounts import SqliteAccounts
from barker.store.sqlite_barks import SqliteBarks
from barker.store.sqlite_base import CAPABILITIES, SCHEMA_VERSION, SqliteBase
from barker.store.sqlite_bookmarks import SqliteBookmarks
from barker.store.sqlite_departures import SqliteDepartures
from barker.store.sqlite_discovery import SqliteDiscovery
from barker.store.sqlite_graph import SqliteGraph
from barker.store.sqlite_maintenance import SqliteMaintenance
from barker.store.sqlite_media import SqliteMedia
from barker.store.sqlite_notifications import SqliteNotifications
from barker.store.sqlite_operators import SqliteOperators
from barker.store.sqlite_rate_limits import SqliteRateLimits
from barker.store.sqlite_reports import SqliteReports
from barker.store.sqlite_safety import SqliteSafety
from barker.store.sqlite_streams import SqliteStreams
from barker.store.sqlite_tags import SqliteTags
from barker.store.sqlite_threads import SqliteThreads
from barker.store.sqlite_timelines import SqliteTimelines

__all__ = ["CAPABILITIES", "SCHEMA_VERSION", "SqliteStore"]


# The base comes first so that, for the type checker, its connections and helpers are what stand behind the
# mixins' SqliteHost protocol (no method is defined twice, so at run time the order changes nothing).
class SqliteStore(SqliteBase, SqliteAccounts, SqliteBarks, SqliteGraph, SqliteTimelines, SqliteStreams,
                  SqliteDiscovery, SqliteRateLimits, SqliteMedia, SqliteNotifications, SqliteTags, SqliteBookmarks,
                  SqliteThreads, SqliteOperators, SqliteDepartures, SqliteReports, SqliteSafety):
    """The SQLite adapter of the Store contract (barker/ports/store.py): the base's connections under every
    part's methods."""

    def maintenance(self) -> SqliteMaintenance:
        return SqliteMaintenance(self, self.compact_rows)

