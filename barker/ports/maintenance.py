"""Engine housekeeping, called periodically off the request path."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol


class Maintenance(Protocol):
    """An engine's background housekeeping (SQLite: stream compaction), driven by the fan-out worker turn
    by turn with fan-out, so neither waits for the other to finish. One object per worker: it keeps the
    worker's estimates between turns. Which thread runs what: `start`, `recount` and `idle` are reads (a
    reader thread), `step` is background work on the writer thread, the rest are cheap and run anywhere."""

    def start(self) -> None:
        """Learn how much work is waiting (a read), before the first turn."""

    def appended(self, rows: int, owners: Iterable[int] = ()) -> None:
        """The worker's fan-out wrote `rows` stream entries for `owners`."""

    def due(self) -> bool:
        """Whether a step is worth running now."""

    def step(self, max_rows: int) -> None:
        """One slice of work, about `max_rows` rows, in one transaction (on the writer)."""

    def wants_recount(self) -> bool:
        """Whether the estimates should be refreshed from the store (recount) after the last step."""

    def recount(self) -> None:
        """Refresh the estimates from the store, which sees other processes' and requests' writes (a read)."""

    def idle(self) -> bool:
        """The worker has been idle a while: recount and start work on whatever is there, however little (a
        read). Returns whether there is work (then due() is true)."""

    def run_all(self, slice_rows: int, on_rows: Callable[[int], None] = lambda n: None) -> int:
        """Do all of the work now, on this thread, `slice_rows` rows a transaction (seeding, benchmarks);
        returns the rows handled, reporting the running total to `on_rows`."""


class Housekeeping(Protocol):
    """The store's part: WAL checkpoints, and the maintenance object the fan-out worker drives."""

    def checkpoint(self) -> None:
        """Engine housekeeping that may take a while; call it periodically, never on the writer thread
        (SQLite: copy committed WAL pages into the database file, so commits never have to)."""

    def maintenance(self) -> Maintenance:
        """A new maintenance object for one fan-out worker (ArangoDB: one that does nothing)."""
