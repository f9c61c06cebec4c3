"""The runtime, as services see it: one object composed of named parts (barker/runtime/), so services and
the backend take a single argument.

- `executors` (barker/runtime/executors.py): reads, request writes and background writes on their threads,
  checkpointing, and the store health each hop reports to;
- `announcer` (barker/runtime/announcer.py): announcements batched per loop turn, and the jobs doorbell;
- `lease` (barker/runtime/leases.py): the id node lease, and the `ids` it hands out;
- the bounded CPU pools (barker/pools.py): password hashing on threads, image work in worker processes.

The hot methods (`read`, `write`, `write_background`, `announce`, `jobs_queued`) are the parts' own bound
methods, stored on the gateway at start: calling one costs the same single attribute lookup as before the
split, with no forwarding call in between.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from functools import partial
from typing import ParamSpec, TypeVar

from barker.bus import Bus, open_bus
from barker.errors import StoreUnavailable
from barker.health import REQUEST_WRITES
from barker.ids import IdGenerator
from barker.pools import Admission, HashingThreads, WorkerProcesses
from barker.ports.store import Store
from barker.runtime.announcer import Announcer
from barker.runtime.executors import StoreExecutors
from barker.runtime.leases import NodeLease
from barker.security import make_hasher
from barker.settings import Settings

P = ParamSpec("P")
T = TypeVar("T")


class StoreGateway:
    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.executors = StoreExecutors(store, settings)
        self.health = self.executors.health
        self.read = self.executors.read
        self.write = self.executors.write
        self.write_background = self.executors.write_background
        self.urgent_writes_waiting = self.executors.urgent_writes_waiting
        self.keep_checkpointing = self.executors.keep_checkpointing
        self.lease = NodeLease(store)
        self.hasher = make_hasher(settings)
        self._hashing = HashingThreads(settings.hash_threads, settings.hash_queue)
        # Started on the first upload: a process that never handles one (the fan-out worker) starts none. The
        # fork server imports the image code and the main module once, so a new worker starts in ~20 ms.
        self.images = WorkerProcesses(settings.media_workers, settings.media_worker_tasks, settings.media_queue,
                                      preload=["__main__", "barker.media.images"])
        self.bus: Bus = open_bus(settings.bus_url, timeout=settings.bus_timeout_seconds,
                                 max_connections=settings.bus_max_connections)
        self.announcer = Announcer(self.bus, worker_elsewhere=self.bus.shared and not settings.inprocess_worker)
        self.announce = self.announcer.announce
        self.jobs_queued = self.announcer.jobs_queued
        self.listen_for_jobs = self.announcer.listen_for_jobs
        self.wait_for_jobs = self.announcer.wait_for_jobs

    @property
    def ids(self) -> IdGenerator:
        """Ids for the node this process holds now (the lease may switch it)."""
        return self.lease.ids

    async def keep_node_lease(self) -> None:
        await self.lease.keep(self.write)

    async def check_ready(self) -> tuple[str, StoreUnavailable] | None:
        """Probe what requests depend on and say which part fails, if any: a read every time, and while
        request writes are failing a small write too, so readiness returns as soon as space does, with
        no traffic (a load balancer sends none to a process that is not ready)."""
        with contextlib.suppress(StoreUnavailable):
            await self.read(self.store.ping)
        if self.health.problem(REQUEST_WRITES) is not None:
            with contextlib.suppress(StoreUnavailable):  # renewing our own lease: harmless, and a real write
                await self.lease.renew(self.write)
        return self.health.first_problem()

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

    def close(self) -> None:
        self.executors.shutdown()  # readers first, then the writer finishes what is queued
        self._hashing.shutdown()
        self.images.shutdown()
        self.store.close()
