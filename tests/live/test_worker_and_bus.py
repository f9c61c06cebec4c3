"""The fan-out worker as its own process, killed with -9 mid-job; two API processes sharing a Redis bus,
and what happens when Redis goes away."""

from __future__ import annotations

import asyncio
import sqlite3

from barker.ids import IdGenerator
from barker.ports.types import NewUser
from barker.store.sqlite import SqliteStore
from tests.live.client import Stream, User
from tests.servers import CHEAP_ARGON2, Process, wait_until

FOLLOWERS = 10_000


def stream_copies(db, bark_id: int) -> tuple[int, int]:
    """(stream rows holding the bark, distinct owners among them), read the way a third process would."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return conn.execute("SELECT count(*), count(DISTINCT owner) FROM stream_all WHERE kind = 'bark' AND ref = ?",
                            (bark_id,)).fetchone()


def test_kill_9_mid_fanout_then_restart_delivers_exactly_once(tmp_path):
    data = tmp_path / "data"
    store = SqliteStore(data / "barker.db")
    ids = IdGenerator(1)
    author = ids.next()
    with store.bulk():
        store.create_user(NewUser(author, "star", "star", "Star", "", "x"))
        followers = [ids.next() for _ in range(FOLLOWERS)]
        for i, f in enumerate(followers):
            store.create_user(NewUser(f, f"fan{i}", f"fan{i}", "Fan", "", "x"))
            store.follow(f, author, ids.next(), ids.next())
    bark = store.post_bark(ids.next(), author, "to everyone", None, 1_000_000, ids.next()).id
    store.close()
    db = data / "barker.db"

    env = {"BARKER_DATA_DIR": str(data), "BARKER_FANOUT_BATCH_SIZE": "10", **CHEAP_ARGON2}
    worker = Process(["worker"], env, tmp_path / "worker1.log").start()
    partial = wait_until(lambda: stream_copies(db, bark)[0] > 1, 30, 0.005, "fan-out to start")
    worker.kill()  # SIGKILL, mid-job
    copied_at_kill = stream_copies(db, bark)[0]
    assert partial and 1 < copied_at_kill < FOLLOWERS + 1, worker.output()  # +1: the author's own entry

    restarted = Process(["worker"], env, tmp_path / "worker2.log").start()
    try:
        wait_until(lambda: stream_copies(db, bark)[0] == FOLLOWERS + 1, 60, 0.05, "fan-out to finish")
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            wait_until(lambda: conn.execute("SELECT count(*) FROM jobs").fetchone()[0] == 0, 10)
    finally:
        restarted.stop()
    assert stream_copies(db, bark) == (FOLLOWERS + 1, FOLLOWERS + 1)  # every follower once, and the author


def test_bark_through_one_process_reaches_a_socket_on_another_even_without_redis(start_server, redis_server,
                                                                               tmp_path):
    bus = {"BARKER_BUS_URL": redis_server.url, "BARKER_STREAM_POLL_SECONDS": "0.5"}
    a = start_server(**bus)
    b = start_server(**bus)
    reader, author = User(a.base, "reader"), User(a.base, "author")
    reader.follow(author)

    async def next_bark(stream: Stream, timeout: float) -> int:
        while True:
            event = await stream.next(timeout)
            if event["type"] == "bark":
                return event["bark"]["id"]

    async def scenario():
        stream = await Stream.open(b.ws, reader.token)  # the socket lives on process B
        await stream.until_caught_up()
        posted = author.bark("via A", base=a.base)
        assert await next_bark(stream, 3) == posted["id"]

        redis_server.stop()  # the bus is gone: B falls back to polling the durable stream
        while_down = author.bark("while Redis is down", base=a.base)
        assert await next_bark(stream, 5) == while_down["id"]

        redis_server.start_again()
        await asyncio.sleep(1.5)  # B's bus reconnects
        back = author.bark("Redis is back", base=a.base)
        assert await next_bark(stream, 5) == back["id"]
        await stream.close()

    asyncio.run(scenario())


def test_separate_worker_without_a_bus_still_reaches_sockets(start_server, tmp_path):
    """`barker worker` with the in-process bus cannot wake the API process: its sockets poll instead."""
    server = start_server(BARKER_INPROCESS_WORKER="false", BARKER_STREAM_POLL_SECONDS="0.3")
    reader, author = User(server.base, "reader"), User(server.base, "author")
    reader.follow(author)
    worker = Process(["worker"], {"BARKER_DATA_DIR": str(tmp_path / "data"), **CHEAP_ARGON2},
                     tmp_path / "worker.log").start()

    async def scenario():
        stream = await Stream.open(server.ws, reader.token)
        await stream.until_caught_up()
        posted = author.bark("fanned out by the worker process")
        event = await stream.next(5)
        assert event["bark"]["id"] == posted["id"]
        await stream.close()

    try:
        asyncio.run(scenario())
    finally:
        worker.stop()
