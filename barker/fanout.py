"""The fan-out worker: drains the outbox (jobs written in the same transaction as the bark or follow that
caused them) into per-user streams.

Each batch is written atomically with its progress record, so a crash at any point resumes at the last
committed batch; stream inserts ignore repeats, so a re-run batch never duplicates. Jobs are served
round-robin, a slice each, so an author with 100,000 followers does not hold up everyone else.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from barker.bus import streams_advanced
from barker.errors import StoreUnavailable
from barker.gateway import StoreGateway
from barker.ports.store import Store

log = logging.getLogger("barker.fanout")
JOBS_PER_ROUND = 64
# Rows per job per turn, so one author with 100,000 followers cannot crowd out the rest; also the most
# work a waiting request write can find ahead of it (500 rows take one to two milliseconds). Each slice
# costs four statements besides its rows; at 50 rows a slice a big fan-out ran 5-10% slower.
SLICE_ROWS = 500
# A worker this long without work compacts what is fresh, however little: request appends (own barks,
# reactions, follows) are not in its estimate, and retention comes with compaction. Long enough that a
# steadily busy instance keeps amortising passes over ROWS_PER_OWNER.
IDLE_PASS_SECONDS = 30.0


@dataclass
class FanoutRound:
    rows: int = 0
    owners: set[int] = field(default_factory=set)  # whose streams advanced


def fan_out_some(store: Store, budget_rows: int, should_yield: Callable[[], bool] = lambda: False) -> FanoutRound:
    """One transaction's worth of fan-out: a slice from each queued job in turn (round-robin) until about
    `budget_rows` stream rows are written, or, after any slice, `should_yield()` says a request write is
    waiting. Many rows per commit matters: followers are scattered, so every row dirties its own page, and
    a commit's cost grows with pages, not rows; yielding keeps that from delaying posts."""
    done = FanoutRound()
    with store.bulk():
        jobs = store.next_jobs(JOBS_PER_ROUND)
        while jobs and done.rows < budget_rows:
            unfinished = []
            # Every queued job gets a share of this transaction, so a huge job cannot starve the others.
            share = max(1, min(SLICE_ROWS, (budget_rows - done.rows) // len(jobs)))
            for job in jobs:
                progress = store.run_fanout_batch(job, share)
                done.rows += progress.rows_written
                done.owners.update(progress.owners)
                if not progress.done:
                    unfinished.append(job)
                if done.rows >= budget_rows or should_yield():
                    return done
            jobs = unfinished or store.next_jobs(JOBS_PER_ROUND)
    return done


async def run_worker(gw: StoreGateway, *, idle_poll_seconds: float = 1.0,
                     idle_pass_seconds: float = IDLE_PASS_SECONDS) -> None:
    """Run until cancelled. Wakes at once when this process queues a job, or (a separate worker, with a
    bus) when the bus says another process did (StoreGateway.listen_for_jobs); and polls every
    `idle_poll_seconds` for jobs nobody told it about (the bus down or absent, a process that died).
    Each transaction is background work for the writer thread, so request writes go first. After each
    commit, the bus wakes the sockets of everyone whose stream advanced. Compaction shares the writer with
    fan-out turn by turn, so neither waits for the other to finish; after `idle_pass_seconds` without work
    it also compacts whatever requests appended meanwhile (see Compactor.start_idle_pass)."""
    compactor = Compactor(await gw.read(gw.store.uncompacted_stream_rows), gw.settings.stream_compact_rows)
    loop = asyncio.get_running_loop()
    worked_at = loop.time()
    while True:
        try:
            # Each turn: a fan-out round if jobs are queued, then a compaction slice if one is due. A job
            # queued during a long compaction is picked up at the next turn, not after the compaction.
            while True:
                queued = await gw.read(gw.store.pending_jobs)
                if queued:
                    done = await gw.write_background(fan_out_some, gw.store, gw.settings.fanout_batch_size,
                                                     gw.urgent_writes_waiting)
                    compactor.appended(done.rows, done.owners)
                    if done.owners:
                        gw.announce(streams_advanced(done.owners))
                if not await compactor.step(gw) and not queued:
                    break
                worked_at = loop.time()
            if loop.time() - worked_at >= idle_pass_seconds:
                worked_at = loop.time()
                if await gw.read(compactor.start_idle_pass, gw.store):
                    continue
        except asyncio.CancelledError:
            raise
        except StoreUnavailable:  # a full disk, say: gw.health logs it once; the jobs wait in the store
            await asyncio.sleep(idle_poll_seconds)
        except Exception:
            log.exception("fan-out failed; retrying shortly")
            await asyncio.sleep(idle_poll_seconds)
        await gw.wait_for_jobs(idle_poll_seconds)


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

    def run_slice(self, store: Store, max_rows: int) -> int:
        """Compact the next slice of the pass, starting one if none is under way; returns rows moved. Runs
        on the writer (one transaction)."""
        if self.cursor is None:  # a new pass moves every owner counted so far
            self.owners.clear()
        done = store.compact_streams(max_rows, self.cursor or 0)
        self.cursor = done.last_owner
        self.pending = max(0, self.pending - done.moved)
        return done.moved

    def start_idle_pass(self, store: Store) -> bool:
        """Recount, and start a pass if anything is fresh: what the worker does when idle (run_worker). A
        read; returns whether a pass started."""
        self.recount(store)
        if self.cursor is None and self.pending:
            self.cursor = 0
            self.owners.clear()
        return self.cursor is not None

    def recount(self, store: Store) -> None:
        """After a pass: take the store's count, which includes appends by requests and other processes. A
        read: run it off the writer (a count of the fresh tier can take tens of milliseconds)."""
        self.pending = store.uncompacted_stream_rows()

    async def step(self, gw: StoreGateway) -> bool:
        """Compact one slice if due; False when there was nothing to do."""
        if not self.due():
            return False
        await gw.write_background(self.run_slice, gw.store, gw.settings.fanout_batch_size)
        if self.cursor is None:
            await gw.read(self.recount, gw.store)
        return True


def drain(store: Store, budget_rows: int, on_rows: Callable[[int], None] = lambda n: None) -> int:
    """Run every queued job to completion on this thread (seeding, tests), `budget_rows` rows per
    transaction. Returns the stream rows written."""
    total = 0
    while store.pending_jobs():
        written = fan_out_some(store, budget_rows).rows
        total += written
        on_rows(written)
    return total


def compact_all(store: Store, slice_rows: int, on_rows: Callable[[int], None] = lambda n: None) -> int:
    """Compact every fresh stream entry on this thread (seeding, benchmarks); returns how many moved."""
    total, after = 0, 0
    while True:
        done = store.compact_streams(slice_rows, after)
        total += done.moved
        on_rows(total)
        if done.last_owner is None:
            return total
        after = done.last_owner
