"""RedisBus against a real redis-server that hangs (SIGSTOP) and comes back (SIGCONT): the hang is noticed,
publishing neither waits nor opens sockets without bound, and the bus recovers; and the "jobs queued"
notice a separate worker is woken by."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path
from typing import Any

import orjson
import redis.asyncio as redis

from barker.bus import CHANNEL, RedisBus, streams_advanced
from barker.gateway import StoreGateway
from barker.store.sqlite import SqliteStore
from tests.conftest import make_settings
from tests.servers import RedisServer

# Bounds for "eventually" in these tests: generous, so a loaded machine cannot fail them; a bus that never
# notices, never recovers or waits on a hung Redis fails them.
BOUND = 10.0


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


class Recorder:
    """What a bus hands its listener: messages, and reconnects (or resyncs: "re-read your streams")."""

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []
        self.rereads = 0

    def on_message(self, message: dict[str, Any]) -> None:
        self.messages.append(message)

    def on_reconnect(self) -> None:
        self.rereads += 1


async def eventually(check: Any, what: str) -> None:
    async with asyncio.timeout(BOUND):
        while not check():
            await asyncio.sleep(0.01)


class Observer:
    """A plain subscriber on the bus channel, as another process would be."""

    def __init__(self, url: str) -> None:
        self.client = redis.Redis.from_url(url)
        self.pubsub = self.client.pubsub(ignore_subscribe_messages=True)

    async def __aenter__(self) -> Observer:
        await self.pubsub.subscribe(CHANNEL)
        return self

    async def next(self) -> dict[str, Any]:
        async with asyncio.timeout(BOUND):
            while True:
                raw = await self.pubsub.get_message(timeout=1.0)
                if raw is not None:
                    return orjson.loads(raw["data"])

    async def __aexit__(self, *exc: object) -> None:
        await self.pubsub.aclose()
        await self.client.aclose()


def test_a_hung_redis_is_noticed_publishes_are_dropped_at_once_and_the_bus_comes_back(redis_server: RedisServer):
    async def scenario() -> None:
        bus = RedisBus(redis_server.url, timeout=0.3, max_connections=4, retry_seconds=0.1)
        seen = Recorder()
        await bus.start(seen.on_message, seen.on_reconnect)
        try:
            await eventually(lambda: bus.connected, "the bus to connect")
            await bus.publish(streams_advanced([7]))
            await eventually(lambda: seen.messages == [{"streams": [7]}], "our own notice")
            assert seen.rereads == 0

            redis_server.pause()
            # Nothing is published and the channel is quiet: only the subscriber's own pings can notice.
            await eventually(lambda: not bus.connected, "the hang to be noticed")
            assert seen.rereads == 1  # listeners were told to re-read (and then poll)

            fds = open_fds()
            async with asyncio.timeout(BOUND):  # each returns at once: nothing waits on a hung Redis
                await asyncio.gather(*(bus.publish(streams_advanced([i])) for i in range(500)))
            # No publishing connection was opened; at most the subscriber's retry (its pool holds two).
            assert open_fds() <= fds + 2

            redis_server.resume()
            await eventually(lambda: bus.connected, "the bus to reconnect")
            # Listeners re-read what the bus could not tell them: on the reconnect, and on the resync its
            # 500 dropped notices call for (meant for other processes; this one hears it too).
            await eventually(lambda: seen.rereads == 3, "the reconnect and the resync")
            await bus.publish(streams_advanced([8]))
            await eventually(lambda: {"streams": [8]} in seen.messages, "a notice after the hang")
        finally:
            redis_server.resume()
            await bus.close()

    asyncio.run(scenario())


def test_a_stalled_event_loop_is_not_a_lost_redis(redis_server: RedisServer):
    """This process stopping (a long GC pause, a starved CPU) is not Redis hanging: Redis's answer is
    waiting when the loop runs again, so the bus stays up and nobody is woken to re-read."""

    async def scenario() -> None:
        bus = RedisBus(redis_server.url, timeout=0.2, retry_seconds=0.1)
        seen = Recorder()
        await bus.start(seen.on_message, seen.on_reconnect)
        try:
            await eventually(lambda: bus.connected, "the bus to connect")
            for i in range(40):  # stalls landing at every point of the ping cycle
                time.sleep(0.3 + (i % 8) * 0.02)  # the point: the event loop stops
                await asyncio.sleep(0.01 * (i % 5))
            assert bus.connected and seen.rereads == 0
        finally:
            await bus.close()

    asyncio.run(scenario())


def test_publishes_to_a_hung_redis_hold_at_most_max_connections(redis_server: RedisServer):
    """Before the hang is noticed (or with no subscriber to notice it), publishes still cannot pile up
    sockets: each gives up after the timeout, and no more than max_connections are open at once."""

    async def scenario() -> None:
        bus = RedisBus(redis_server.url, timeout=0.5, max_connections=3)  # publishing only: never started
        try:
            await bus.publish(streams_advanced([1]))  # one pooled connection, as after normal use
            fds = open_fds()
            redis_server.pause()
            publishes = [asyncio.create_task(bus.publish(streams_advanced([i]))) for i in range(100)]
            await asyncio.sleep(0.2)  # they are all under way: the kernel accepts connections for Redis
            during = open_fds()
            async with asyncio.timeout(BOUND):
                await asyncio.gather(*publishes)
            assert during <= fds + 2  # the pooled one plus at most two more: 3 in all, not 100
            assert open_fds() <= fds + 2
        finally:
            redis_server.resume()
            await bus.close()

    asyncio.run(scenario())


def test_dropped_notices_are_followed_by_a_resync_once_publishing_works(redis_server: RedisServer):
    """A listener elsewhere whose own connection stayed up may have waited for a notice that was dropped:
    when publishing works again, every process is asked to re-read."""

    async def scenario() -> None:
        publisher = RedisBus(redis_server.url, timeout=0.3)  # publishing only, like a process mid-failure
        elsewhere = RedisBus(redis_server.url, timeout=0.3, retry_seconds=0.1)
        seen = Recorder()
        try:
            redis_server.pause()
            await publisher.publish(streams_advanced([1]))  # times out: dropped
            redis_server.resume()
            await elsewhere.start(seen.on_message, seen.on_reconnect)
            await eventually(lambda: elsewhere.connected, "the other process's bus")
            assert seen.rereads == 0  # a first connection re-reads nothing
            await publisher.publish(streams_advanced([2]))
            await eventually(lambda: seen.rereads == 1, "the resync")
            assert seen.messages == [{"streams": [2]}]
            await publisher.publish(streams_advanced([3]))  # nothing dropped since: no second resync
            await eventually(lambda: len(seen.messages) == 2, "the next notice")
            assert seen.rereads == 1
        finally:
            redis_server.resume()
            await publisher.close()
            await elsewhere.close()

    asyncio.run(scenario())


def gateway(tmp_path: Path, url: str, **settings: Any) -> StoreGateway:
    return StoreGateway(SqliteStore(tmp_path / "data" / "barker.db"),
                        make_settings(tmp_path, bus_url=url, bus_timeout_seconds=0.3, **settings))


def test_a_separate_worker_hears_of_queued_jobs_through_the_bus(redis_server: RedisServer, tmp_path: Path):
    api = gateway(tmp_path, redis_server.url, inprocess_worker=False)
    worker = gateway(tmp_path, redis_server.url)

    async def scenario() -> None:
        async with Observer(redis_server.url) as observer:
            await worker.listen_for_jobs()
            await api.bus.start(lambda message: None, lambda: None)
            await eventually(lambda: api.bus.connected and worker.bus.connected, "both buses")
            await worker.wait_for_jobs(0)  # the doorbell rung by the first connection, if any: cleared

            # A bark: "the author's stream advanced" and "a job was queued", in one turn: one message.
            api.announce(streams_advanced([5]))
            api.jobs_queued()
            assert await observer.next() == {"streams": [5], "jobs": True}
            async with asyncio.timeout(BOUND):  # long before its 60 s poll would
                await worker.wait_for_jobs(60)

            api.jobs_queued()  # a follow's backfill alone
            assert await observer.next() == {"jobs": True}
            async with asyncio.timeout(BOUND):
                await worker.wait_for_jobs(60)
        await api.bus.close()
        await worker.bus.close()

    try:
        asyncio.run(scenario())
    finally:
        api.close()
        worker.close()


def test_an_in_process_worker_is_not_announced_on_the_bus(redis_server: RedisServer, tmp_path: Path):
    """With the worker in the API process the doorbell is rung in memory; the bus carries nothing more."""
    api = gateway(tmp_path, redis_server.url, inprocess_worker=True)

    async def scenario() -> None:
        async with Observer(redis_server.url) as observer:
            await api.bus.start(lambda message: None, lambda: None)
            await eventually(lambda: api.bus.connected, "the bus")
            api.announce(streams_advanced([5]))
            api.jobs_queued()
            assert await observer.next() == {"streams": [5]}
            async with asyncio.timeout(BOUND):
                await api.wait_for_jobs(60)
        await api.bus.close()

    try:
        asyncio.run(scenario())
    finally:
        api.close()
