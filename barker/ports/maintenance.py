"""Engine housekeeping, called periodically off the request path."""

from __future__ import annotations

from typing import Protocol

from barker.ports.types import CompactionSlice


class Maintenance(Protocol):
    """WAL checkpoints and stream compaction."""

    def checkpoint(self) -> None:
        """Engine housekeeping that may take a while; call it periodically, never on the writer thread
        (SQLite: copy committed WAL pages into the database file, so commits never have to)."""

    def uncompacted_stream_rows(self) -> int:
        """Stream entries not yet in the engine's read-optimised layout (0 if it has no such stage)."""

    def compact_streams(self, max_rows: int, after_owner: int = 0) -> CompactionSlice:
        """Move about `max_rows` entries of the owners with ids above `after_owner` into the read-optimised
        layout, whole owners at a time, lowest ids first. A pass over all owners is a series of calls, each
        resuming after the last owner of the one before, until `last_owner` comes back None. Reads see the
        same streams before and after. Engine housekeeping, like checkpoint(): SQLite appends to a small
        fresh tier because that is what makes fan-out cheap (see barker/store/sqlite_streams.py); an engine
        without such a stage moves nothing."""
