"""The fan-out worker: drains the outbox (jobs written in the same transaction as the bark or follow that
caused them) into per-user streams.

One batch per store call, each batch atomic with its progress record, so a crash at any point resumes at
the last committed batch; stream inserts ignore repeats, so a re-run batch never duplicates. Jobs are
served round-robin, one batch each, so an author with 100,000 followers does not hold up everyone else.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from barker.gateway import StoreGateway
from barker.store.base import Store

log = logging.getLogger("barker.fanout")
JOBS_PER_ROUND = 64


async def run_worker(gw: StoreGateway, *, idle_poll_seconds: float = 1.0) -> None:
    """Run until cancelled. Wakes at once when this process queues a job, and polls for other processes'."""
    while True:
        try:
            jobs = await gw.read(gw.store.next_jobs, JOBS_PER_ROUND)
            while jobs:
                unfinished = []
                for job in jobs:
                    progress = await gw.write_background(gw.store.run_fanout_batch, job, gw.settings.fanout_batch_size)
                    if not progress.done:
                        unfinished.append(job)
                jobs = unfinished or await gw.read(gw.store.next_jobs, JOBS_PER_ROUND)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("fan-out failed; retrying shortly")
            await asyncio.sleep(idle_poll_seconds)
        await gw.wait_for_jobs(idle_poll_seconds)


def drain(store: Store, batch_size: int, on_rows: Callable[[int], None] = lambda n: None) -> int:
    """Run every queued job to completion on this thread (seeding, tests), many jobs per transaction.
    Returns the stream rows written."""
    total = 0
    while jobs := store.next_jobs(1000):  # read outside the transaction: readers see committed data
        with store.bulk():
            for job in jobs:
                while True:
                    progress = store.run_fanout_batch(job, batch_size)
                    total += progress.rows_written
                    on_rows(progress.rows_written)
                    if progress.done:
                        break
    return total
