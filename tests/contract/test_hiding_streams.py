"""Store contract: what blocks, mutes and hidden accounts hide of a user's stream and notifications
(docs/safety.md). Stream entries hidden from their owner are skipped like an entry whose subject was deleted,
so they still move the cursor; live delivery of barks that were not fanned out skips followers from whom
the bark is hidden; notification pages stay full and the unread count leaves the hidden ones out. A mute that
has ended hides nothing."""

from __future__ import annotations

from pydantic import TypeAdapter

from barker import fanout, models
from barker.ids import now_ms
from tests.contract.test_notifications import post, rebark, summary

EVENTS = TypeAdapter(list[models.StreamEvent])
HOUR = 3_600_000


def events(store, owner, after=0, limit=100):
    batch = store.stream_events(owner, after, limit)
    EVENTS.validate_python(batch.events)
    return batch


def shown(batch):
    """(type, bark id or actor handle) of each event."""
    return [(e["type"], e["bark"]["id"] if e["type"] == "bark" else e["user"]["handle"]) for e in batch.events]


def test_barks_hidden_from_the_owner_are_skipped_but_move_the_cursor(store, ids, make_user):
    me, friend, loud, troll, gone = (make_user(h) for h in ("me", "friend", "loud", "troll", "gone"))
    for followee in (friend, loud, gone):
        store.follow(me, followee, ids.next(), ids.next())
    trolls = post(store, ids, troll)
    store.block(me, troll, ids.next())
    store.mute(me, loud, ids.next(), None)
    visible = post(store, ids, friend)
    rebarked = rebark(store, ids, friend, trolls)  # a friend's rebark of a bark by someone I block
    by_gone = post(store, ids, gone)
    by_loud = post(store, ids, loud)  # the newest entry
    fanout.drain(store, 100)
    store.set_account_state(gone, "suspended")
    batch = events(store, me)
    assert shown(batch) == [("bark", visible)]
    assert batch.last_seq > batch.events[0]["seq"] and not batch.more  # past the hidden entries after it
    assert events(store, me, batch.last_seq).events == []
    # Lifted, they come back at their places, all before the cursor the hidden read gave.
    store.unmute(me, loud, now_ms())
    store.unblock(me, troll)
    store.set_account_state(gone, "active")
    again = events(store, me)
    assert shown(again) == [("bark", b) for b in (visible, rebarked, by_gone, by_loud)]
    assert again.last_seq == batch.last_seq


def test_hidden_entries_count_toward_the_limit_and_paging_skips_them(store, ids, make_user):
    me, friend, loud = make_user("me"), make_user("friend"), make_user("loud")
    store.follow(me, friend, ids.next(), ids.next())
    store.follow(me, loud, ids.next(), ids.next())
    store.mute(me, loud, ids.next(), now_ms() + HOUR)  # for a while: in force now
    barks = [post(store, ids, author) for author in (loud, loud, friend, loud, friend, loud)]
    fanout.drain(store, 100)
    first = events(store, me, limit=2)
    assert first.events == [] and first.more  # two hidden entries: nothing to show, the cursor moves on
    seen, cursor, more = [], first.last_seq, True
    while more:
        batch = events(store, me, cursor, limit=2)
        seen += [e["bark"]["id"] for e in batch.events]
        cursor, more = batch.last_seq, batch.more
    assert seen == [barks[2], barks[4]]
    assert events(store, me, cursor).events == []


def test_one_read_for_many_owners_hides_per_owner(store, ids, make_user):
    """The hub reads many sockets' slices in one call: each owner's own blocks and mutes apply."""
    me, fan, loud = make_user("me"), make_user("fan"), make_user("loud")
    for reader in (me, fan):
        store.follow(reader, loud, ids.next(), ids.next())
    store.mute(me, loud, ids.next(), None)
    bark = post(store, ids, loud)
    fanout.drain(store, 100)
    mine, fans = store.stream_events_many([(me, 0), (fan, 0)], 10)
    assert mine.events == [] and mine.last_seq > 0
    assert [e["bark"] for e in fans.events if e["type"] == "bark"] == store.bark_views([bark], fan)
    assert fans.last_seq >= mine.last_seq


