"""The fan-out worker's transaction: several jobs per commit, a row budget, round-robin, no duplicates."""

from __future__ import annotations

import pytest

from barker.fanout import SLICE_ROWS, fan_out_some
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
