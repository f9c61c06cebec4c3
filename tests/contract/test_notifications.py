"""Store contract: notifications written with their causes (reaction, rebark, reply, mention, follow), never
for oneself, one per person per bark; undone and deleted with their causes; pages by type; the read marker."""

from __future__ import annotations

from pydantic import TypeAdapter

from barker import models
from barker.ids import iso
from barker.ports.notifications import ReadMarker
from barker.ports.types import BarkContent

NOTIFICATIONS = TypeAdapter(list[models.Notification])


def post(store, ids, author, text="bark", **content):
    return store.post_bark(ids.next(), author, text, None, 10_000, ids.next(),
                           content=BarkContent(**content)).id


def rebark(store, ids, user, original):
    return store.post_bark(ids.next(), user, None, original, 10_000, ids.next()).id


def page(store, owner, before=None, limit=50, types=None):
    items = store.notification_page(owner, before, limit, types)
    NOTIFICATIONS.validate_python(items)  # the API's shape, exactly
    return items


def summary(store, owner, **kw):
    return [(n["type"], n["id"], n["actor"]["id"], n["bark"] and n["bark"]["id"]) for n in page(store, owner, **kw)]


def test_each_type_newest_first(store, ids, make_user):
    me, ann, bob, cy = make_user("me"), make_user("ann"), make_user("bob"), make_user("cy")
    mine = post(store, ids, me)
    reaction = ids.next()
    store.add_reaction(mine, ann, "🐶", reaction)
    shared = rebark(store, ids, bob, mine)
    reply = post(store, ids, cy, "@me yes", reply_to=mine, mentions=(me,))  # one notification: the reply
    mention = post(store, ids, ann, "hi @me", mentions=(me, bob))
    edge = ids.next()
    store.follow(cy, me, edge, ids.next())
    assert summary(store, me) == [("follow", edge, cy, None), ("mention", mention, ann, mention),
                                  ("reply", reply, cy, reply), ("rebark", shared, bob, mine),
                                  ("reaction", reaction, ann, mine)]
    items = page(store, me)
    assert all(n["created_at"] == iso(n["id"]) for n in items)
    assert [n["emoji"] for n in items] == [None, None, None, None, "🐶"]
    assert items[0]["actor"]["handle"] == "cy" and items[0]["actor"]["following"] is False
    assert items[0]["actor"]["followed_by"] is True  # rendered for the owner
    assert items[-1]["bark"] == store.bark_views([mine], me)[0]
    assert summary(store, bob) == [("mention", mention, ann, mention)]
    assert summary(store, ann) == [] and summary(store, cy) == []


def test_nobody_is_notified_of_their_own_doing(store, ids, make_user):
    me = make_user("me")
    mine = post(store, ids, me)
    store.add_reaction(mine, me, "🐶", ids.next())
    rebark(store, ids, me, mine)
    post(store, ids, me, "me again", reply_to=mine, mentions=(me,))
    assert page(store, me) == []
    assert store.notifications_unread(me).unread_count == 0


def test_a_reply_that_mentions_its_parent_author_notifies_once_and_others_by_mention(store, ids, make_user):
    me, ann, bob = make_user("me"), make_user("ann"), make_user("bob")
    mine = post(store, ids, me)
    reply = post(store, ids, ann, "@me @bob", reply_to=mine, mentions=(me, bob, me))
    assert summary(store, me) == [("reply", reply, ann, reply)]
    assert summary(store, bob) == [("mention", reply, ann, reply)]


def test_a_reply_to_a_rebark_notifies_the_original_author(store, ids, make_user):
    me, ann, bob = make_user("me"), make_user("ann"), make_user("bob")
    mine = post(store, ids, me)
    shared = rebark(store, ids, ann, mine)
    reply = post(store, ids, bob, "yes", reply_to=shared)
    assert [n[0] for n in summary(store, me)] == ["reply", "rebark"]
    assert summary(store, ann) == [] and summary(store, me)[0][1] == reply


def test_undoing_removes_the_notification(store, ids, make_user):
    me, ann = make_user("me"), make_user("ann")
    mine = post(store, ids, me)
    store.add_reaction(mine, ann, "🐶", ids.next())
    kept = ids.next()
    store.add_reaction(mine, ann, "🐱", kept)
    shared = rebark(store, ids, ann, mine)
    assert len(page(store, me)) == 3
    store.remove_reaction(mine, ann, "🐶")
    store.delete_bark(shared)  # an un-rebark
    assert summary(store, me) == [("reaction", kept, ann, mine)]
    assert store.notifications_unread(me).unread_count == 1


