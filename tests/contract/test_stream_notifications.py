"""Store contract: the stream's notification events (reaction, follower, rebark, reply, mention) carry their
notification id and time; they are the same notifications the history lists, and the history outlives the
stream (trimmed, or the store restarted)."""

from __future__ import annotations

from pathlib import Path

from pydantic import TypeAdapter

from barker import models
from barker.ids import IdGenerator, iso
from barker.ports.types import BarkContent, NewUser
from barker.store.sqlite import SqliteStore

EVENTS = TypeAdapter(list[models.StreamEvent])


def post(store, ids, author, text="bark", **content):
    return store.post_bark(ids.next(), author, text, None, 10_000, ids.next(),
                           content=BarkContent(**content)).id


def notification_events(store, owner):
    events = store.stream_events(owner, 0, 100).events
    EVENTS.validate_python(events)
    return [e for e in events if e["type"] != "bark"]


def test_every_notification_event_carries_its_id_and_time(store, ids, make_user):
    me, ann, bob = make_user("me"), make_user("ann"), make_user("bob")
    mine = post(store, ids, me)
    store.add_reaction(mine, ann, "🐶", ids.next())
    shared = store.post_bark(ids.next(), bob, None, mine, 10_000, ids.next()).id
    reply = post(store, ids, ann, "re @me", reply_to=mine, mentions=(me,))
    mention = post(store, ids, bob, "hey @me", mentions=(me,))
    store.follow(bob, me, ids.next(), ids.next())
    events = notification_events(store, me)
    assert [e["type"] for e in events] == ["reaction", "rebark", "reply", "mention", "follower"]
    listed = store.notification_page(me, None, 50, None)
    assert [e["notification_id"] for e in events] == [n["id"] for n in reversed(listed)]
    assert all(e["created_at"] == iso(e["notification_id"]) for e in events)
    reaction, rebark, replied, mentioned, follower = events
    assert (rebark["bark_id"], rebark["user"]["handle"], rebark["notification_id"]) == (mine, "bob", shared)
    assert replied["bark"] == store.bark_views([reply], me)[0] and replied["notification_id"] == reply
    assert mentioned["bark"] == store.bark_views([mention], me)[0]
    assert follower["user"]["handle"] == "bob" and reaction["user"]["handle"] == "ann"


def test_undone_or_deleted_causes_leave_no_event(store, ids, make_user):
    me, ann = make_user("me"), make_user("ann")
    mine = post(store, ids, me)
    store.add_reaction(mine, ann, "🐶", ids.next())
    shared = store.post_bark(ids.next(), ann, None, mine, 10_000, ids.next()).id
    mention = post(store, ids, ann, "@me", mentions=(me,))
    store.remove_reaction(mine, ann, "🐶")
    store.delete_bark(shared)
    store.delete_bark(mention)
    assert notification_events(store, me) == []


def test_the_history_outlives_a_trimmed_stream(store, ids, make_user):
    me, ann = make_user("me"), make_user("ann")
    mention = post(store, ids, ann, "@me", mentions=(me,))
    for _ in range(5):
        post(store, ids, me)
    store.trim_stream(me, 2)
    assert notification_events(store, me) == []
    assert [n["id"] for n in store.notification_page(me, None, 10, None)] == [mention]
    assert store.notifications_unread(me).unread_count == 1


def test_the_history_and_marker_survive_a_restart_after_trimming(tmp_path: Path):
    ids = IdGenerator(5)
    store = SqliteStore(tmp_path / "n.db", stream_retain=50)
    me, ann = ids.next(), ids.next()
    store.create_user(NewUser(me, "me", "me", "Me", "", "x"))
    store.create_user(NewUser(ann, "ann", "ann", "Ann", "", "x"))
    made = [post(store, ids, ann, f"@me {i}", mentions=(me,)) for i in range(3)]
    store.mark_notifications_read(me, made[0])
    store.close()
    store = SqliteStore(tmp_path / "n.db", stream_retain=50)
    store.trim_stream(me, 0)
    assert store.stream_events(me, 0, 10).events == []
    assert [n["id"] for n in store.notification_page(me, None, 10, None)] == made[::-1]
    marker = store.notifications_unread(me)
    assert (marker.last_read_id, marker.unread_count) == (made[0], 2)
    store.close()
