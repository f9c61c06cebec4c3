"""The fan-out worker's transaction (several jobs per commit, a row budget, round-robin, no duplicates) and its
compaction policy."""

from __future__ import annotations

import asyncio
import contextlib

import pytest

from barker.fanout import fan_out_some, run_worker
from barker.gateway import StoreGateway
from barker.ids import IdGenerator
from barker.policies import TRIM_EVERY
from barker.ports.types import NewUser
from barker.settings import Settings
from barker.store.sqlite import SqliteStore
from barker.store.sqlite_maintenance import MIN_PASS_ROWS, ROWS_PER_OWNER, Compactor, compact_all


@pytest.fixture
def setup(tmp_path):
    store = SqliteStore(tmp_path / "f.db")
    ids = IdGenerator(0)
    users = [ids.next() for _ in range(301)]
    with store.bulk():
        for i, uid in enumerate(users):
            store.create_user(NewUser(uid, f"u{i}", f"u{i}", "U", "", "x"))
        big, small = users[0], users[1]
        for f in users[2:]:
            store.follow(f, big, ids.next(), ids.next())  # 299 followers
        store.follow(users[2], small, ids.next(), ids.next())  # 1 follower
    yield store, ids, big, small, users
    store.close()


def test_budget_round_robin_and_completion(setup):
    store, ids, big, small, users = setup
    big_bark = store.post_bark(ids.next(), big, "big", None, 10_000, ids.next()).id
    small_bark = store.post_bark(ids.next(), small, "small", None, 10_000, ids.next()).id
    first = fan_out_some(store, budget_rows=50).rows
    assert first == 50  # the budget caps one transaction
    # Round-robin: the small author's single follower is served in the second transaction at the latest,
    # not after all 299 of the big author's.
    second = fan_out_some(store, budget_rows=60).rows
    assert second == 60
    assert store.home_stream(users[2], None, 10).bark_ids == [small_bark, big_bark]
    total = first + second
    while store.pending_jobs():
        total += fan_out_some(store, budget_rows=120).rows
    assert total == 300
    for follower in users[3:]:
        assert store.home_stream(follower, None, 10).bark_ids == [big_bark]
    assert fan_out_some(store, budget_rows=500).rows == 0


def test_compactor_starts_at_the_threshold_and_runs_until_nothing_is_left(setup):
    store, ids, big, _small, users = setup
    compactor = Compactor(store.uncompacted_stream_rows(), threshold=700)
    store.post_bark(ids.next(), big, "big", None, 10_000, ids.next())
    compactor.appended(fan_out_some(store, budget_rows=1000).rows)
    assert not compactor.due()  # the setup's 300 follow events + 299 copies: below 700
    store.post_bark(ids.next(), big, "again", None, 10_000, ids.next())
    compactor.appended(fan_out_some(store, budget_rows=1000).rows)
    assert compactor.due()
    slices = 0
    while compactor.due():
        compactor.run_slice(store, 100)
        slices += 1
    assert store.uncompacted_stream_rows() == 0
    assert slices > 2  # in slices of about 100 rows
    assert compactor.pending == 0
    assert len(store.home_stream(users[5], None, 10).bark_ids) == 2


def test_a_compaction_pass_resumes_after_its_last_owner_and_ends(setup):
    """Each slice continues past the owners the last one moved; rows appended behind the pass wait for the
    next one (a pass that restarted from the lowest owner would chase the fan-out and never end)."""
    store, ids, big, _small, users = setup
    compact_all(store, 1000)  # the setup's follow events
    store.post_bark(ids.next(), big, "first", None, 10_000, ids.next())
    fan_out_some(store, budget_rows=1000)
    compactor = Compactor(store.uncompacted_stream_rows(), threshold=1)
    compactor.run_slice(store, 100)
    passed = compactor.cursor
    assert passed is not None and users[2] <= passed < users[-1]
    # A new bark reaches every follower, those the pass has passed included.
    store.post_bark(ids.next(), big, "second", None, 10_000, ids.next())
    fan_out_some(store, budget_rows=1000)
    while compactor.cursor is not None:
        previous = compactor.cursor
        compactor.run_slice(store, 100)
        assert compactor.cursor is None or compactor.cursor > previous
    behind = [u for u in [big, *users[2:]] if u <= passed]  # the author has its own barks in its stream
    assert store.uncompacted_stream_rows() == len(behind)  # "second", for the owners passed before it came
    compactor.recount(store)  # as the worker does after a pass
    assert compactor.pending == len(behind)
    assert compactor.due()  # threshold 1: the next pass picks them up
    compactor.run_slice(store, 1000)
    assert compactor.cursor is None and store.uncompacted_stream_rows() == 0
    assert all(len(store.home_stream(u, None, 10).bark_ids) == 2 for u in users[2:])


def test_a_pass_starts_once_the_fresh_tier_is_dense_or_at_the_cap():
    sparse = Compactor(0, threshold=10**9)
    sparse.appended(MIN_PASS_ROWS, owners=range(2 * MIN_PASS_ROWS // ROWS_PER_OWNER))
    assert not sparse.due()  # 8 entries per owner
    sparse.appended(MIN_PASS_ROWS, owners=range(2 * MIN_PASS_ROWS // ROWS_PER_OWNER))  # the same owners again
    assert sparse.due()  # 16 per owner
    few = Compactor(0, threshold=10**9)
    few.appended(MIN_PASS_ROWS - 1, owners=[1])
    assert not few.due()  # dense, but too little to be worth a pass
    capped = Compactor(0, threshold=1000)
    capped.appended(1000, owners=range(1000))
    assert capped.due()  # one entry per owner, but the cap is reached
    # During a pass, owners ahead of it are not counted: the pass will move their entries.
    passing = Compactor(0, threshold=10**9, cursor=500)
    passing.appended(10, owners=range(490, 510))
    assert passing.owners == set(range(490, 501))


def test_an_idle_worker_compacts_what_requests_appended_and_retention_follows(tmp_path):
    """Own barks, reactions and follows are appended by requests, outside the worker's estimate; a worker
    idle for `idle_pass_seconds` recounts and compacts them, and compaction brings retention. A real
    store and gateway; the worker runs as it does in the server."""
    gw = StoreGateway(SqliteStore(tmp_path / "idle.db", stream_retain=50), Settings(data_dir=tmp_path))
    store, ids = gw.store, IdGenerator(5)
    me = ids.next()
    store.create_user(NewUser(me, "me", "me", "Me", "", "x"))
    barks = [store.post_bark(ids.next(), me, f"bark {i}", None, 10_000, ids.next()).id
             for i in range(50 + TRIM_EVERY)]
    assert Compactor(0, threshold=10**9).start_idle_pass(store)  # what the idle worker does first
    empty = SqliteStore(tmp_path / "empty.db")
    assert not Compactor(0, threshold=10**9).start_idle_pass(empty)
    empty.close()

    async def run_until_trimmed() -> None:
        worker = asyncio.create_task(run_worker(gw, idle_poll_seconds=0.05, idle_pass_seconds=0.3))
        try:
            deadline = asyncio.get_running_loop().time() + 30
            while store.uncompacted_stream_rows() and asyncio.get_running_loop().time() < deadline:
                await asyncio.sleep(0.05)
        finally:
            worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await worker

    try:
        asyncio.run(run_until_trimmed())
        assert store.uncompacted_stream_rows() == 0
        kept = store.stream_events(me, 0, 1000)
        assert kept.gap and [e["bark"]["id"] for e in kept.events] == barks[-50:]
    finally:
        gw.close()
