"""Store contract: the home-timeline rule for replies (policies.reply_reaches_home) on each path a bark takes
to a home timeline: fan-out, backfill on a follow, the read-time merge of authors above the threshold, the
fallback below a stream's floor, and live delivery to online followers. And a user's barks without replies."""

from __future__ import annotations

import pytest

from barker import fanout
from barker.ports.types import BarkContent
from tests.pages import home_ids, session_for


@pytest.fixture
def people(make_user):
    """Alice replies; bob is whom she answers; fan follows alice only, pal follows alice and bob."""
    return [make_user(name) for name in ("alice", "bob", "fan", "pal")]


def post(store, ids, author, threshold, reply_to=None):
    return store.post_bark(ids.next(), author, "t", None, threshold, ids.next(),
                           content=BarkContent(reply_to=reply_to)).id


def follow(store, ids, follower, followee):
    store.follow(follower, followee, ids.next(), ids.next())


def home(store, reader):
    return home_ids(store, session_for(store, reader), None, 50)


def conversation(store, ids, people, threshold):
    """bob's bark, alice's reply to it, alice's reply to herself, and alice's reply to fan's bark."""
    alice, bob, fan, _ = people
    bobs = post(store, ids, bob, threshold)
    fans = post(store, ids, fan, threshold)
    to_bob = post(store, ids, alice, threshold, bobs)
    to_self = post(store, ids, alice, threshold, to_bob)
    to_fan = post(store, ids, alice, threshold, fans)
    return bobs, fans, to_bob, to_self, to_fan


def expected_homes(people, barks):
    alice, bob, fan, pal = people
    bobs, fans, to_bob, to_self, to_fan = barks
    return {alice: [to_fan, to_self, to_bob],  # the author always sees her own replies
            bob: [bobs],  # follows nobody
            fan: [to_fan, to_self, fans],  # not the reply to bob, whom fan does not follow
            pal: [to_self, to_bob, bobs]}  # follows bob too; not the reply to fan


@pytest.mark.parametrize("threshold", [10_000, 0], ids=["fan-out", "merged at read time"])
def test_fan_out_and_read_time_merge_apply_the_rule(store, ids, people, threshold):
    alice, bob, fan, pal = people
    for follower, followee in ((fan, alice), (pal, alice), (pal, bob)):
        follow(store, ids, follower, followee)
    barks = conversation(store, ids, people, threshold)
    fanout.drain(store, 100)
    for reader, wanted in expected_homes(people, barks).items():
        assert home(store, reader) == wanted


def test_backfill_on_a_follow_applies_the_rule(store, ids, people):
    alice, bob, fan, pal = people
    barks = conversation(store, ids, people, 10_000)
    for follower, followee in ((fan, alice), (pal, alice), (pal, bob)):
        follow(store, ids, follower, followee)
    fanout.drain(store, 100)  # the backfill jobs run now, against the graph as it stands
    for reader, wanted in expected_homes(people, barks).items():
        assert home(store, reader) == wanted


def test_fallback_below_the_floor_applies_the_rule(store, ids, people):
    alice, bob, fan, pal = people
    for follower, followee in ((fan, alice), (pal, alice), (pal, bob)):
        follow(store, ids, follower, followee)
    barks = conversation(store, ids, people, 10_000)
    fanout.drain(store, 100)
    for user in people:
        store.trim_stream(user, 0)  # nothing left in any stream: every page reads below the floor
        assert store.home_stream(user, None, 1).bark_ids == []
    for reader, wanted in expected_homes(people, barks).items():
        assert home(store, reader) == wanted


def test_live_delivery_applies_the_rule(store, ids, people):
    alice, bob, fan, pal = people
    for follower, followee in ((fan, alice), (pal, alice), (pal, bob)):
        follow(store, ids, follower, followee)
    _, _, to_bob, to_self, to_fan = conversation(store, ids, people, 0)
    online = [alice, bob, fan, pal]
    assert sorted(store.online_followers(alice, online, to_bob)) == [pal]
    assert sorted(store.online_followers(alice, online, to_self)) == sorted([fan, pal])
    assert sorted(store.online_followers(alice, online, to_fan)) == [fan]
    assert sorted(store.online_followers(alice, online, None)) == sorted([fan, pal])  # no bark: no rule


def test_a_reply_to_a_deleted_bark_still_follows_the_rule(store, ids, people):
    """The bark replied to is gone, but whose it was is kept with the reply: the rule does not change."""
    alice, bob, fan, pal = people
    for follower, followee in ((fan, alice), (pal, alice), (pal, bob)):
        follow(store, ids, follower, followee)
    bobs = post(store, ids, bob, 0)
    to_bob = post(store, ids, alice, 0, bobs)
    store.delete_bark(bobs)
    assert home(store, fan) == [] and home(store, pal) == [to_bob]


def test_user_barks_without_replies(store, ids, people):
    alice, bob, _, _ = people
    bobs = post(store, ids, bob, 10_000)
    first = post(store, ids, alice, 10_000)
    reply = post(store, ids, alice, 10_000, bobs)
    rebark = store.post_bark(ids.next(), alice, None, bobs, 10_000, ids.next()).id
    last = post(store, ids, alice, 10_000)
    assert store.user_bark_ids(alice, None, 10, viewer=None) == [last, rebark, reply, first]
    assert store.user_bark_ids(alice, None, 10, replies=False, viewer=None) == [last, rebark, first]
    assert store.user_bark_ids(alice, last, 1, replies=False, viewer=None) == [rebark]  # paged below the cursor
    assert store.user_bark_ids(alice, rebark, 10, replies=False, viewer=None) == [first]
