"""The stream hub's batched reads: the listeners a wake-up touches read their streams in one store call
per READ_GROUP, each getting exactly what reading alone would give it."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from barker import fanout
from barker.errors import StoreUnavailable
from barker.gateway import StoreGateway
from barker.ids import IdGenerator
from barker.ports.types import NewUser
from barker.services.streams import tokens_gone
from barker.settings import Settings
from barker.store.sqlite import SqliteStore
from barker.streams import READ_GROUP, StreamHub
from tests.pages import stream_seqs


@pytest.fixture
def gateway(tmp_path: Path):
    gw = StoreGateway(SqliteStore(tmp_path / "hub.db"), Settings(data_dir=tmp_path))
    yield gw
    gw.close()


def test_reads_in_one_turn_share_a_store_call(gateway):
    store, ids = gateway.store, IdGenerator(7)
    author = ids.next()
    fans = [ids.next() for _ in range(READ_GROUP + 10)]
    for uid in (author, *fans):
        store.create_user(NewUser(uid, f"u{uid}", f"u{uid}", "U", "", "h"))
    for fan in fans:
        store.follow(fan, author, ids.next(), ids.next())
    barks = [store.post_bark(ids.next(), author, f"bark {i}", None, 10_000, ids.next()).id for i in range(3)]
    fanout.drain(store, 10_000)
    seqs = [0, *stream_seqs(store, fans[0])]  # one fan-out batch: every fan has the same seqs
    calls = []
    real = store.stream_events_many
    store.stream_events_many = lambda requests, limit: calls.append(len(requests)) or real(requests, limit)
    cursors = [seqs[i % 3] for i in range(len(fans))]  # each socket stopped somewhere else

    async def read_all():
        hub = StreamHub(gateway, tokens_gone=tokens_gone, poll_seconds=60, worker_in_process=True)
        try:
            reads = [hub.events_after(hub.register(fan), after) for fan, after in zip(fans, cursors, strict=True)]
            return await asyncio.gather(*reads)
        finally:
            await hub.close()

    slices = asyncio.run(read_all())
    assert calls == [READ_GROUP, 10]
    for fan, after, got in zip(fans, cursors, slices, strict=True):
        assert [e["bark"]["id"] for e in got.events] == barks[seqs.index(after):]
        assert got == real([(fan, after)], 200)[0]


def test_a_failed_read_reaches_every_listener_in_the_group(gateway):
    def unavailable(requests, limit):
        raise StoreUnavailable("sqlite: disk I/O error")

    gateway.store.stream_events_many = unavailable  # the fault injected; the hub is what is under test

    async def read_all():
        hub = StreamHub(gateway, tokens_gone=tokens_gone, poll_seconds=60, worker_in_process=True)
        try:
            return await asyncio.gather(*(hub.events_after(hub.register(owner), 0) for owner in (1, 2, 3)),
                                        return_exceptions=True)
        finally:
            await hub.close()

    assert [type(r) for r in asyncio.run(read_all())] == [StoreUnavailable] * 3


def test_a_wake_up_starts_the_read_of_a_parked_listener(gateway):
    """The read starts when the wake-up arrives, not when the woken session gets round to asking; a session
    that asks from another cursor reads anew, and a listener that was busy gets no read started."""
    store, ids = gateway.store, IdGenerator(7)
    author, fan, busy = ids.next(), ids.next(), ids.next()
    for uid in (author, fan, busy):
        store.create_user(NewUser(uid, f"u{uid}", f"u{uid}", "U", "", "h"))
    for follower in (fan, busy):
        store.follow(follower, author, ids.next(), ids.next())
    bark = store.post_bark(ids.next(), author, "hi", None, 10_000, ids.next()).id
    fanout.drain(store, 10_000)
    calls = []
    real = store.stream_events_many
    store.stream_events_many = lambda requests, limit: calls.append(list(requests)) or real(requests, limit)

    async def wake_then_ask():
        hub = StreamHub(gateway, tokens_gone=tokens_gone, poll_seconds=60, worker_in_process=True)
        try:
            parked, working = hub.register(fan), hub.register(busy)
            parked.parked_at = 0
            hub._on_message({"streams": [fan, busy]})
            assert working.prefetched is None and parked.prefetched is not None
            await asyncio.sleep(0.1)  # the read runs before the session asks
            assert calls == [[(fan, 0)]]
            first = await hub.events_after(parked, 0)
            parked.parked_at = first.last_seq
            hub._on_message({"streams": [fan]})
            again = await hub.events_after(parked, 0)  # not where it parked: read anew
            return first, again
        finally:
            await hub.close()

    first, again = asyncio.run(wake_then_ask())
    assert [e["bark"]["id"] for e in first.events] == [bark] and first == again
    assert calls == [[(fan, 0)], [(fan, first.last_seq), (fan, 0)]]  # the two asked in one turn: one read
