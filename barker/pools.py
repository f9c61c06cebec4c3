"""Bounded places to run CPU-heavy work: cheap requests must not be able to queue expensive work without
bound. Each pool admits a fixed number of jobs (running plus waiting); past that a job is refused at once
with `Busy` (503 + Retry-After) instead of waiting behind everything else.

- `HashingThreads`: password hashing (Argon2id). Threads suffice: the hash runs in C with the GIL released.
- `WorkerProcesses`: image decoding and re-encoding, in recycled child processes, so the server process never
  holds decoded pixels and whatever a worker's heap kept is returned to the system when it is replaced.

Both are shared by every request of the process and live as long as the app (`StoreGateway` owns them).
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import ctypes.util
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from barker.errors import Busy

T = TypeVar("T")
log = logging.getLogger("barker.pools")


class Admission:
    """A count of admitted jobs with a hard ceiling, never waited on: `enter` says yes or raises Busy.
    Thread-safe, because jobs leave from whichever thread finished them."""

    def __init__(self, capacity: int, busy: Callable[[], Busy]) -> None:
        self.capacity = capacity
        self._slots = threading.BoundedSemaphore(capacity)
        self._busy = busy
        self._lock = threading.Lock()
        self.admitted = 0  # jobs running or waiting now

    def enter(self) -> None:
        if not self._slots.acquire(blocking=False):
            raise self._busy()
        with self._lock:
            self.admitted += 1

    def leave(self, *_: object) -> None:
        with self._lock:
            self.admitted -= 1
        self._slots.release()


class HashingThreads:
    """`threads` threads and room for `queue` more jobs waiting; the next one is refused (Busy). It also
    keeps how long a job takes to run here (`typical_seconds`), which log-in needs (services/accounts.py)."""

    def __init__(self, threads: int, queue: int, name: str = "barker-hash", retry_after: int = 1) -> None:
        self._executor = ThreadPoolExecutor(threads, thread_name_prefix=name)
        self.admission = Admission(threads + queue, lambda: Busy(
            "the server is busy checking passwords; retry in a moment", code="busy", retry_after=retry_after))
        self.typical_seconds: float | None = None  # a moving average of run times, queueing excluded

    def _timed(self, fn: Callable[..., T], *args: Any) -> T:
        started = time.perf_counter()
        try:
            return fn(*args)
        finally:
            took = time.perf_counter() - started
            self.typical_seconds = took if self.typical_seconds is None else 0.8 * self.typical_seconds + 0.2 * took

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        self.admission.enter()
        try:
            future = self._executor.submit(self._timed, fn, *args)
        except BaseException:
            self.admission.leave()
            raise
        # The slot is freed when the work ends, not when the request stops waiting: a request cancelled
        # mid-hash (client gone) still holds its thread until the hash is done, and the count says so.
        future.add_done_callback(self.admission.leave)
        return await asyncio.wrap_future(future)

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)


# -- worker processes ---------------------------------------------------------------------------------------
_libc: Any = None


def _return_freed_memory() -> None:
    """Give the heap's freed pages back to the system (glibc keeps them by default: the mmap threshold
    grows after a large block is freed, so the next decoded image lands on the heap, and stays)."""
    global _libc
    if _libc is None:
        name = ctypes.util.find_library("c")
        try:
            _libc = ctypes.CDLL(name) if name else False
        except OSError:
            _libc = False
    if _libc and hasattr(_libc, "malloc_trim"):
        _libc.malloc_trim(0)


def _worker_started() -> None:
    """Ctrl+C in a terminal reaches the whole process group: the server shuts its workers down in order
    (after the image they are on), so a worker leaves SIGINT to it rather than dying mid-image."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _in_worker(fn: Callable[..., T], args: tuple[Any, ...]) -> tuple[int, T]:
    """What a worker process runs: the job, then memory handed back; returns its pid with the result."""
    try:
        return os.getpid(), fn(*args)
    finally:
        _return_freed_memory()


