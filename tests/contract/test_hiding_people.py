"""Store contract: the people a viewer is shown (docs/safety.md). Followers and following lists and user search
leave out users the viewer does not see (a block either way, an account pending or suspended), before the
limit, so pages stay full; suggestions and nearby leave out those and the users the viewer mutes, nearby
still the exact k nearest of the rest. A mute that has ended hides nothing; counts are not changed."""

from __future__ import annotations

import math

from barker.geo import snap
from barker.ids import now_ms
from barker.ports.types import NewUser
from tests.unit.test_nearby_property import EVERYONE

HOUR = 3_600_000


def make_cast(make_user):
    """{name: id} of the users hide_them makes blocked by me, blocking me, suspended, pending, muted (for a
    while), muted with a mute that ended, and of plain ones."""
    return {name: make_user(name) for name in ("blocked", "blocker", "suspended", "pending", "muted", "ended",
                                               "plain", "plain2")}


def hide_them(store, ids, me, cast):
    store.block(me, cast["blocked"], ids.next())
    store.block(cast["blocker"], me, ids.next())
    store.set_account_state(cast["suspended"], "suspended")
    store.set_account_state(cast["pending"], "pending")
    store.mute(me, cast["muted"], ids.next(), now_ms() + HOUR)
    store.mute(me, cast["ended"], ids.next(), now_ms() - 1)


UNSEEN = {"blocked", "blocker", "suspended", "pending"}


def handles(rows):
    return [view["handle"] for _, view in rows]


def test_follower_and_following_lists_leave_out_unseen_users_and_stay_full(store, ids, make_user):
    me, star = make_user("me"), make_user("star")
    cast = make_cast(make_user)
    order = ["plain", "blocked", "suspended", "muted", "blocker", "pending", "ended", "plain2"]
    for name in order:
        store.follow(cast[name], star, ids.next(), ids.next())
        store.follow(star, cast[name], ids.next(), ids.next())
    hide_them(store, ids, me, cast)
    shown = [name for name in reversed(order) if name not in UNSEEN]  # a mute does not hide people here
    for fetch in (store.follower_page, store.following_page):
        assert handles(fetch(star, None, 50, me)) == shown
        pages, before = [], None
        while rows := fetch(star, before, 2, me):
            assert len(rows) == 2 or len(rows) == len(shown) % 2  # full pages, but for the last
            pages += handles(rows)
            before = rows[-1][0]
        assert pages == shown
        # Each viewer has their own blocks: the blocked user sees everyone but me (whom they do not see).
        assert handles(fetch(star, None, 50, cast["blocked"])) == [n for n in reversed(order)
                                                                   if n not in {"suspended", "pending"}]
    view = store.user_view(star, me)
    assert (view["followers_count"], view["following_count"]) == (len(order), len(order))  # counts unchanged
    assert handles(store.follower_page(me, None, 50, me)) == []  # the block ended nobody's follow of me here
    store.set_account_state(cast["suspended"], "active")
    assert "suspended" in handles(store.follower_page(star, None, 50, me))


def test_user_search_leaves_out_unseen_users_before_the_limit(store, ids, make_user):
    me = make_user("me")
    cast = {name: ids.next() for name in ("dogblocked", "dogsuspended", "dogmuted", "dogplain", "dogblocker",
                                          "dogplain2")}
    for name, uid in cast.items():
        store.create_user(NewUser(uid, name, name, "Dog Person", "loves dogs", "x"))
    store.block(me, cast["dogblocked"], ids.next())
    store.block(cast["dogblocker"], me, ids.next())
    store.set_account_state(cast["dogsuspended"], "suspended")
    store.mute(me, cast["dogmuted"], ids.next(), None)  # a mute does not hide them from search
    shown = [cast[n] for n in ("dogmuted", "dogplain", "dogplain2")]
    for prefix, words, tier in (("dog", ["dog"], 0), ("", ["dog"], 1), ("", ["loves", "dogs"], 2)):
        assert store.search_users(prefix, words, (0, 0), 10, viewer=me) == [(tier, uid) for uid in shown]
        first = store.search_users(prefix, words, (0, 0), 2, viewer=me)
        assert first == [(tier, uid) for uid in shown[:2]]  # full, though hidden users come between
        assert store.search_users(prefix, words, first[-1], 2, viewer=me) == [(tier, shown[2])]
    assert len(store.search_users("dog", ["dog"], (0, 0), 10, viewer=cast["dogplain"])) == 5  # all but suspended
    # A search for no one (an internal read) hides nothing.
    assert cast["dogsuspended"] in [uid for _, uid in store.search_users("dog", ["dog"], (0, 0), 10)]


def test_suggestions_leave_out_unseen_and_muted_users_and_name_only_users_seen(store, ids, make_user):
    me, friend, lost = make_user("me"), make_user("friend"), make_user("lost")
    cast = make_cast(make_user)
    store.follow(me, friend, ids.next(), ids.next())
    store.follow(me, lost, ids.next(), ids.next())
    for name in cast:
        store.follow(friend, cast[name], ids.next(), ids.next())
        store.follow(lost, cast[name], ids.next(), ids.next())
    hide_them(store, ids, me, cast)
    store.set_account_state(lost, "suspended")  # someone I follow, now suspended: never named
    found = store.suggestions(me, 2, 10)
    assert sorted(s.user_id for s in found) == sorted(cast[n] for n in ("ended", "plain", "plain2"))
    assert all(s.followed_by == [friend] and s.mutuals == 2 for s in found)
    assert store.suggestions(me, 3, 10) and {s.user_id for s in store.suggestions(me, 3, 10)} == {
        s.user_id for s in found}
    store.unmute(me, cast["muted"], now_ms())
    assert cast["muted"] in {s.user_id for s in store.suggestions(me, 2, 10)}


def place(store, me, named, step_deg=0.05):
    """Locate `me` at (0, 0) and each user of `named` further east, in order."""
    store.set_location(me, snap(0.0, 0.0, 7), None, 1)
    for i, uid in enumerate(named, start=1):
        store.set_location(uid, snap(0.0, i * step_deg, 7), None, 1)


def test_nearby_is_the_k_nearest_visible_users(store, ids, make_user):
    me = make_user("me")
    cast = make_cast(make_user)
    nearest_first = ["blocked", "muted", "suspended", "plain", "blocker", "pending", "ended", "plain2"]
    place(store, me, [cast[n] for n in nearest_first])
    every = [uid for uid, _ in store.nearest_users(me, 20, EVERYONE)]
    assert every == [cast[n] for n in nearest_first]
    hide_them(store, ids, me, cast)
    visible = [cast[n] for n in nearest_first if n not in UNSEEN | {"muted"}]
    for k in (1, 2, 3, 10):
        assert [uid for uid, _ in store.nearest_users(me, k, EVERYONE)] == visible[:k]
    [(nearest, km)] = store.nearest_users(me, 1, EVERYONE)
    assert nearest == cast["plain"]  # the blocked, muted and suspended users nearer are passed over
    assert [uid for uid, _ in store.nearest_users(me, 5, math.ceil(km))] == [cast["plain"]]  # within reach
    # the blocked user does not find me either
    assert me not in [uid for uid, _ in store.nearest_users(cast["blocked"], 20, EVERYONE)]
    assert me in [uid for uid, _ in store.nearest_users(cast["muted"], 20, EVERYONE)]  # a mute is one-sided
