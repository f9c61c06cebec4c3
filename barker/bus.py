"""The bus: "these users' streams advanced" and "this above-threshold author barked", between processes.

The durable stream is the truth; the bus only wakes sockets, so a lost message delays an event but never
loses it (sessions also re-read their stream when the bus reconnects, and poll while it is down).

- `LocalBus` (default): in-process. Enough for one `barker serve` with its in-process fan-out worker.
- `RedisBus` (`BARKER_BUS_URL=redis://host:port/db`): Redis pub/sub on one channel, for several backend
  processes and a separate `barker worker`.

A message is a small JSON object: {"streams": [user ids]} or {"bark": id, "author": id} (a bark that was
not copied into streams, delivered live to followers who are online).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterable
from typing import Any, Protocol

import orjson

log = logging.getLogger("barker.bus")
CHANNEL = "barker:streams"
Handler = Callable[[dict[str, Any]], None]


class Bus(Protocol):
    shared: bool  # reaches other processes

    async def start(self, on_message: Handler, on_reconnect: Callable[[], None]) -> None: ...
    async def publish(self, message: dict[str, Any]) -> None: ...
    @property
    def connected(self) -> bool: ...
    async def close(self) -> None: ...


def streams_advanced(owners: Iterable[int]) -> dict[str, Any]:
    return {"streams": sorted(set(owners))}


def live_bark(bark_id: int, author: int) -> dict[str, Any]:
    return {"bark": bark_id, "author": author}


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
    """Redis pub/sub with reconnection. Publishing while Redis is down logs and drops the message (the
    stream already holds the event); the subscriber reconnects with backoff and reports each reconnect,
    so listeners re-read what they may have missed."""

    shared = True

    def __init__(self, url: str, *, retry_seconds: float = 0.5) -> None:
        import redis.asyncio as redis  # optional at import time: only needed with BARKER_BUS_URL

        self._redis = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=None,
                                           health_check_interval=5)
        self._retry = retry_seconds
        self._task: asyncio.Task[None] | None = None
        self._connected = False

    async def start(self, on_message: Handler, on_reconnect: Callable[[], None]) -> None:
        self._task = asyncio.create_task(self._listen(on_message, on_reconnect), name="bus-listener")

    @property
    def connected(self) -> bool:
        return self._connected

    async def publish(self, message: dict[str, Any]) -> None:
        try:
            await self._redis.publish(CHANNEL, orjson.dumps(message))
        except Exception as e:  # the durable stream still holds the event; listeners poll while we are down
            log.warning("bus publish failed (%s); subscribers will catch up from the stream", e)

    async def _listen(self, on_message: Handler, on_reconnect: Callable[[], None]) -> None:
        first = True
        while True:
            pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(CHANNEL)
                self._connected = True
                if not first:
                    log.info("bus reconnected")
                    on_reconnect()
                first = False
                async for raw in pubsub.listen():
                    if raw.get("type") == "message":
                        try:
                            on_message(orjson.loads(raw["data"]))
                        except Exception:
                            log.exception("bad bus message %r", raw.get("data"))
            except asyncio.CancelledError:
                raise
            except Exception as e:
                if self._connected:
                    log.warning("bus connection lost (%s); polling streams until it is back", e)
                self._connected = False
                on_reconnect()  # wake everyone once: they re-read and fall back to polling
                await asyncio.sleep(self._retry)
            finally:
                self._connected = False
                with contextlib.suppress(Exception):
                    await pubsub.aclose()

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        with contextlib.suppress(Exception):
            await self._redis.aclose()


def open_bus(url: str) -> Bus:
    if not url:
        return LocalBus()
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisBus(url)
    raise ValueError("BARKER_BUS_URL must be empty (in-process) or redis://…")


async def publish_quietly(bus: Bus, message: dict[str, Any]) -> None:
    """Publish after a write committed; never fail the request for it."""
    try:
        await bus.publish(message)
    except Exception:
        log.exception("bus publish failed")

