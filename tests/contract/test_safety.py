"""Store contract: blocks and mutes as written and listed (how reads apply them: test_hiding*.py). A block
ends follows both ways and each party's reactions to and rebarks of the other's barks, with every count in
step; unblocking brings none of it back. A mute has an end, changes in place, and an ended one is none."""

from __future__ import annotations

import pytest

from barker.errors import NotFound
from barker.ids import now_ms
from barker.policies import Relationship
from tests.contract.test_notifications import post, rebark, summary


def counts(store, user, viewer):
    view = store.user_view(user, viewer)
    return view["followers_count"], view["following_count"], view["barks_count"]


def test_a_block_ends_follows_reactions_and_rebarks_both_ways(store, ids, make_user):
    me, troll, friend = make_user("me"), make_user("troll"), make_user("friend")
    store.follow(me, troll, ids.next(), ids.next())
    store.follow(troll, me, ids.next(), ids.next())
    store.follow(friend, troll, ids.next(), ids.next())
    mine, theirs, friends = post(store, ids, me), post(store, ids, troll), post(store, ids, friend)
    store.add_reaction(mine, troll, "🐶", ids.next())
    store.add_reaction(mine, friend, "🐶", ids.next())
    store.add_reaction(theirs, me, "🔥", ids.next())
    store.add_reaction(friends, troll, "🐶", ids.next())
    rebark(store, ids, troll, mine)
    rebark(store, ids, me, theirs)
    rebark(store, ids, troll, friends)

    assert store.block(me, troll, ids.next()) is True
    assert store.block(me, troll, ids.next()) is False  # idempotent
    assert counts(store, me, me) == (0, 0, 1)  # no follows left; my rebark of theirs is gone
    assert counts(store, troll, troll) == (1, 0, 2)  # friend still follows them; their rebark of mine is gone
    mine_now, theirs_now, friends_now = store.bark_views([mine, theirs, friends], friend)[::-1]
    assert (mine_now["reactions"], mine_now["rebark_count"]) == ({"🐶": 1}, 0)  # friend's reaction stays
    assert (theirs_now["reactions"], theirs_now["rebark_count"]) == ({}, 0)
    assert (friends_now["reactions"], friends_now["rebark_count"]) == ({"🐶": 1}, 1)  # others untouched
    assert [n[0] for n in summary(store, me)] == ["reaction"]  # friend's; the troll's reaction and rebark went
    assert store.relationship(me, troll, now_ms()) == Relationship(blocking=True)
    assert store.relationship(troll, me, now_ms()) == Relationship(blocked_by=True)
    assert store.blocked_among(troll, [me, friend]) == {me}
    assert store.blocked_among(me, [troll, friend, ids.next()]) == {troll}

    assert store.unblock(me, troll) is True
    assert store.unblock(me, troll) is False
    assert store.relationship(me, troll, now_ms()) == Relationship()
    assert counts(store, me, me) == (0, 0, 1)  # nothing comes back


def test_blocks_need_both_users_and_page_newest_first(store, ids, make_user):
    me, a, b, c = make_user("me"), make_user("a"), make_user("b"), make_user("c")
    with pytest.raises(NotFound):
        store.block(me, ids.next(), ids.next())
    for other in (a, b, c):
        store.block(me, other, ids.next())
    store.block(a, me, ids.next())  # both ways is two blocks
    page = store.block_page(me, None, 2)
    assert [view["handle"] for _, view in page] == ["c", "b"]
    assert page[0][1]["blocking"] is True and page[0][1]["blocked_by"] is False
    assert [view["handle"] for _, view in store.block_page(me, page[-1][0], 10)] == ["a"]
    assert store.block_page(me, None, 10)[-1][1]["blocked_by"] is True
    assert [view["handle"] for _, view in store.block_page(a, None, 10)] == ["me"]


def test_mutes_end_change_in_place_and_page_newest_first(store, ids, make_user):
    me, a, b, c = make_user("me"), make_user("a"), make_user("b"), make_user("c")
    now = now_ms()
    with pytest.raises(NotFound):
        store.mute(me, ids.next(), ids.next(), None)
    store.mute(me, a, ids.next(), None)
    store.mute(me, b, ids.next(), now + 60_000)
    store.mute(me, c, ids.next(), now - 1)  # already ended: as if never made
    assert [(m.user["handle"], m.until_ms) for m in store.mute_page(me, None, 10, now)] == [("b", now + 60_000),
                                                                                         ("a", None)]
    assert store.mute_page(me, None, 10, now)[0].user["muting"] is True
    assert store.relationship(me, b, now) == Relationship(muting=True, muting_until_ms=now + 60_000)
    assert store.relationship(me, c, now) == Relationship()
    assert store.relationship(b, me, now) == Relationship()  # they are not told
    assert store.user_view(c, me)["muting"] is False
    store.mute(me, a, ids.next(), now + 5_000)  # muting again changes the end; the place stays
    assert [(m.user["handle"], m.until_ms) for m in store.mute_page(me, None, 10, now)] == [("b", now + 60_000),
                                                                                         ("a", now + 5_000)]
    assert [m.user["handle"] for m in store.mute_page(me, None, 10, now + 10_000)] == ["b"]
    first = store.mute_page(me, None, 1, now)
    assert [m.user["handle"] for m in store.mute_page(me, first[0].cursor, 10, now)] == ["a"]
    assert store.unmute(me, b, now) is True
    assert store.unmute(me, b, now) is False
    assert store.unmute(me, c, now) is False  # an ended mute is none
    assert store.relationship(me, b, now) == Relationship()
    assert store.blocked_among(me, [a, b]) == set()  # a mute is no block
