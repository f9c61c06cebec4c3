"""A real `barker serve` and a separate `barker worker` sharing a real redis-server: the worker is woken
through the bus, and a Redis that hangs (SIGSTOP) delays no request, loses no event and leaks no socket."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest

from barker.bus import CHANNEL
from tests.live.client import Stream, User
from tests.live.test_redis_bus import Observer
from tests.servers import CHEAP_ARGON2, Process, RedisServer, Server, wait_until

# Correctness bounds, generous on purpose (a loaded machine must not fail them): far below what is being
# ruled out (a request waiting on a hung Redis; a worker woken only by its 60 s poll).
ANSWER_WITHIN = 5.0
DELIVERED_WITHIN = 15.0
MAX_CONNECTIONS = 4  # BARKER_BUS_MAX_CONNECTIONS for these tests


def open_fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


@pytest.fixture
def api_and_worker(start_server, redis_server: RedisServer, tmp_path: Path) -> Iterator:
    """api_and_worker(**BARKER_env) -> (server, worker): the API without its in-process worker, and a
    separate `barker worker`, both on the bus and subscribed; the worker is stopped at the end, whatever
    happens."""
    workers: list[Process] = []

    def start(**env: str) -> tuple[Server, Process]:
        bus = {"BARKER_BUS_URL": redis_server.url, **env}
        server = start_server(BARKER_INPROCESS_WORKER="false", **bus)
        worker = Process(["worker"], {"BARKER_DATA_DIR": str(tmp_path / "data"), **CHEAP_ARGON2, **bus},
                         tmp_path / "worker.log")
        workers.append(worker)
        worker.start()
        wait_until(lambda: redis_server.subscribers(CHANNEL) == 2, 20, 0.05,
                   "the API and the worker to subscribe")
        return server, worker

    yield start
    for worker in workers:
        worker.stop()


async def next_bark(stream: Stream) -> int:
    while True:
        event = await stream.next(DELIVERED_WITHIN)
        if event["type"] == "bark":
            return event["bark"]["id"]


def test_a_separate_worker_is_woken_through_the_bus(api_and_worker):
    # Both polls at 60 s: within the bound below, only the bus can wake the worker, and then the socket.
    server, worker = api_and_worker(BARKER_WORKER_POLL_SECONDS="60", BARKER_STREAM_POLL_SECONDS="60")
    reader, author = User(server.base, "reader"), User(server.base, "author")
    reader.follow(author)

    async def scenario() -> None:
        stream = await Stream.open(server.ws, reader.token)
        await stream.until_caught_up()
        for i in range(3):  # each one woken afresh, not a lucky start-up poll
            posted = author.bark(f"fanned out by the worker process, woken through the bus ({i})")
            assert await next_bark(stream) == posted["id"]
        await stream.close()

    asyncio.run(scenario())
    assert "bus unavailable" not in worker.output()


def test_a_hung_redis_delays_no_bark_loses_no_event_and_leaks_no_socket(api_and_worker, redis_server):
    server, worker = api_and_worker(BARKER_STREAM_POLL_SECONDS="0.5", BARKER_WORKER_POLL_SECONDS="0.5",
                                    BARKER_BUS_MAX_CONNECTIONS=str(MAX_CONNECTIONS))
    reader, author = User(server.base, "reader"), User(server.base, "author")
    reader.follow(author)
    prompt = httpx.Client(timeout=ANSWER_WITHIN)  # a bark that waits on the hung Redis fails the test

    def bark(text: str) -> int:
        r = prompt.post(f"{server.base}/v1/barks", json={"text": text}, headers=author.auth)
        assert r.status_code == 201, r.text
        return r.json()["id"]

    async def scenario() -> None:
        stream = await Stream.open(server.ws, reader.token)
        await stream.until_caught_up()
        before = bark("before the hang")
        assert await next_bark(stream) == before  # through the bus; and now the API has every fd it needs
        fds = most = open_fds(server.proc.pid)

        redis_server.pause()
        posted = []
        for i in range(60):
            posted.append(bark(f"while Redis hangs {i}"))
            most = max(most, open_fds(server.proc.pid))
        # Every one reaches the socket (the worker and the API both poll once the hang is noticed) ...
        assert [await next_bark(stream) for _ in posted] == posted
        # ... and however many barks, the API holds at most its publishing pool and the subscriber's retry
        # more than before (without the bounds: a new connection per notice, held for good).
        most = max(most, open_fds(server.proc.pid))
        assert most <= fds + MAX_CONNECTIONS + 2, (fds, most)
        # The hang lasts until both processes have noticed it (a silence of the bus timeout, 1 s): the API
        # may deliver all 60 barks sooner, and the worker would then never see Redis hang.
        wait_until(lambda: all("bus lost" in p.output() for p in (server, worker)), 20, 0.05,
                   "both processes to notice the hang")

        redis_server.resume()
        wait_until(lambda: redis_server.subscribers(CHANNEL) == 2, 20, 0.05, "both to subscribe again")
        async with Observer(redis_server.url) as observer:
            back = bark("Redis is back")
            assert await next_bark(stream) == back
            # Delivered through the bus again: the worker announced the reader's stream on the channel.
            while reader.id not in (await observer.next()).get("streams", ()):
                pass
        assert open_fds(server.proc.pid) <= fds + MAX_CONNECTIONS + 2
        await stream.close()

    try:
        asyncio.run(scenario())
    finally:
        prompt.close()
        redis_server.resume()
    for process in (server, worker):  # both noticed the hang, and both came back
        assert "bus lost" in process.output() and "bus reconnected" in process.output(), process.output()
