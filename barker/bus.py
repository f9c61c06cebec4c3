"""The bus: "these users' streams advanced", "this above-threshold author barked" and "jobs were queued",
between processes.

The durable stream is the truth; the bus only wakes sockets (and a separate fan-out worker), so a lost
message delays an event but never loses it (sessions also re-read their stream when the bus reconnects, and
poll while it is down; a worker polls for jobs all along).

- `LocalBus` (default): in-process. Enough for one `barker serve` with its in-process fan-out worker.
- `RedisBus` (`BARKER_BUS_URL=redis://host:port/db`): Redis pub/sub on one channel, for several backend
  processes and a separate `barker worker`. A Redis that dies or hangs is noticed within about
  `BARKER_BUS_TIMEOUT_SECONDS` (see RedisBus).

A message is a small JSON object: {"streams": [user ids]} (with "jobs": true when the same turn also queued
fan-out jobs for a separate worker), {"jobs": true}, {"bark": id, "author": id} (a bark that was not copied
into streams, delivered live to followers who are online), {"revoked": [user ids]} (every token of these
users was revoked, by a suspension: their sockets are checked and closed at once, not at the next
revalidation), or {"resync": true} (some notices were dropped: every listener re-reads, as after a
reconnect).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine, Iterable
from functools import partial
from typing import Any, Protocol

import orjson

log = logging.getLogger("barker.bus")
CHANNEL = "barker:streams"
JOBS = "jobs"  # the key that tells a separate worker that fan-out jobs were queued
RESYNC: dict[str, Any] = {"resync": True}
Handler = Callable[[dict[str, Any]], None]


class Bus(Protocol):
    shared: bool  # reaches other processes

    async def start(self, on_message: Handler, on_reconnect: Callable[[], None]) -> None: ...
    async def publish(self, message: dict[str, Any]) -> None: ...
    @property
    def connected(self) -> bool: ...
    async def close(self) -> None: ...


class BusSilent(Exception):
    """Redis stopped answering (a hung server or network) without closing the connection."""


def describe(error: BaseException) -> str:
    return str(error) or type(error).__name__  # a TimeoutError's str() is empty


def streams_advanced(owners: Iterable[int]) -> dict[str, Any]:
    return {"streams": sorted(set(owners))}


def live_bark(bark_id: int, author: int) -> dict[str, Any]:
    return {"bark": bark_id, "author": author}


def tokens_revoked(users: Iterable[int]) -> dict[str, Any]:
    return {"revoked": sorted(set(users))}


class LocalBus:
    shared = False

    def __init__(self) -> None:
        self._handler: Handler | None = None

    async def start(self, on_message: Handler, on_reconnect: Callable[[], None]) -> None:
        self._handler = on_message

    async def publish(self, message: dict[str, Any]) -> None:
        if self._handler is not None:
            self._handler(message)

    @property
    def connected(self) -> bool:
        return True

    async def close(self) -> None:
        self._handler = None


class RedisBus:
    """Redis pub/sub, on two small connection pools of its own: one for publishing, one for the subscriber.

    Redis that dies closes its sockets, which is easy to notice. Redis that hangs (a paused VM, a black-holed
    network) closes nothing: it just stops answering. So every call has a deadline (`timeout`), and the
    subscriber, which would otherwise wait forever in a quiet channel, pings Redis whenever it has heard
    nothing for half of it. No answer to that ping within the other half = lost: `connected` turns false
    (StreamHub then polls its sockets' streams), listeners are woken once to re-read, and the subscriber
    reconnects every `retry_seconds`; once Redis confirms the subscription again, listeners re-read.

    Publishing never waits long and never piles up: while the subscriber says the bus is lost, publishes are
    dropped at once (the durable stream holds the event; listeners poll); otherwise a publish that gets no
    answer within `timeout`, or finds all `max_connections` publishing connections busy, is dropped. Drops
    are logged once per change of condition, not per message. A dropped notice may have been one that a
    listener elsewhere, whose own connection stayed up, was waiting for: so once publishing works again, a
    `resync` notice goes out, and every process's listeners re-read (the same as a reconnect)."""

    shared = True

    def __init__(self, url: str, *, timeout: float = 1.0, max_connections: int = 16,
                 retry_seconds: float = 0.5) -> None:
        import redis.asyncio as redis  # optional at import time: only needed with BARKER_BUS_URL
        from redis.asyncio.retry import Retry
        from redis.backoff import NoBackoff

        # No retries inside redis-py (its default retries 10 times with back-off, each with its own
        # timeout): a failed publish is dropped, and the subscriber's own loop reconnects.
        options: dict[str, Any] = {"socket_connect_timeout": timeout, "socket_timeout": timeout,
                                   "retry": Retry(NoBackoff(), 0), "health_check_interval": 0}
        self._publisher = redis.Redis.from_url(url, max_connections=max_connections, **options)
        # The subscriber connects one attempt at a time: a pool of two is room enough.
        self._new_subscriber = partial(redis.Redis.from_url, url, max_connections=2, **options)
        self._subscriber = self._new_subscriber()
        self._timeout = timeout
        self._retry = retry_seconds
        self._task: asyncio.Task[None] | None = None
        self._connected = False
        self._missed = 0  # notices dropped since publishing last worked (0: none)
        self._publish_failing = False
        self._tasks: set[asyncio.Task[None]] = set()

    def _background(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def start(self, on_message: Handler, on_reconnect: Callable[[], None]) -> None:
        self._task = asyncio.create_task(self._listen(on_message, on_reconnect), name="bus-listener")

    @property
    def connected(self) -> bool:
        return self._connected

    async def publish(self, message: dict[str, Any]) -> None:
        if self._task is not None and not self._connected:
            self._missed += 1  # the subscriber has already logged that the bus is lost
            return
        if await self._send(message) and self._missed:
            await self._resync()

    async def _send(self, message: dict[str, Any]) -> bool:
        """Publish with a deadline; False (logged once per condition) if it did not go through."""
        try:
            async with asyncio.timeout(self._timeout):
                await self._publisher.publish(CHANNEL, orjson.dumps(message))
        except Exception as e:  # a timeout, no free connection, Redis gone: drop it, the stream has the event
            self._missed += 1
            if not self._publish_failing:
                self._publish_failing = True
                log.warning("bus publish failed (%s); dropping notices until it works again "
                            "(sockets catch up from their streams)", describe(e))
            return False
        if self._publish_failing:
            self._publish_failing = False
            log.info("bus publishes go through again")
        return True

    async def _resync(self) -> None:
        """Tell every process to have its listeners re-read: some notices were dropped."""
        missed, self._missed = self._missed, 0
        if await self._send(RESYNC):
            log.info("bus: %d notice(s) were dropped; asked every process to re-read its streams", missed)
        else:
            self._missed += missed

    async def _listen(self, on_message: Handler, on_reconnect: Callable[[], None]) -> None:
        """Subscribe, then read until Redis is lost; reconnect; forever. Every connection attempt and
        every silence is bounded by `timeout`, so a hung Redis is noticed as surely as a dead one."""
        loop = asyncio.get_running_loop()
        ever_connected = False
        failures = 0  # connection attempts failed in a row
        while True:
            pubsub = self._subscriber.pubsub()
            try:
                async with asyncio.timeout(self._timeout):
                    await pubsub.subscribe(CHANNEL)
                heard = loop.time()
                pinged_at: float | None = None
                while True:
                    raw = await pubsub.get_message(timeout=self._timeout / 4)
                    # Lost only when a ping went unanswered: silence alone may be a quiet channel, or this
                    # process's own event loop stalling. After a stall the answer may be buffered while the
                    # read above timed out, so whatever is already there is taken first.
                    if raw is None and pinged_at is not None and loop.time() - pinged_at >= self._timeout / 2:
                        raw = await pubsub.get_message(timeout=0)
                        if raw is None:
                            raise BusSilent(f"no answer from Redis for {loop.time() - heard:.1f} s")
                    now = loop.time()
                    if raw is None:
                        if pinged_at is None and now - heard >= self._timeout / 2:
                            pinged_at = now
                            async with asyncio.timeout(self._timeout):
                                await pubsub.ping()
                        continue
                    heard, pinged_at = now, None
                    kind = raw.get("type")
                    if kind == "message":
                        self._dispatch(raw["data"], on_message, on_reconnect)
                    elif kind == "subscribe" and not self._connected:  # Redis confirmed: we are live
                        self._connected = True
                        if ever_connected:
                            log.info("bus reconnected; listeners re-read their streams")
                            on_reconnect()
                        elif failures:
                            log.info("bus connected")
                        ever_connected, failures = True, 0
                        if self._missed:  # in the background: this loop must keep reading
                            self._background(self._resync())
            except asyncio.CancelledError:
                raise
            except Exception as e:
                failures += 1
                if self._connected:
                    log.warning("bus lost (%s); polling streams until it is back", describe(e))
                    self._connected = False
                    on_reconnect()  # wake everyone once: they re-read, then poll while we are down
                elif failures == 1:
                    log.warning("bus unavailable (%s); retrying every %g s", describe(e), self._retry)
            finally:
                self._connected = False
                try:
                    async with asyncio.timeout(self._timeout):
                        await pubsub.aclose()
                except Exception:  # its connection may still count as in use: start afresh, never stuck
                    old, self._subscriber = self._subscriber, self._new_subscriber()
                    self._background(old.aclose())
            await asyncio.sleep(self._retry)

    @staticmethod
    def _dispatch(data: bytes, on_message: Handler, on_reconnect: Callable[[], None]) -> None:
        try:
            message = orjson.loads(data)
            if message.get("resync"):
                on_reconnect()
            else:
                on_message(message)
        except Exception:
            log.exception("bad bus message %r", data)

    async def close(self) -> None:
        for task in [*self._tasks, *([self._task] if self._task else [])]:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        for client in (self._publisher, self._subscriber):
            with contextlib.suppress(Exception):
                async with asyncio.timeout(self._timeout):
                    await client.aclose()


def open_bus(url: str, *, timeout: float = 1.0, max_connections: int = 16) -> Bus:
    if not url:
        return LocalBus()
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisBus(url, timeout=timeout, max_connections=max_connections)
    raise ValueError("BARKER_BUS_URL must be empty (in-process) or redis://…")


async def publish_quietly(bus: Bus, message: dict[str, Any]) -> None:
    """Publish after a write committed; never fail the request for it."""
    try:
        await bus.publish(message)
    except Exception:
        log.exception("bus publish failed")

