"""How async code reaches the synchronous store without blocking the event loop.

Every store call runs on a thread:
- writes on one dedicated writer thread (SQLite has a single writer anyway, and queueing in-process is far
  cheaper than SQLite's sleep-and-retry busy handler; barker/writer.py groups them into shared commits and
  lets fan-out run only when no request is waiting);
- reads on a small pool;
- password hashing on its own bounded pool, so a 50 ms Argon2 call never delays a timeline read, and a
  burst of log-ins is refused (503) rather than queued without bound;
- image work in recycled worker processes, bounded the same way (barker/pools.py).
Service functions make one hop per request where they can: each hop costs tens of microseconds and, under
load, a contended GIL hand-over.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading
import uuid
from collections.abc import Callable
from functools import partial
from typing import Any, ParamSpec, TypeVar

from barker.bus import JOBS, Bus, open_bus, publish_quietly, streams_advanced
from barker.errors import StoreUnavailable
from barker.health import BACKGROUND_WRITES, CHECKPOINT, READS, REQUEST_WRITES, StoreHealth
from barker.ids import IdGenerator, now_ms
from barker.pools import Admission, HashingThreads, WorkerProcesses
from barker.ports.store import Store
from barker.security import make_hasher
from barker.settings import Settings
from barker.writer import WriterThread

P = ParamSpec("P")
T = TypeVar("T")
log = logging.getLogger("barker.gateway")
NODE_LEASE_MS = 60_000


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


class StoreGateway:
    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        # Each store call below reports to it: faults are logged once per change, and /readyz asks it.
        self.health = StoreHealth(settings.store_fault_settle_seconds)
        self.hasher = make_hasher(settings)
        self._holder = f"{uuid.uuid4()}"
        self.ids = IdGenerator(store.claim_node(self._holder, now_ms(), NODE_LEASE_MS))
        self._readers = ReaderThreads(settings.read_threads, "barker-read")
        self._writer = WriterThread(store)
        self._hashing = HashingThreads(settings.hash_threads, settings.hash_queue)
        # Started on the first upload: a process that never handles one (the fan-out worker) starts none. The
        # fork server imports the image code and the main module once, so a new worker starts in ~20 ms.
        self.images = WorkerProcesses(settings.media_workers, settings.media_worker_tasks, settings.media_queue,
                                      preload=["__main__", "barker.media.images"])
        self._jobs_queued = asyncio.Event()
        self.bus: Bus = open_bus(settings.bus_url, timeout=settings.bus_timeout_seconds,
                                 max_connections=settings.bus_max_connections)
        # Queued jobs are announced on the bus only for a worker in another process to hear.
        self._worker_elsewhere = self.bus.shared and not settings.inprocess_worker
        self._announcing: set[asyncio.Task[None]] = set()
        self._advanced: set[int] = set()
        self._jobs_to_announce = False
        self._pending_messages: list[dict[str, Any]] = []
        self._flush_scheduled = False
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

    async def check_ready(self) -> tuple[str, StoreUnavailable] | None:
        """Probe what requests depend on and say which part fails, if any: a read every time, and while
        request writes are failing a small write too, so readiness returns as soon as space does, with
        no traffic (a load balancer sends none to a process that is not ready)."""
        with contextlib.suppress(StoreUnavailable):
            await self.read(self.store.ping)
        if self.health.problem(REQUEST_WRITES) is not None:
            with contextlib.suppress(StoreUnavailable):  # renewing our own lease: harmless, and a real write
                await self.write(self.store.renew_node, self.ids.node, self._holder, now_ms(), NODE_LEASE_MS)
        return self.health.first_problem()

    def urgent_writes_waiting(self) -> bool:
        return self._writer.urgent_waiting()

    async def hashing(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Password hashing and verification; raises Busy (503) at once when its queue is full."""
        return await self._hashing.run(partial(fn, *args, **kwargs))

    @property
    def typical_hash_seconds(self) -> float | None:
        """How long one password hash or check takes to run here (None before the first)."""
        return self._hashing.typical_seconds

    def pools(self) -> dict[str, Admission]:
        """The bounded pools by name, with their admitted jobs and capacity (for /metrics)."""
        return {"hashing": self._hashing.admission, "images": self.images.admission}

    def announce(self, message: dict[str, Any]) -> None:
        """Tell listeners (in this and other processes) what a committed write changed; in the
        background, so a request never waits for, or fails on, the bus. Announcements made in the same
        turn of the event loop go out together: under load, one bus message per turn, not per request."""
        if "streams" in message:
            self._advanced.update(message["streams"])
        else:
            self._pending_messages.append(message)
        self._schedule_flush()

    def _schedule_flush(self) -> None:
        if not self._flush_scheduled:
            self._flush_scheduled = True
            asyncio.get_running_loop().call_soon(self._flush_announcements)

    def _flush_announcements(self) -> None:
        self._flush_scheduled = False
        messages, self._pending_messages = self._pending_messages, []
        if self._advanced or self._jobs_to_announce:
            # "jobs queued" rides on the turn's "streams advanced" (a bark announces both): one message.
            message = streams_advanced(self._advanced) if self._advanced else {}
            if self._jobs_to_announce:
                message[JOBS] = True
            messages.append(message)
            self._advanced = set()
            self._jobs_to_announce = False
        task = asyncio.get_running_loop().create_task(self._publish_all(messages))
        self._announcing.add(task)
        task.add_done_callback(self._announcing.discard)

    async def _publish_all(self, messages: list[dict[str, Any]]) -> None:
        for message in messages:
            await publish_quietly(self.bus, message)

    # -- the outbox doorbell: services ring it after queueing a job, the worker waits on it ----------
    def jobs_queued(self) -> None:
        self._jobs_queued.set()
        if self._worker_elsewhere:  # a separate `barker worker` hears it through the bus
            self._jobs_to_announce = True
            self._schedule_flush()

    async def listen_for_jobs(self) -> None:
        """In a separate worker process: ring the doorbell when another process announces queued jobs,
        and whenever the bus reconnects (one may have been announced while it was down). The worker
        still polls (worker_poll_seconds), which covers the time the bus is down."""

        def on_message(message: dict[str, Any]) -> None:
            if message.get(JOBS):
                self._jobs_queued.set()

        await self.bus.start(on_message, self._jobs_queued.set)

    async def wait_for_jobs(self, timeout: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._jobs_queued.wait(), timeout)
        self._jobs_queued.clear()

    async def keep_node_lease(self) -> None:
        """Renew the id-generator node lease; if it was lost (e.g. the process stalled past the lease),
        switch to a freshly claimed node so ids stay unique."""
        while True:
            await asyncio.sleep(NODE_LEASE_MS / 3000)
            try:
                if not await self.write(self.store.renew_node, self.ids.node, self._holder, now_ms(),
                                        NODE_LEASE_MS):
                    node = await self.write(self.store.claim_node, self._holder, now_ms(), NODE_LEASE_MS)
                    log.warning("id node lease lost; switching from node %d to %d", self.ids.node, node)
                    self.ids = IdGenerator(node)
            except StoreUnavailable:  # logged by self.health; the lease has slack for that
                pass
            except Exception:  # the store may be briefly unavailable; the lease has slack for that
                log.exception("renewing the id node lease failed")

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

    def close(self) -> None:
        self._readers.shutdown()
        self._hashing.shutdown()
        self.images.shutdown()
        self._writer.shutdown()
        self.store.close()
