"""SQLite's maintenance: stream compaction, which moves the fresh tier's entries into the settled one (see
barker/store/sqlite_streams.py for why there are two tiers), driven by the fan-out worker turn by turn with
fan-out (barker.ports.maintenance.Maintenance). `Compactor` decides when; `SqliteMaintenance` binds it to a
store for the worker; `compact_all` compacts everything at once (seeding, bench/stream_bench.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from barker.store.sqlite_streams import SqliteStreams

# The default of settings.stream_compact_rows: a pass starts at this many fresh entries whatever their density.
COMPACT_ROWS = 2_000_000

# A pass starts once the fresh tier holds this many entries per owner (and at least MIN_PASS_ROWS). The two
# costs pull apart: a fan-out insert dirties a fresh-tier page shared by fewer owners the more entries each
# has (about k/130 pages per row at k entries per owner), while a pass writes each owner's settled pages
# once however many entries it moves (about 2/k per row). Their sum is least near k = 16. The optimum is
# flat: bench/stream_bench.py found 8, 16 and 32 within noise of each other at 10,000 and 100,000 followers.
ROWS_PER_OWNER = 16
MIN_PASS_ROWS = 20_000


@dataclass
class Compactor:
    """When to compact streams. Once the fresh tier is dense enough to be worth it (ROWS_PER_OWNER), or
    `threshold` entries have piled up regardless, it makes one pass over the owners in id order, a slice
    per turn, each slice resuming where the last one stopped. A pass ends at the last owner: rows appended
    meanwhile behind it wait for the next pass. (Restarting every slice from the lowest owner would chase
    the fan-out, which also walks followers in id order: each slice would move the one row just appended
    per owner, the costliest way to compact, and the pass would never end.)

    `pending` and `owners` are this process's estimates: they count what its own fan-out wrote, and
    `pending` is recounted from the store at the end of each pass."""

    pending: int
    threshold: int
    cursor: int | None = None  # the pass under way: the last owner moved (0 at its start); None: no pass
    owners: set[int] = field(default_factory=set)  # owners with fresh entries that no pass under way will move

    def appended(self, rows: int, owners: Iterable[int] = ()) -> None:
        self.pending += rows
        if self.cursor is None:
            self.owners.update(owners)
        else:  # owners ahead of the pass will be moved by it; those behind it wait for the next
            self.owners.update(o for o in owners if o <= self.cursor)

    def due(self) -> bool:
        return (self.cursor is not None or self.pending >= max(1, self.threshold)
                or self.pending >= max(MIN_PASS_ROWS, ROWS_PER_OWNER * len(self.owners)))

    def run_slice(self, store: SqliteStreams, max_rows: int) -> int:
        """Compact the next slice of the pass, starting one if none is under way; returns rows moved. Runs
        on the writer (one transaction)."""
        if self.cursor is None:  # a new pass moves every owner counted so far
            self.owners.clear()
        done = store.compact_streams(max_rows, self.cursor or 0)
        self.cursor = done.last_owner
        self.pending = max(0, self.pending - done.moved)
        return done.moved

    def start_idle_pass(self, store: SqliteStreams) -> bool:
        """Recount, and start a pass if anything is fresh: what the worker does when idle (run_worker). A
        read; returns whether a pass started."""
        self.recount(store)
        if self.cursor is None and self.pending:
            self.cursor = 0
            self.owners.clear()
        return self.cursor is not None

    def recount(self, store: SqliteStreams) -> None:
        """After a pass: take the store's count, which includes appends by requests and other processes. A
        read: run it off the writer (a count of the fresh tier can take tens of milliseconds)."""
        self.pending = store.uncompacted_stream_rows()


class SqliteMaintenance:
    """The Maintenance the fan-out worker drives on SQLite: a Compactor bound to its store."""

    def __init__(self, store: SqliteStreams, threshold: int) -> None:
        self.store = store
        self.compactor = Compactor(0, threshold)

    def start(self) -> None:
        self.compactor.recount(self.store)

    def appended(self, rows: int, owners: Iterable[int] = ()) -> None:
        self.compactor.appended(rows, owners)

    def due(self) -> bool:
        return self.compactor.due()

    def step(self, max_rows: int) -> None:
        self.compactor.run_slice(self.store, max_rows)

    def wants_recount(self) -> bool:
        return self.compactor.cursor is None  # a pass just ended: take the store's count, appends included

    def recount(self) -> None:
        self.compactor.recount(self.store)

    def idle(self) -> bool:
        return self.compactor.start_idle_pass(self.store)

    def run_all(self, slice_rows: int, on_rows: Callable[[int], None] = lambda n: None) -> int:
        moved = compact_all(self.store, slice_rows, on_rows)
        self.compactor.recount(self.store)
        return moved


def compact_all(store: SqliteStreams, slice_rows: int, on_rows: Callable[[int], None] = lambda n: None) -> int:
    """Compact every fresh stream entry on this thread (seeding, benchmarks); returns how many moved."""
    total, after = 0, 0
    while True:
        done = store.compact_streams(slice_rows, after)
        total += done.moved
        on_rows(total)
        if done.last_owner is None:
            return total
        after = done.last_owner