class _RecyclingExecutor(ProcessPoolExecutor):
    """ProcessPoolExecutor with max_tasks_per_child, minus CPython bug gh-115634 (3.11 up to its fix):
    an idle-worker token released after a worker has already taken its next job can outlive that worker,
    and when it exits at its task limit the replacement is skipped; once no worker is left, queued jobs
    wait forever. Here an exited worker is always replaced (what the upstream fix does)."""

    def _adjust_process_count(self) -> None:
        # typeshed declares _executor_manager_thread as a _ThreadWakeup; it is the manager thread itself.
        if threading.current_thread() is self._executor_manager_thread:  # type: ignore[comparison-overlap]
            # Called only to replace a worker that exited at its task limit.
            if len(self._processes) < self._max_workers:  # type: ignore[attr-defined]
                self._spawn_process()  # type: ignore[attr-defined]
            return
        super()._adjust_process_count()


class WorkerProcesses:
    """`workers` child processes, each replaced after `tasks_per_child` jobs, and room for `queue` jobs
    waiting; the next one is refused (Busy). Started on first use; a pool broken by a dead worker (the OOM
    killer, a crash in a decoder) is replaced, and the jobs it lost fail with Busy (503), never with a 500.

    Children come from a fork server (`forkserver`): a clean process started once, with `preload` already
    imported, that forks a worker in milliseconds. Never `fork` from the server itself: it has threads, and
    a forked child can inherit a lock some other thread held."""

    def __init__(self, workers: int, tasks_per_child: int, queue: int, preload: Sequence[str] = (),
                 retry_after: int = 2) -> None:
        self.workers, self.tasks_per_child = workers, tasks_per_child
        self.retry_after = retry_after
        self.admission = Admission(workers + queue, lambda: Busy(
            "the server is busy processing images; retry in a moment", code="busy", retry_after=retry_after))
        method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        self._context = multiprocessing.get_context(method)
        if method == "forkserver" and preload:
            self._context.set_forkserver_preload(list(preload))
        self._executor: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self._closed = False
        self.last_pid: int | None = None  # the worker that ran the latest job (for tests and diagnostics)
        self.restarts = 0  # pools replaced after a worker died

    def _pool(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._closed:
                raise Busy("the server is shutting down", code="busy", retry_after=self.retry_after)
            if self._executor is None:
                self._executor = _RecyclingExecutor(self.workers, mp_context=self._context,
                                                    initializer=_worker_started,
                                                    max_tasks_per_child=self.tasks_per_child)
            return self._executor

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        """Drop a broken pool (once, however many of its jobs report it); the next job starts a new one."""
        with self._lock:
            if self._executor is not broken:
                return
            self._executor = None
            self.restarts += 1
        log.warning("an image worker process died; starting new ones")
        broken.shutdown(wait=False, cancel_futures=True)

    def _submit(self, fn: Callable[..., T], args: tuple[Any, ...]) -> tuple[ProcessPoolExecutor, Future[Any]]:
        for _ in range(2):  # a pool found broken before the job started (a worker died while idle): once more
            pool = self._pool()
            try:
                return pool, pool.submit(_in_worker, fn, args)
            except BrokenProcessPool:
                self._replace(pool)
        raise self._lost()

    def _lost(self) -> Busy:
        return Busy("image processing was interrupted (a worker process stopped); retry",
                    code="worker_lost", retry_after=self.retry_after)

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """`fn(*args)` in a worker process. `fn` and its arguments must pickle (a module-level function);
        its exceptions come back with their own types, so a BarkerError keeps its status and code."""
        self.admission.enter()
        try:
            pool, future = await asyncio.to_thread(self._submit, fn, args)  # submit may start processes
        except BaseException:
            self.admission.leave()
            raise
        future.add_done_callback(self.admission.leave)
        try:
            pid, result = await asyncio.wrap_future(future)
        except BrokenProcessPool:
            self._replace(pool)
            raise self._lost() from None
        except MemoryError:
            raise Busy("not enough memory to process this image now; retry later", code="worker_out_of_memory",
                       retry_after=self.retry_after) from None
        self.last_pid = pid
        return result

    def shutdown(self) -> None:
        with self._lock:
            self._closed = True
            executor, self._executor = self._executor, None
        if executor is not None:
            with contextlib.suppress(Exception):
                executor.shutdown(wait=True, cancel_futures=True)

