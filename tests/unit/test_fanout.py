"""The fan-out worker's transaction (several jobs per commit, a row budget, round-robin, no duplicates) and its
compaction policy."""

from __future__ import annotations

import pytest

from barker.fanout import SLICE_ROWS, Compactor, fan_out_some
from barker.ids import IdGenerator
from barker.store.base import NewUser
from barker.store.sqlite import SqliteStore


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
    fan_out_some(store, budget_rows=SLICE_ROWS)
    assert store.home_stream(users[2], None, 10).bark_ids == [small_bark, big_bark]
    total = first + SLICE_ROWS
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
        compactor.compacted(store.compact_streams(100))
        slices += 1
    assert store.uncompacted_stream_rows() == 0
    assert slices > 2  # in slices of about 100 rows, plus the one that finds nothing left
    assert compactor.pending == 0
    assert len(store.home_stream(users[5], None, 10).bark_ids) == 2
