"""What the tests read of a store beyond the product's contract (barker.ports.store.Store).

Both adapters keep these reads so the contract suite can check the same internals on either engine, but
no service, route or runtime part uses them, so they are not in any port: a service cannot come to depend
on them, and a fake of a port never has to provide them.
"""

from __future__ import annotations

from typing import Protocol

from barker.ports.store import Store
from barker.ports.types import CompactionSlice, HomeStream, MediaRecord


class StoreUnderTest(Store, Protocol):
    """A store adapter as the tests see it: the contract plus the test-only reads and writes below."""

    def home_stream(self, owner: int, before: int | None, limit: int) -> HomeStream:
        """The owner's stream page (bark ids below `before`), floor and followed celebrities."""

    def trim_stream(self, owner: int, keep: int) -> int:
        """Drop all but the newest `keep` entries and raise the floor past the barks dropped, tombstoned
        ones included (so a follow again's backfill never copies one anew). The product trims by
        retention (policies.trim_at) as streams grow; tests trim at will to reach the floor."""

    def media(self, media_id: int) -> MediaRecord | None:
        """The upload's record, whatever its state (the API only ever shows its rendered view)."""

    def uncompacted_stream_rows(self) -> int:
        """Stream entries not yet in the engine's read-optimised layout (0 if it has no such stage). The
        product drives compaction through store.maintenance() (SQLite: barker/store/sqlite_maintenance.py)."""

    def compact_streams(self, max_rows: int, after_owner: int = 0) -> CompactionSlice:
        """Move about `max_rows` entries of the owners with ids above `after_owner` into the read-optimised
        layout, whole owners at a time, lowest ids first; a pass is a series of calls, each resuming after
        the last owner of the one before, until `last_owner` comes back None. Reads see the same streams
        before and after. An engine without such a stage (ArangoDB) moves nothing."""
