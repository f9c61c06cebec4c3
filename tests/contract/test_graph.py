"""Store contract: the follow graph, counts, flags and edge pages."""

from __future__ import annotations

import pytest

from barker.errors import NotFound
from barker.models import User


@pytest.fixture
def users(make_user):
    return [make_user(h) for h in ("ann", "ben", "cat", "dan")]


def test_follow_is_idempotent_and_counted(store, ids, users):
    ann, ben, *_ = users
    assert store.follow(ann, ben, ids.next(), ids.next())
    assert not store.follow(ann, ben, ids.next(), ids.next())
    assert store.user_view(ann, None)["following_count"] == 1
    assert store.user_view(ben, None)["followers_count"] == 1
    assert store.unfollow(ann, ben)
    assert not store.unfollow(ann, ben)
    assert store.user_view(ann, None)["following_count"] == 0
    assert store.user_view(ben, None)["followers_count"] == 0


def test_follow_unknown_user(store, ids, users):
    with pytest.raises(NotFound):
        store.follow(users[0], 987654, ids.next(), ids.next())


def test_relationship_flags(store, ids, users):
    ann, ben, cat, _ = users
    store.follow(ann, ben, ids.next(), ids.next())
    store.follow(cat, ann, ids.next(), ids.next())
    ben_seen_by_ann = store.user_view(ben, ann)
    User.model_validate(ben_seen_by_ann)
    assert (ben_seen_by_ann["following"], ben_seen_by_ann["followed_by"]) == (True, False)
    cat_seen_by_ann = store.user_view(cat, ann)
    assert (cat_seen_by_ann["following"], cat_seen_by_ann["followed_by"]) == (False, True)


def test_edge_pages_newest_first_with_cursor(store, ids, users):
    ann, ben, cat, dan = users
    for follower in (ben, cat, dan):
        store.follow(follower, ann, ids.next(), ids.next())
    page = store.follower_page(ann, None, 2, None)
    assert [v["id"] for _, v in page] == [dan, cat]
    rest = store.follower_page(ann, page[-1][0], 2, None)
    assert [v["id"] for _, v in rest] == [ben]
    for f in (ben, cat):
        store.follow(ann, f, ids.next(), ids.next())
    following = store.following_page(ann, None, 10, ben)
    assert [v["id"] for _, v in following] == [cat, ben]
    assert following[1][1]["following"] is False  # ben's view of himself: he does not follow himself
    assert [v["id"] for _, v in store.following_page(dan, None, 10, None)] == [ann]
    assert store.follower_page(dan, None, 10, None) == []
