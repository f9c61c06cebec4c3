"""Store contract: the bark lists leave out what the viewer does not see (docs: /work/briefs/docs/safety.mds 1-5).

Each list is read by a viewer `me` after one of: a block either way, a mute (in force, or ended), or the author's
account suspended. The hidden author's barks (and the rebarks of them by someone else) are left out before the
limit: 5 barks visible behind 11 hidden, read with limit 5, still give a full page of those 5. A mute hides
nothing where the viewer asked on purpose (a bark by id, a user's own timeline, bookmarks); an ended mute
hides nothing anywhere; a read for no one (viewer None: exports, moderators) hides nothing.
"""

from __future__ import annotations

import orjson
import pytest

from barker import fanout
from barker.errors import NotFound
from barker.ids import now_ms
from barker.policies import SUSPENDED
from barker.ports.types import BarkContent
from tests.pages import home_ids, session_for

HOW = ("blocking", "blocked_by", "muting", "mute_ended", "suspended")
FANNED, UNFANNED = 10_000, 0  # fan-out thresholds: below the first a bark is copied to followers' streams


def hide(store, ids, me, them, how):
    if how == "blocking":
        store.block(me, them, ids.next())
    elif how == "blocked_by":
        store.block(them, me, ids.next())
    elif how == "muting":
        store.mute(me, them, ids.next(), None)
    elif how == "mute_ended":
        store.mute(me, them, ids.next(), now_ms() - 1)
    else:
        store.set_account_state(them, SUSPENDED)


def hides(how, *, mute_hides=True):
    """Whether `how` hides the author from the viewer in a list where a mute does (or does not) hide."""
    return how in ("blocking", "blocked_by", "suspended") or (how == "muting" and mute_hides)


def post(store, ids, author, text="bark", threshold=FANNED, tags=()):
    return store.post_bark(ids.next(), author, text, None, threshold, ids.next(),
                           content=BarkContent(tags=tuple(tags))).id


def rebark(store, ids, user, original, threshold=FANNED):
    return store.post_bark(ids.next(), user, None, original, threshold, ids.next()).id


@pytest.fixture
def world(store, ids, make_user):
    """me follows them and friend; friend's 5 barks, then their 10, then friend's rebark of their newest:
    the 11 newest are theirs or share theirs."""
    me, them, friend = make_user("me"), make_user("them"), make_user("friend")

    def build(threshold=FANNED, text="bark", tags=()):
        store.follow(me, them, ids.next(), ids.next())
        store.follow(me, friend, ids.next(), ids.next())
        friends = [post(store, ids, friend, text, threshold, tags) for _ in range(5)]
        theirs = [post(store, ids, them, text, threshold, tags) for _ in range(10)]
        shared = rebark(store, ids, friend, theirs[-1], threshold)
        fanout.drain(store, 100_000)
        return friends[::-1], theirs[::-1], shared

    return me, them, friend, build


@pytest.mark.parametrize("source", ["stream", "celebrities", "below_floor"])
@pytest.mark.parametrize("how", HOW)
def test_home_timeline_leaves_out_hidden_barks_and_stays_full(store, ids, world, how, source):
    me, them, _, build = world
    friends, theirs, shared = build(UNFANNED if source == "celebrities" else FANNED)
    if source == "below_floor":
        store.trim_stream(me, 0)  # the stream's floor above everything: the page is read from follows
    hide(store, ids, me, them, how)
    page = home_ids(store, session_for(store, me), None, 5)
    assert page == (friends if hides(how) else [shared, *theirs[:4]])
    if how == "muting":  # the next page goes on below the cursor, still leaving them out
        assert home_ids(store, session_for(store, me), friends[1], 5) == friends[2:]


@pytest.mark.parametrize("how", HOW)
def test_public_timeline_leaves_out_hidden_barks(store, ids, world, how):
    me, them, friend, build = world
    friends, theirs, shared = build()
    hide(store, ids, me, them, how)
    expected = friends if hides(how) else [shared, *theirs[:4]]
    body = orjson.loads(store.public_page(session_for(store, me), None, 5).body)
    assert [item["id"] for item in body["items"]] == expected and body["next_before"] == expected[-1]
    assert store.public_bark_ids(None, 5, viewer=me) == expected
    assert store.public_bark_ids(None, 5, viewer=None) == [shared, *theirs[:4]]  # no one: nothing hidden
    if how != "suspended":  # hidden from me only
        assert store.public_bark_ids(None, 5, viewer=friend) == [shared, *theirs[:4]]