def test_notification_events_of_hidden_actors_are_skipped(store, ids, make_user):
    me, ann, muted, blocked, gone, ended = (make_user(h) for h in ("me", "ann", "muted", "blocked", "gone",
                                                                   "ended"))
    mine = post(store, ids, me)
    for actor in (blocked, muted, gone, ended, ann):
        store.follow(actor, me, ids.next(), ids.next())
    for actor in (muted, gone, ended, ann):  # reactions, rebarks, replies, mentions (a block forbids them)
        store.add_reaction(mine, actor, "🐶", ids.next())
        rebark(store, ids, actor, mine)
        post(store, ids, actor, "re @me", reply_to=mine, mentions=(me,))
        post(store, ids, actor, "hi @me", mentions=(me,))
    store.block(me, blocked, ids.next())  # their follow ends; its notification stays, hidden
    store.mute(me, muted, ids.next(), None)
    store.mute(me, ended, ids.next(), now_ms() - 1)  # ended: hides nothing
    store.set_account_state(gone, "suspended")
    batch = events(store, me)
    actors = [e["user"]["handle"] if "user" in e else e["bark"]["author"]["handle"]
              for e in batch.events if e["type"] != "bark"]
    assert sorted(set(actors)) == ["ann", "ended"]
    assert [e["type"] for e in batch.events if e["type"] != "bark"] == [
        "follower", "follower", "reaction", "rebark", "reply", "mention", "reaction", "rebark", "reply", "mention"]
    assert batch.last_seq == store.stream_head(me)


def test_a_notification_page_leaves_out_hidden_actors_and_stays_full(store, ids, make_user):
    me, ann, muted, blocked, gone, ended = (make_user(h) for h in ("me", "ann", "muted", "blocked", "gone",
                                                                   "ended"))
    mine = post(store, ids, me)
    visible = []
    for actor in (ann, muted, ended, gone, blocked, ann, muted, gone, ended, blocked):
        mention = post(store, ids, actor, "hi @me", mentions=(me,))
        if actor in (ann, ended):
            visible.append(mention)
    store.follow(blocked, me, ids.next(), ids.next())
    store.add_reaction(mine, muted, "🐶", ids.next())
    store.block(me, blocked, ids.next())
    store.mute(me, muted, ids.next(), now_ms() + HOUR)
    store.mute(me, ended, ids.next(), now_ms() - 1)
    store.set_account_state(gone, "pending")
    visible.reverse()  # newest first
    assert [n[1] for n in summary(store, me)] == visible
    pages, before = [], None
    while page := summary(store, me, before=before, limit=2):
        assert len(page) == 2 or len(pages) * 2 + len(page) == len(visible)  # full, but for the last
        pages += [n[1] for n in page]
        before = page[-1][1]
    assert pages == visible
    assert [n[1] for n in summary(store, me, types=["mention"], limit=3)] == visible[:3]
    assert summary(store, me, types=["reaction", "follow"]) == []
    assert store.notifications_unread(me).unread_count == len(visible)
    store.mark_notifications_read(me, visible[1])
    assert store.notifications_unread(me).unread_count == 1
    store.unmute(me, muted, now_ms())  # lifted: theirs count again
    assert store.notifications_unread(me).unread_count == 1 + 2  # their second mention, and the reaction
    assert [n[0] for n in summary(store, me)][:1] == ["reaction"]


def test_home_stream_pages_stay_full_without_hidden_barks(store, ids, make_user):
    me, friend, loud = make_user("me"), make_user("friend"), make_user("loud")
    store.follow(me, friend, ids.next(), ids.next())
    store.follow(me, loud, ids.next(), ids.next())
    barks = [post(store, ids, author) for author in (friend, loud, loud, friend, loud, friend)]
    fanout.drain(store, 100)
    store.mute(me, loud, ids.next(), None)
    mine = [b for i, b in enumerate(barks) if i in (0, 3, 5)][::-1]
    assert store.home_stream(me, None, 2).bark_ids == mine[:2]
    assert store.home_stream(me, mine[1], 2).bark_ids == mine[2:]
    store.mute(me, loud, ids.next(), now_ms() - 1)  # the mute changed to one that has ended
    assert store.home_stream(me, None, 10).bark_ids == barks[::-1]


def test_live_delivery_skips_followers_the_bark_is_hidden_from(store, ids, make_user):
    star, me, fan, troll = make_user("star"), make_user("me"), make_user("fan"), make_user("troll")
    for reader in (me, fan):
        store.follow(reader, star, ids.next(), ids.next())
    plain = post(store, ids, star)
    trolls = post(store, ids, troll)
    shared = rebark(store, ids, star, trolls)
    assert store.online_followers(star, [me, fan], plain) == [me, fan]
    store.block(troll, me, ids.next())  # a block either way hides the troll's barks, rebarked or not
    assert store.online_followers(star, [me, fan], shared) == [fan]
    assert store.online_followers(star, [me, fan], plain) == [me, fan]
    store.mute(me, star, ids.next(), None)
    assert store.online_followers(star, [me, fan], plain) == [fan]
    store.mute(me, star, ids.next(), now_ms() - 1)
    assert store.online_followers(star, [me, fan], plain) == [me, fan]
    store.set_account_state(star, "suspended")
    assert store.online_followers(star, [me, fan], plain) == []
