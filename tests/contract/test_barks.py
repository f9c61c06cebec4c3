"""Store contract: barks, rebarks, reactions, deletion, rendering."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from barker.errors import Conflict, Invalid, NotFound
from barker.ids import created_ms
from barker.models import Bark
from barker.policies import MAX_REACTIONS_PER_USER


@pytest.fixture
def two(make_user):
    return make_user("alice"), make_user("bob")


def post(store, ids, author, text="hello"):
    return store.post_bark(ids.next(), author, text, None, 10_000, ids.next()).id


def test_bark_view_shape(store, ids, two):
    alice, _ = two
    bark = post(store, ids, alice, "héllo 🐶")
    [view] = store.bark_views([bark], alice)
    Bark.model_validate(view)
    assert view["id"] == bark and view["text"] == "héllo 🐶"
    assert view["author"] == {"id": alice, "handle": "alice", "display_name": "Alice", "avatar_url": None,
                              "avatar_thumbnail_url": None}
    assert view["media"] == []
    made = datetime.fromtimestamp(created_ms(bark) / 1000, UTC)
    assert view["created_at"] == made.strftime("%Y-%m-%dT%H:%M:%S.") + f"{made.microsecond // 1000:03d}Z"
    assert (view["reactions"], view["my_reactions"], view["rebark_count"]) == ({}, [], 0)
    assert view["rebarked_by_me"] is False and view["rebark_of"] is None
    assert store.user_view(alice, None)["barks_count"] == 1


def test_views_skip_missing_and_sort_newest_first(store, ids, two):
    alice, _ = two
    first, second = post(store, ids, alice), post(store, ids, alice)
    assert [v["id"] for v in store.bark_views([first, 999, second], None)] == [second, first]
    assert store.bark_views([], None) == []


def test_rebark(store, ids, two):
    alice, bob = two
    original = post(store, ids, alice)
    rebark = store.post_bark(ids.next(), bob, None, original, 10_000, ids.next()).id
    with pytest.raises(Conflict) as refused:
        store.post_bark(ids.next(), bob, None, original, 10_000, ids.next())
    assert refused.value.code == "already_rebarked"
    assert store.rebark_id(bob, original) == rebark
    [view] = store.bark_views([rebark], bob)
    Bark.model_validate(view)
    assert view["text"] is None and view["author"]["id"] == bob
    assert view["rebark_of"]["id"] == original and view["rebark_of"]["rebarked_by_me"] is True
    assert view["rebark_of"]["rebark_count"] == 1
    with pytest.raises(NotFound):
        store.post_bark(ids.next(), bob, None, 424242, 10_000, ids.next())
    with pytest.raises(NotFound):  # a rebark cannot itself be rebarked; services pass the original
        store.post_bark(ids.next(), alice, None, rebark, 10_000, ids.next())


def test_delete_cascades_to_rebarks_and_reactions(store, ids, two, make_user):
    alice, bob = two
    carol = make_user("carol")
    original = post(store, ids, alice)
    store.post_bark(ids.next(), bob, None, original, 10_000, ids.next())
    store.add_reaction(original, carol, "🐶", ids.next())
    store.delete_bark(original)
    assert store.bark_views([original], None) == []
    assert store.rebark_id(bob, original) is None
    assert store.user_view(alice, None)["barks_count"] == 0
    assert store.user_view(bob, None)["barks_count"] == 0
    with pytest.raises(NotFound):
        store.delete_bark(original)


def test_deleting_a_rebark_updates_the_count(store, ids, two):
    alice, bob = two
    original = post(store, ids, alice)
    rebark = store.post_bark(ids.next(), bob, None, original, 10_000, ids.next()).id
    store.delete_bark(rebark)
    assert store.bark_views([original], bob)[0]["rebark_count"] == 0
    assert store.bark_views([original], bob)[0]["rebarked_by_me"] is False


def test_reactions(store, ids, two):
    alice, bob = two
    bark = post(store, ids, alice)
    assert store.add_reaction(bark, bob, "🐶", ids.next())
    assert not store.add_reaction(bark, bob, "🐶", ids.next())  # idempotent
    assert store.add_reaction(bark, bob, "👍", ids.next())
    assert store.add_reaction(bark, alice, "🐶", ids.next())
    view = store.bark_views([bark], bob)[0]
    assert view["reactions"] == {"🐶": 2, "👍": 1}
    assert set(view["my_reactions"]) == {"👍", "🐶"}
    assert store.remove_reaction(bark, bob, "🐶")
    assert not store.remove_reaction(bark, bob, "🐶")
    assert store.bark_views([bark], bob)[0]["reactions"] == {"🐶": 1, "👍": 1}
    store.remove_reaction(bark, bob, "👍")
    assert store.bark_views([bark], None)[0]["reactions"] == {"🐶": 1}
    with pytest.raises(NotFound):
        store.add_reaction(999, bob, "🐶", ids.next())
    with pytest.raises(NotFound):
        store.remove_reaction(999, bob, "🐶")


def test_reactions_per_user_are_bounded(store, ids, two):
    alice, bob = two
    bark = post(store, ids, alice)
    emoji = ["🐶", "👍", "❤️", "😂", "🎉", "🔥", "👀", "🙌", "🐱"]
    for e in emoji[:MAX_REACTIONS_PER_USER]:
        store.add_reaction(bark, bob, e, ids.next())
    with pytest.raises(Invalid) as refused:
        store.add_reaction(bark, bob, emoji[MAX_REACTIONS_PER_USER], ids.next())
    assert refused.value.code == "too_many_reactions"
    assert sum(store.bark_views([bark], bob)[0]["reactions"].values()) == MAX_REACTIONS_PER_USER


def test_user_and_public_bark_ids_paginate(store, ids, two):
    alice, bob = two
    mine = [post(store, ids, alice) for _ in range(5)]
    theirs = [post(store, ids, bob) for _ in range(2)]
    assert store.user_bark_ids(alice, None, 3, viewer=None) == mine[::-1][:3]
    assert store.user_bark_ids(alice, mine[2], 10, viewer=None) == [mine[1], mine[0]]
    everything = sorted(mine + theirs, reverse=True)
    assert store.public_bark_ids(None, 100, viewer=None) == everything
    assert store.public_bark_ids(everything[3], 2, viewer=None) == everything[4:6]