@pytest.mark.parametrize("how", HOW)
def test_tag_timeline_and_search_leave_out_hidden_barks(store, ids, world, how):
    me, them, _, build = world
    friends, theirs, _ = build(text="walking the dogs", tags=["dogs"])
    hide(store, ids, me, them, how)
    expected = friends if hides(how) else theirs[:5]  # a rebark carries no tags or text
    assert store.tag_bark_ids("dogs", None, 5, viewer=me) == expected
    assert store.search_bark_ids(["dogs"], [], None, 5, viewer=me) == expected
    assert store.search_bark_ids(["walk"], [], None, 5, prefix_last=True, viewer=me) == expected
    assert store.search_bark_ids([], ["dogs"], None, 5, viewer=me) == expected
    assert store.tag_bark_ids("dogs", None, 5, viewer=None) == theirs[:5]


@pytest.mark.parametrize("how", HOW)
def test_bookmarks_leave_out_barks_the_viewer_does_not_see(store, ids, world, how):
    me, them, _, build = world
    friends, theirs, shared = build()
    for bark in [*friends[::-1], *theirs[::-1]]:
        store.add_bookmark(me, bark, ids.next())
    store.add_bookmark(me, shared, ids.next())  # a rebark's bookmark is of its original (already marked)
    hide(store, ids, me, them, how)
    page = [bark for _, bark in store.bookmark_page(me, None, 5)]
    assert page == (friends if hides(how, mute_hides=False) else theirs[:5])


@pytest.mark.parametrize("how", HOW)
def test_bark_views_leave_out_barks_the_viewer_does_not_see(store, ids, world, how):
    me, them, friend, build = world
    friends, theirs, shared = build()
    hide(store, ids, me, them, how)
    wanted = [theirs[0], shared, friends[0]]
    seen = [view["id"] for view in store.bark_views(wanted, me)]
    assert seen == ([friends[0]] if hides(how, mute_hides=False) else sorted(wanted, reverse=True))
    assert len(store.bark_views(wanted, None)) == 3  # for no one (moderators, exports): every one
    assert len(store.bark_views(wanted, friend)) == (1 if how == "suspended" else 3)  # a suspension: from all


@pytest.mark.parametrize("how", HOW)
def test_a_user_timeline_leaves_out_rebarks_of_barks_the_viewer_does_not_see(store, ids, world, how):
    me, them, friend, build = world
    friends, _, shared = build()
    hide(store, ids, me, them, how)
    expected = friends if hides(how, mute_hides=False) else [shared, *friends[:4]]
    assert store.user_bark_ids(friend, None, 5, viewer=me) == expected
    assert store.user_bark_ids(friend, None, 5, replies=False, viewer=me) == expected
    assert store.user_bark_ids(friend, None, 5, viewer=None) == [shared, *friends[:4]]


@pytest.mark.parametrize("how", HOW)
def test_a_thread_shows_hidden_replies_as_tombstones_and_hides_an_unseen_bark(store, ids, make_user, how):
    me, them, friend = make_user("me"), make_user("them"), make_user("friend")
    root = post(store, ids, friend, "root")
    theirs = store.post_bark(ids.next(), them, "theirs", None, FANNED, ids.next(),
                             content=BarkContent(reply_to=root)).id
    answer = store.post_bark(ids.next(), friend, "answer", None, FANNED, ids.next(),
                             content=BarkContent(reply_to=theirs)).id
    hide(store, ids, me, them, how)

    below = store.thread(root, me, None, 10).descendants
    if hides(how):  # a tombstone exactly as a deleted reply's: the tree and the cursor stay
        assert below[0] == {"id": theirs, "deleted": True, "depth": 1}
    else:
        assert below[0]["id"] == theirs and below[0]["author"]["id"] == them
    assert below[1]["id"] == answer and below[1]["depth"] == 2
    assert store.thread(root, me, theirs, 10).descendants == below[1:]  # paging past it still works
    above = store.thread(answer, me, None, 10).ancestors
    assert above[0]["id"] == root and (above[1] == {"id": theirs, "deleted": True}) is hides(how)
    if hides(how, mute_hides=False):
        with pytest.raises(NotFound):
            store.thread(theirs, me, None, 10)
    else:
        assert store.thread(theirs, me, None, 10).bark["id"] == theirs
    assert store.thread(root, None, None, 10).descendants[0]["id"] == theirs  # for no one: nothing hidden
