"""Announcements on the bus, and the jobs doorbell.

Services announce what a committed write changed (`announce`), in the background, so a request never
waits for, or fails on, the bus. Announcements made in the same turn of the event loop go out together:
under load, one bus message per turn, not per request.

The doorbell: services ring it after queueing a job (`jobs_queued`), the fan-out worker waits on it
(`wait_for_jobs`). A worker in this process hears it directly; a separate `barker worker` hears it through
the bus (`listen_for_jobs`), where "jobs queued" rides on the turn's batched announcement.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from barker.bus import JOBS, Bus, publish_quietly, streams_advanced


class Announcer:
    def __init__(self, bus: Bus, worker_elsewhere: bool) -> None:
        """`worker_elsewhere`: queued jobs are announced on the bus only for a worker in another
        process to hear."""
        self.bus = bus
        self._worker_elsewhere = worker_elsewhere
        self._jobs_queued = asyncio.Event()
        self._announcing: set[asyncio.Task[None]] = set()
        self._advanced: set[int] = set()
        self._jobs_to_announce = False
        self._pending_messages: list[dict[str, Any]] = []
        self._flush_scheduled = False

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