def test_unfollow_keeps_the_follow_notification_and_following_again_adds_one(store, ids, make_user):
    me, ann = make_user("me"), make_user("ann")
    first, again = ids.next(), ids.next()
    store.follow(ann, me, first, ids.next())
    store.unfollow(ann, me)
    assert summary(store, me) == [("follow", first, ann, None)]
    store.follow(ann, me, again, ids.next())
    assert summary(store, me) == [("follow", again, ann, None), ("follow", first, ann, None)]


def test_deleting_a_bark_removes_every_notification_about_it_or_caused_by_it(store, ids, make_user):
    me, ann, bob = make_user("me"), make_user("ann"), make_user("bob")
    mine, other = post(store, ids, me), post(store, ids, me)
    store.add_reaction(mine, ann, "🐶", ids.next())
    rebark(store, ids, bob, mine)
    mention = post(store, ids, ann, "@me @bob", mentions=(me, bob))
    reply = post(store, ids, bob, "hm", reply_to=other)
    store.add_reaction(other, ann, "🐱", ids.next())
    store.delete_bark(mine)  # its reaction and rebark go
    store.delete_bark(mention)  # both mentions go
    assert [n[0] for n in summary(store, me)] == ["reaction", "reply"]
    assert summary(store, bob) == []
    store.delete_bark(reply)
    assert [n[0] for n in summary(store, me)] == ["reaction"]
    assert store.notifications_unread(me) == ReadMarker(0, 1)


def test_types_filter_and_paging(store, ids, make_user):
    me, ann = make_user("me"), make_user("ann")
    mine = post(store, ids, me)
    mentions, reactions = [], []
    for i in range(7):
        mentions.append(post(store, ids, ann, f"@me {i}", mentions=(me,)))
        emoji = "🐶🐱🐭🐹🐰🦊🐻"[i]
        reactions.append(ids.next())
        store.add_reaction(mine, ann, emoji, reactions[-1])
    reply = post(store, ids, ann, "re", reply_to=mine)
    assert [n["id"] for n in page(store, me, types=["mention"])] == mentions[::-1]
    assert [n["id"] for n in page(store, me, types=["reply", "mention"])] == [reply, *mentions[::-1]]
    assert page(store, me, types=["follow"]) == []
    # Keyset pages: before = the last id of the previous page, all types and filtered.
    seen, before = [], None
    while batch := page(store, me, before=before, limit=3):
        seen += [n["id"] for n in batch]
        before = batch[-1]["id"]
    assert seen == sorted([*mentions, *reactions, reply], reverse=True)
    first = page(store, me, limit=4, types=["reaction"])
    second = page(store, me, before=first[-1]["id"], limit=4, types=["reaction"])
    assert [n["id"] for n in first + second] == reactions[::-1]


def test_read_marker_moves_forward_only_and_is_clamped(store, ids, make_user):
    me, ann = make_user("me"), make_user("ann")
    assert store.notifications_unread(me) == store.mark_notifications_read(me, 10**15)  # nothing: stays 0
    assert store.notifications_unread(me).last_read_id == 0
    made = [post(store, ids, ann, f"@me {i}", mentions=(me,)) for i in range(5)]
    marker = store.notifications_unread(me)
    assert (marker.last_read_id, marker.unread_count) == (0, 5)
    marker = store.mark_notifications_read(me, made[2])
    assert (marker.last_read_id, marker.unread_count) == (made[2], 2)
    marker = store.mark_notifications_read(me, made[0])  # never back
    assert (marker.last_read_id, marker.unread_count) == (made[2], 2)
    marker = store.mark_notifications_read(me, made[-1] + 10**9)  # clamped to the newest
    assert (marker.last_read_id, marker.unread_count) == (made[-1], 0)
    newer = post(store, ids, ann, "@me again", mentions=(me,))
    assert store.notifications_unread(me).unread_count == 1
    store.delete_bark(newer)
    assert store.notifications_unread(me).unread_count == 0
    assert store.notifications_unread(ann).unread_count == 0  # another owner's marker is untouched
