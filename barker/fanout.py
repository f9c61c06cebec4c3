"""The fan-out worker: drains the outbox (jobs written in the same transaction as the bark or follow that
caused them) into per-user streams.

Each batch is written atomically with its progress record, so a crash at any point resumes at the last
committed batch; stream inserts ignore repeats, so a re-run batch never duplicates. Jobs are served
round-robin, a slice each, so an author with 100,000 followers does not hold up everyone else.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from barker.bus import streams_advanced
from barker.gateway import StoreGateway
from barker.store.base import Store

log = logging.getLogger("barker.fanout")
JOBS_PER_ROUND = 64
# Rows per job per turn, so one author with 100,000 followers cannot crowd out the rest; also the most
# work a waiting request write can find ahead of it (a slice is about a millisecond).
SLICE_ROWS = 50


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


async def run_worker(gw: StoreGateway, *, idle_poll_seconds: float = 1.0) -> None:
    """Run until cancelled. Wakes at once when this process queues a job, and polls for other processes'.
    Each transaction is background work for the writer thread, so request writes go first. After each
    commit, the bus wakes the sockets of everyone whose stream advanced. Compaction shares the writer with
    fan-out turn by turn, so neither waits for the other to finish."""
    compactor = Compactor(await gw.read(gw.store.uncompacted_stream_rows), gw.settings.stream_compact_rows)
    while True:
        try:
            # Each turn: a fan-out round if jobs are queued, then a compaction slice if one is due. A job
            # queued during a long compaction is picked up at the next turn, not after the compaction.
            while True:
                queued = await gw.read(gw.store.pending_jobs)
                if queued:
                    done = await gw.write_background(fan_out_some, gw.store, gw.settings.fanout_batch_size,
                                                     gw.urgent_writes_waiting)
                    compactor.appended(done.rows)
                    if done.owners:
                        gw.announce(streams_advanced(done.owners))
                if not await compactor.step(gw) and not queued:
                    break
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("fan-out failed; retrying shortly")
            await asyncio.sleep(idle_poll_seconds)
        await gw.wait_for_jobs(idle_poll_seconds)


@dataclass
class Compactor:
    """When to compact streams. Once `threshold` fresh entries have piled up, it moves them one slice per
    turn until none are left. The count is this process's estimate: it adds what its own fan-out wrote
    and is corrected whenever a slice finds less than expected. Appends made by requests and other
    processes are picked up by the next compaction."""

    pending: int
    threshold: int
    compacting: bool = False

    def appended(self, rows: int) -> None:
        self.pending += rows

    def due(self) -> bool:
        return self.compacting or self.pending >= max(1, self.threshold)

    def compacted(self, moved: int) -> bool:
        """Record a slice; True while there is more to move."""
        self.compacting = moved > 0
        self.pending = max(0, self.pending - moved) if moved else 0
        return self.compacting

    async def step(self, gw: StoreGateway) -> bool:
        """Compact one slice if due; False when there is nothing to do."""
        if not self.due():
            return False
        return self.compacted(await gw.write_background(gw.store.compact_streams, gw.settings.fanout_batch_size))


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
    total = 0
    while moved := store.compact_streams(slice_rows):
        total += moved
        on_rows(total)
    return total
