"""The bounded pools (barker/pools.py) on their own: real threads, real worker processes."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from functools import partial
from pathlib import Path

import pytest

from barker.errors import Busy, Invalid, TooLarge, UnsupportedMediaType
from barker.media.images import Limits, process
from barker.pools import HashingThreads, WorkerProcesses
from tests import images, workers
from tests.servers import wait_until

LIMITS = Limits(max_bytes=1 << 20, max_pixels=1_000_000)


def parent_of(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("PPid:"))


# -- password hashing threads -------------------------------------------------------------------------------
def test_hashing_refuses_past_threads_plus_queue_and_a_cancelled_wait_keeps_its_slot():
    pool = HashingThreads(threads=1, queue=1)
    gate = threading.Event()

    async def scenario() -> None:
        running = asyncio.ensure_future(pool.run(gate.wait))
        waiting = asyncio.ensure_future(pool.run(gate.wait))
        await asyncio.sleep(0)
        assert pool.admission.admitted == 2
        with pytest.raises(Busy) as refused:
            await pool.run(lambda: "never run")
        assert (refused.value.code, refused.value.retry_after) == ("busy", 1)
        # A request that stops waiting (its client went away) does not free the thread its job still holds.
        running.cancel()
        await asyncio.sleep(0.05)
        assert pool.admission.admitted == 2
        with pytest.raises(Busy):
            await pool.run(lambda: "never run")
        gate.set()
        assert await waiting is True
        wait_until(lambda: pool.admission.admitted == 0, what="the slots to be freed")
        assert await pool.run(lambda: "after") == "after"

    try:
        asyncio.run(scenario())
    finally:
        gate.set()
        pool.shutdown()


# -- image worker processes ---------------------------------------------------------------------------------
@pytest.fixture
def pool_factory():
    made: list[WorkerProcesses] = []

    def make(**kw: int) -> WorkerProcesses:
        args = {"workers": 1, "tasks_per_child": 100, "queue": 0} | kw
        made.append(WorkerProcesses(**args, preload=["barker.media.images"]))
        return made[-1]

    yield make
    for pool in made:
        pool.shutdown()


def test_jobs_run_in_child_processes_that_are_recycled(pool_factory):
    pool = pool_factory(workers=1, tasks_per_child=2)

    async def pids() -> list[int]:
        seen = []
        for _ in range(5):
            await pool.run(process, images.webp(), "post", LIMITS)
            seen.append(pool.last_pid)
        return seen

    a, a2, b, b2, c = asyncio.run(pids())
    assert a == a2 != b == b2 != c and a != c
    assert os.getpid() not in (a, b, c)
    # The worker descends from this process through the fork server (a fresh interpreter, never a fork of
    # this threaded process); the retired ones are gone.
    assert parent_of(parent_of(c)) == os.getpid()
    wait_until(lambda: not Path(f"/proc/{a}").exists() and not Path(f"/proc/{b}").exists(),
               what="the retired workers to be reaped")


def test_a_backlog_past_the_task_limit_does_not_hang(pool_factory):
    """CPython gh-115634: with max_tasks_per_child, a worker that retires while jobs are queued was not
    always replaced, and the queued jobs waited forever. 12 jobs, one worker, two jobs per worker."""
    pool = pool_factory(workers=1, tasks_per_child=2, queue=11)

    async def burst() -> list[int]:
        return await asyncio.wait_for(asyncio.gather(*(pool.run(workers.pid) for _ in range(12))), 60)

    pids = asyncio.run(burst())
    assert len(pids) == 12 and len(set(pids)) >= 6


@pytest.mark.parametrize(("data", "error", "code"), [
    (images.png_bomb(), Invalid, "too_many_pixels"),
    (images.truncated_jpeg(), Invalid, "invalid_image"),
    (images.bmp(), UnsupportedMediaType, "unsupported_media_type"),
    (bytes(2 << 20), TooLarge, "media_too_large"),
], ids=["bomb", "truncated", "bmp", "too-large"])
def test_errors_from_a_worker_keep_their_type_and_code(pool_factory, data, error, code):
    pool = pool_factory()
    with pytest.raises(error) as raised:
        asyncio.run(pool.run(process, data, "post", LIMITS))
    assert type(raised.value) is error and raised.value.code == code and raised.value.message


def test_a_full_pool_refuses_at_once(pool_factory, tmp_path: Path):
    pool = pool_factory(workers=1, queue=1)
    gate = tmp_path / "gate"

    async def scenario() -> None:
        stalled = [asyncio.ensure_future(pool.run(workers.stall, str(tmp_path / f"pid{i}"), str(gate)))
                   for i in range(2)]
        await asyncio.sleep(0)
        assert pool.admission.admitted == 2
        with pytest.raises(Busy) as refused:
            await pool.run(workers.pid)
        assert (refused.value.code, refused.value.retry_after) == ("busy", 2)
        gate.touch()
        await asyncio.gather(*stalled)
        assert pool.admission.admitted == 0
        assert await pool.run(workers.pid) == pool.last_pid

    try:
        asyncio.run(scenario())
    finally:
        gate.touch()


def test_a_worker_killed_mid_job_is_busy_and_the_pool_recovers(pool_factory, tmp_path: Path):
    pool = pool_factory(workers=1)
    pid_file, gate = tmp_path / "pid", tmp_path / "gate"

    async def scenario() -> None:
        job = asyncio.ensure_future(pool.run(workers.stall, str(pid_file), str(gate)))
        pid = await asyncio.to_thread(wait_until, lambda: pid_file.exists() and pid_file.read_text(), 30, 0.01,
                                      "the job to start")
        os.kill(int(pid), signal.SIGKILL)  # what the OOM killer does
        with pytest.raises(Busy) as lost:
            await job
        assert lost.value.code == "worker_lost" and lost.value.retry_after
        assert pool.admission.admitted == 0 and pool.restarts == 1
        assert (await pool.run(process, images.webp(), "post", LIMITS)).display.ext == "jpg"
        assert pool.last_pid != int(pid)

    try:
        asyncio.run(scenario())
    finally:
        gate.touch()


def test_a_worker_killed_while_idle_costs_no_job(pool_factory):
    pool = pool_factory(workers=1)

    async def scenario() -> None:
        first = await pool.run(workers.pid)
        os.kill(first, signal.SIGKILL)
        # Once the pool has noticed (a job submitted before that is lost like one killed mid-job: above)
        wait_until(lambda: pool._executor._broken, what="the pool to notice")  # type: ignore[union-attr]
        second = await pool.run(workers.pid)
        assert second != first and pool.restarts == 1

    asyncio.run(scenario())


def test_a_worker_out_of_memory_is_busy(pool_factory):
    pool = pool_factory()
    with pytest.raises(Busy) as raised:
        asyncio.run(pool.run(workers.raise_memory_error))
    assert raised.value.code == "worker_out_of_memory"
    assert asyncio.run(pool.run(partial(workers.pid))) == pool.last_pid
