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
from barker.errors import StoreUnavailable
from barker.gateway import StoreGateway
from barker.ports.maintenance import Maintenance
from barker.ports.store import Store

log = logging.getLogger("barker.fanout")
JOBS_PER_ROUND = 64
# Rows per job per turn, so one author with 100,000 followers cannot crowd out the rest; also the most
# work a waiting request write can find ahead of it (500 rows take one to two milliseconds). Each slice
# costs four statements besides its rows; at 50 rows a slice a big fan-out ran 5-10% slower.
SLICE_ROWS = 500
# A worker this long without work compacts what is fresh, however little: request appends (own barks,
# reactions, follows) are not in its estimate, and retention comes with compaction. Long enough that a
# steadily busy instance keeps amortising passes (ROWS_PER_OWNER in barker/store/sqlite_maintenance.py).
IDLE_PASS_SECONDS = 30.0


@dataclass
class FanoutRound:
    rows: int = 0  # stream rows written (fresh rows for compaction to move)
    owners: set[int] = field(default_factory=set)  # whose streams advanced
    touched: int = 0  # rows removed or changed besides (a departure's batches): the budget counts both

    @property
    def work(self) -> int:
        return self.rows + self.touched


def fan_out_some(store: Store, budget_rows: int, should_yield: Callable[[], bool] = lambda: False) -> FanoutRound:
    """One transaction's worth of fan-out: a slice from each queued job in turn (round-robin) until about
    `budget_rows` stream rows are written (or, by a departure job, removed), or, after any slice,
    `should_yield()` says a request write is waiting. Many rows per commit matters: followers are
    scattered, so every row dirties its own page, and a commit's cost grows with pages, not rows; yielding
    keeps that from delaying posts."""
    done = FanoutRound()
    with store.bulk():
        jobs = store.next_jobs(JOBS_PER_ROUND)
        while jobs and done.work < budget_rows:
            unfinished = []
            # Every queued job gets a share of this transaction, so a huge job cannot starve the others.
            share = max(1, min(SLICE_ROWS, (budget_rows - done.work) // len(jobs)))
            for job in jobs:
                progress = store.run_fanout_batch(job, share)
                done.rows += progress.rows_written
                done.touched += progress.rows_touched
                done.owners.update(progress.owners)
                if not progress.done:
                    unfinished.append(job)
                if done.work >= budget_rows or should_yield():
                    return done
            jobs = unfinished or store.next_jobs(JOBS_PER_ROUND)
    return done


async def run_worker(gw: StoreGateway, *, idle_poll_seconds: float = 1.0,
                     idle_pass_seconds: float = IDLE_PASS_SECONDS) -> None:
    """Run until cancelled. Wakes at once when this process queues a job, or (a separate worker, with a
    bus) when the bus says another process did (StoreGateway.listen_for_jobs); and polls every
    `idle_poll_seconds` for jobs nobody told it about (the bus down or absent, a process that died).
    Each transaction is background work for the writer thread, so request writes go first. After each
    commit, the bus wakes the sockets of everyone whose stream advanced. The store's maintenance (SQLite:
    stream compaction) shares the writer with fan-out turn by turn, so neither waits for the other to
    finish; after `idle_pass_seconds` without work it is asked to do whatever is left (Maintenance.idle)."""
    maintenance = gw.store.maintenance()
    await gw.read(maintenance.start)
    loop = asyncio.get_running_loop()
    worked_at = loop.time()
    while True:
        try:
            # Each turn: a fan-out round if jobs are queued, then a maintenance step if one is due. A job
            # queued during long maintenance is picked up at the next turn, not after it.
            while True:
                queued = await gw.read(gw.store.pending_jobs)
                if queued:
                    done = await gw.write_background(fan_out_some, gw.store, gw.settings.fanout_batch_size,
                                                     gw.urgent_writes_waiting)
                    maintenance.appended(done.rows, done.owners)
                    if done.owners:
                        gw.announce(streams_advanced(done.owners))
                if not await maintenance_step(gw, maintenance) and not queued:
                    break
                worked_at = loop.time()
            if loop.time() - worked_at >= idle_pass_seconds:
                worked_at = loop.time()
                if await gw.read(maintenance.idle):
                    continue
        except asyncio.CancelledError:
            raise
        except StoreUnavailable:  # a full disk, say: gw.health logs it once; the jobs wait in the store
            await asyncio.sleep(idle_poll_seconds)
        except Exception:
            log.exception("fan-out failed; retrying shortly")
            await asyncio.sleep(idle_poll_seconds)
        await gw.wait_for_jobs(idle_poll_seconds)


def drain(store: Store, budget_rows: int, on_rows: Callable[[int], None] = lambda n: None) -> int:
    """Run every queued job to completion on this thread (seeding, tests), `budget_rows` rows per
    transaction. Returns the stream rows written."""
    total = 0
    while store.pending_jobs():
        written = fan_out_some(store, budget_rows).rows
        total += written
        on_rows(written)
    return total


async def maintenance_step(gw: StoreGateway, maintenance: Maintenance) -> bool:
    """One step of the store's maintenance if due, on the writer as background work; False when there was
    nothing to do."""
    if not maintenance.due():
        return False
    await gw.write_background(maintenance.step, gw.settings.fanout_batch_size)
    if maintenance.wants_recount():
        await gw.read(maintenance.recount)
    return True
