"""The ArangoDB adapter applies barker/policies.py with the same errors and codes as the SQLite store, checked
without a server (tests/arango_driver_fake.py): here, where no ArangoDB runs, the contract suite covers only
SQLite."""

from __future__ import annotations

from typing import Any

import pytest

from barker.errors import Conflict, Invalid, NotFound
from barker.policies import BACKFILL_FETCH, BACKFILL_LIMIT, BIO_TIER, HANDLE_TIER, MAX_REACTIONS_PER_USER, NAME_TIER
from barker.ports.types import Job
from barker.store.arango import ArangoStore
from barker.store.arango_support import follow_key, key
from tests.arango_driver_fake import Recorder, fake_store

ALICE, BOB, BARK, REBARK = 1001, 1002, 5001, 5002


def user_doc(user_id: int, **extra: Any) -> dict[str, Any]:
    return {"_key": key(user_id), "id": user_id, "handle": f"u{user_id}", "followers_count": 0, "barks_count": 0,
            "has_unfanned": False, "stream_floor": 0, "stream_trimmed": 0, "stream_head": 0, "password_hash": "h",
            **extra}


@pytest.fixture
def rec() -> Recorder:
    rec = Recorder()
    rec.documents[("users", key(ALICE))] = user_doc(ALICE, barks_count=300)
    rec.documents[("users", key(BOB))] = user_doc(BOB, stream_floor=7)
    rec.documents[("barks", key(BARK))] = {"_key": key(BARK), "id": BARK, "author": ALICE, "rebark_of": None,
                                           "reactions": {}}
    rec.documents[("barks", key(REBARK))] = {"_key": key(REBARK), "id": REBARK, "author": BOB, "rebark_of": BARK,
                                             "reactions": {}}
    return rec


@pytest.fixture
def store(rec: Recorder) -> ArangoStore:
    return fake_store(rec, stream_retain=1000)


def test_self_follow_is_refused_with_the_services_code_and_writes_nothing(store: ArangoStore, rec: Recorder) -> None:
    with pytest.raises(Invalid) as refused:
        store.follow(ALICE, ALICE, 1, 2)
    assert refused.value.code == "self_follow"
    assert rec.writes == [] and ("follows", follow_key(ALICE, ALICE)) not in rec.documents


def test_a_ninth_reaction_is_refused(store: ArangoStore, rec: Recorder) -> None:
    rec.canned["my_reactions_on"] = [chr(0x1F400 + i) for i in range(MAX_REACTIONS_PER_USER)]
    with pytest.raises(Invalid) as refused:
        store.add_reaction(BARK, BOB, "🐶", 77)
    assert refused.value.code == "too_many_reactions"
    assert rec.writes == []


def test_a_second_rebark_is_a_conflict(store: ArangoStore, rec: Recorder) -> None:
    rec.canned["rebark_id"] = [REBARK]
    with pytest.raises(Conflict) as refused:
        store.post_bark(6001, BOB, None, BARK, 10_000, 6002)
    assert refused.value.code == "already_rebarked"
    assert rec.writes == []


@pytest.mark.parametrize("target", [REBARK, 424242])  # a rebark of a rebark; no such bark
def test_only_an_existing_original_can_be_rebarked(store: ArangoStore, rec: Recorder, target: int) -> None:
    rec.canned["rebark_id"] = []
    with pytest.raises(NotFound):
        store.post_bark(6001, ALICE, None, target, 10_000, 6002)
    assert rec.writes == []


@pytest.mark.parametrize(("followers", "fanned_out"), [(10, True), (11, False)])
def test_the_fan_out_threshold_is_inclusive(store: ArangoStore, rec: Recorder, followers: int,
                                            fanned_out: bool) -> None:
    rec.documents[("users", key(ALICE))]["followers_count"] = followers
    rec.canned["stream_append"] = [1]
    assert store.post_bark(6001, ALICE, "hi", None, 10, 6002).fanned_out is fanned_out
    assert (("jobs", key(6002)) in rec.documents) is fanned_out


@pytest.mark.parametrize(("eligible", "floor"), [(BACKFILL_LIMIT, 7), (BACKFILL_FETCH, 9000 + 2)])
def test_backfill_raises_the_floor_only_when_barks_were_left_out(store: ArangoStore, rec: Recorder, eligible: int,
                                                                 floor: int) -> None:
    rec.documents[("jobs", key(3))] = {"_key": key(3), "id": 3, "cursor": 0}
    rec.documents[("follows", follow_key(BOB, ALICE))] = {"_key": follow_key(BOB, ALICE)}
    rec.canned["author_barks_since"] = list(range(9000 + eligible, 9000, -1))
    rec.canned["stream_append"] = lambda bind: list(range(1, len(bind["refs"]) + 1))
    assert store.run_fanout_batch(Job(3, "backfill", 0, ALICE, BOB, 0), 5).rows_written == BACKFILL_LIMIT
    assert rec.documents[("users", key(BOB))]["stream_floor"] == floor


def test_search_walks_the_tiers_like_the_sqlite_store(store: ArangoStore, rec: Recorder) -> None:
    rec.canned.update({"search_handles": [ALICE], "search_names": [BOB], "search_bios": [3003]})
    assert store.search_users("al", ["Alice"], (0, 0), 10) == [(HANDLE_TIER, ALICE), (NAME_TIER, BOB),
                                                               (BIO_TIER, 3003)]
    assert store.search_users("al", [], (0, 0), 1) == [(HANDLE_TIER, ALICE)]
    asked = [name for name, _, _ in rec.queries if name.startswith("search_")]
    assert asked == ["search_handles", "search_names", "search_bios", "search_handles"]
