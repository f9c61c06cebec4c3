"""Where store calls run, so async code never blocks the event loop on the synchronous store:
- writes on one dedicated writer thread (SQLite has a single writer anyway, and queueing in-process is far
  cheaper than SQLite's sleep-and-retry busy handler; barker/writer.py groups them into shared commits and
  lets fan-out run only when no request is waiting);
- reads on a small pool of threads (or inline, for a local store when `inline_reads` is set);
- the store's periodic checkpoint on a thread of its own.
Each hop reports its outcome to `StoreHealth`: faults are logged once per change, and /readyz asks it.
Service functions make one hop per request where they can: each hop costs tens of microseconds and, under
load, a contended GIL hand-over.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading
from collections.abc import Callable
from functools import partial
from typing import Any, ParamSpec, TypeVar

from barker.errors import StoreUnavailable
from barker.health import BACKGROUND_WRITES, CHECKPOINT, READS, REQUEST_WRITES, StoreHealth
from barker.ports.store import Store
from barker.settings import Settings
from barker.writer import WriterThread

P = ParamSpec("P")
T = TypeVar("T")
log = logging.getLogger("barker.runtime.executors")


def _resolve(future: asyncio.Future[Any], ok: bool, value: Any) -> None:
    if not future.done():  # the awaiting request may have been cancelled meanwhile
        if ok:
            future.set_result(value)
        else:
            future.set_exception(value)


class ReaderThreads:
    """Run store reads for the event loop on a few threads. Leaner than run_in_executor on a
    ThreadPoolExecutor (no concurrent.futures.Future, no chained callbacks): a C queue in, one
    call_soon_threadsafe out, and uvloop folds the wake-ups of results that finish together into one."""

    def __init__(self, count: int, name: str) -> None:
        self._queue: queue.SimpleQueue[tuple[Callable[[], Any], asyncio.Future[Any]] | None] = queue.SimpleQueue()
        self._threads = [threading.Thread(target=self._run, name=f"{name}_{i}", daemon=True) for i in range(count)]
        for thread in self._threads:
            thread.start()

    def submit(self, fn: Callable[[], T]) -> asyncio.Future[T]:
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._queue.put((fn, future))
        return future

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            fn, future = item
            try:
                outcome = (True, fn())
            except BaseException as e:  # delivered to the awaiting request
                outcome = (False, e)
            with contextlib.suppress(RuntimeError):  # the loop closed while we worked (shutdown)
                future.get_loop().call_soon_threadsafe(_resolve, future, *outcome)

    def shutdown(self) -> None:
        for _ in self._threads:
            self._queue.put(None)
        for thread in self._threads:
            thread.join()


class StoreExecutors:
    """The threads store calls run on, each hop reporting to `health`."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.health = StoreHealth(settings.store_fault_settle_seconds)
        self._readers = ReaderThreads(settings.read_threads, "barker-read")
        self._writer = WriterThread(store)
        self._inline_reads = settings.inline_reads and store.capabilities.local

    async def read(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        try:
            if self._inline_reads:
                result = fn(*args, **kwargs)
            else:
                result = await self._readers.submit(partial(fn, *args, **kwargs))
        except StoreUnavailable as e:
            self.health.failed(READS, e)
            raise
        self.health.succeeded(READS)
        return result

    async def write(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """A request's write: grouped with other queued request writes into one commit."""
        try:
            result = await asyncio.wrap_future(self._writer.submit(partial(fn, *args, **kwargs)))
        except StoreUnavailable as e:
            self.health.failed(REQUEST_WRITES, e)
            raise
        self.health.succeeded(REQUEST_WRITES)
        return result

    async def write_background(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Background work (fan-out): runs alone, only when no request write is waiting."""
        try:
            result = await asyncio.wrap_future(self._writer.submit(partial(fn, *args, **kwargs), background=True))
        except StoreUnavailable as e:
            self.health.failed(BACKGROUND_WRITES, e)
            raise
        self.health.succeeded(BACKGROUND_WRITES)
        return result

    def urgent_writes_waiting(self) -> bool:
        return self._writer.urgent_waiting()

    async def keep_checkpointing(self, interval: float = 0.2) -> None:
        """The store's periodic housekeeping, on its own thread so neither requests nor the writer wait."""
        while True:
            try:
                await asyncio.to_thread(self.store.checkpoint)
                self.health.succeeded(CHECKPOINT)
            except StoreUnavailable as e:  # a full disk: once per change, not five tracebacks a second
                self.health.failed(CHECKPOINT, e)
            except Exception:
                log.exception("store checkpoint failed")
            await asyncio.sleep(interval)

    def shutdown(self) -> None:
        """Stop the threads (the writer last: it finishes the writes already queued)."""
        self._readers.shutdown()
        self._writer.shutdown()
