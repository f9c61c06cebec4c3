"""The ArangoDB store's notifications, rendered from the same data as the SQLite store's, come out exactly
alike: the stream's notification events (reaction, follower, rebark, reply, mention, each with its
notification_id and created_at) and the history's pages.

No ArangoDB server runs here. A real SQLite store holds the data; the ArangoDB adapter runs on the recording
fake of the python-arango driver (tests/arango_driver_fake.py), whose query answers are built from that same
data in the row shapes the aql/ files return (stream_events.aql, notification_page.aql) and, for users and
barks, the SQLite store's own renderings (the shapes both stores must give). What the queries compute is
checked only against a real server (tests/contract with BARKER_ARANGO_URL); this checks the Python side
that turns their rows into events and notifications, and its rules on what is skipped.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from barker.ids import IdGenerator
from barker.ports.types import BarkContent, NewUser
from barker.store.arango import ArangoStore
from barker.store.arango_notifications import moved_marker, wanted_types
from barker.store.sqlite import SqliteStore
from tests.arango_driver_fake import Recorder, fake_store


@pytest.fixture
def sqlite(tmp_path: Path) -> Iterator[SqliteStore]:
    store = SqliteStore(tmp_path / "n.db")
    yield store
    store.close()


def rows(store: SqliteStore, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """Read the SQLite store's tables directly: the data the ArangoDB adapter's queries would find."""
    with sqlite3.connect(store.path) as db:
        return db.execute(sql, params).fetchall()


def arango_mirror(sqlite: SqliteStore) -> ArangoStore:
    """The ArangoDB adapter over the fake driver, its queries answered from the SQLite store's data."""
    rec = Recorder()

    def stream_events(bind: dict[str, Any]) -> list[Any]:
        found = []
        for owner, after in bind["requests"]:
            entries = rows(sqlite, "SELECT seq, kind, ref, author FROM (SELECT * FROM stream UNION ALL "
                                   "SELECT * FROM stream_recent) WHERE owner = ? AND seq > ? ORDER BY seq LIMIT ?",
                           owner, after, bind["n"])
            found.append({"trimmed": 0, "entries": [{
                "seq": seq, "kind": kind, "ref": ref, "author": author,
                "reaction": next(({"bark": b, "emoji": e, "user": u} for b, e, u in rows(
                    sqlite, "SELECT bark, emoji, user_id FROM reactions WHERE id = ?", ref)), None)
                if kind == "reaction" else None,
                "rebark": next(({"bark": b, "user": u} for b, u in rows(
                    sqlite, "SELECT rebark_of, author FROM barks WHERE id = ?", ref)), None)
                if kind == "rebark" else None} for seq, kind, ref, author in entries]})
        return found

    def notification_page(bind: dict[str, Any]) -> list[Any]:
        kinds = bind.get("types")
        return [{"id": i, "type": t, "actor": a, "bark": b,
                 "emoji": next((e for (e,) in rows(sqlite, "SELECT emoji FROM reactions WHERE id = ?", i)), None)
                 if t == "reaction" else None}
                for i, t, a, b in rows(sqlite, "SELECT id, type, actor, bark FROM notifications "
                                               "WHERE owner = ? AND id < ? ORDER BY id DESC", bind["owner"],
                                       bind["before"])
                if kinds is None or t in kinds][:bind["n"]]

    rec.canned.update({
        "stream_events": stream_events,
        "notification_page": notification_page,
        "notification_page_of_types": notification_page,
        # Users and barks as the SQLite store renders them: the shapes both stores give.
        "user_views": lambda bind: sqlite.user_views(bind["ids"], bind["viewer"]),
        "bark_views": lambda bind: [{"bark": v, "original": v["rebark_of"]}
                                    for v in sqlite.bark_views(bind["ids"], bind["viewer"])],
    })
    return fake_store(rec)


def post(store: SqliteStore, ids: IdGenerator, author: int, text: str = "bark", **content: Any) -> int:
    return store.post_bark(ids.next(), author, text, None, 10_000, ids.next(), content=BarkContent(**content)).id


def notified(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in events if e["type"] != "bark"]


def test_notification_events_and_pages_match_the_sqlite_store(sqlite: SqliteStore) -> None:
    ids = IdGenerator(3)
    me, ann, bob = (ids.next() for _ in range(3))
    for user, handle in ((me, "me"), (ann, "ann"), (bob, "bob")):
        sqlite.create_user(NewUser(user, handle, handle, handle.title(), "", "x"))
    mine = post(sqlite, ids, me)
    sqlite.add_reaction(mine, ann, "🐶", ids.next())
    gone = ids.next()
    sqlite.add_reaction(mine, bob, "🐱", gone)
    rebark = sqlite.post_bark(ids.next(), bob, None, mine, 10_000, ids.next()).id
    reply = post(sqlite, ids, ann, "re @me", reply_to=mine, mentions=(me,))
    post(sqlite, ids, bob, "hey @me @ann", mentions=(me, ann))
    deleted = post(sqlite, ids, bob, "@me soon gone", mentions=(me,))
    sqlite.follow(bob, me, ids.next(), ids.next())
    sqlite.add_reaction(reply, me, "🐭", ids.next())  # changes how the reply looks to me
    sqlite.remove_reaction(mine, bob, "🐱")  # its entry stays in the stream, rendered as nothing
    sqlite.delete_bark(deleted)
    arango = arango_mirror(sqlite)
    for owner in (me, ann, bob):
        expected = sqlite.stream_events(owner, 0, 100)
        assert arango.stream_events(owner, 0, 100).events == expected.events
    events = sqlite.stream_events(me, 0, 100).events
    assert [e["type"] for e in events] == ["bark", "reaction", "rebark", "reply", "mention", "follower"]
    assert events[2]["notification_id"] == rebark and gone not in [e.get("notification_id") for e in events]
    # Several readers at once (the stream hub): each slice's notification events rendered for its reader.
    # (Which barks look different to whom is stream_readers_touched.aql's, not answered here: barks left out.)
    requests = [(me, 0), (ann, 0), (bob, 0)]
    assert [notified(s.events) for s in arango.stream_events_many(requests, 100)] == [
        notified(s.events) for s in sqlite.stream_events_many(requests, 100)]
    for types in (None, ["reply", "mention"], ["reaction"], ["follow"]):
        assert arango.notification_page(me, None, 50, types) == sqlite.notification_page(me, None, 50, types)
    first = sqlite.notification_page(me, None, 2, None)
    assert arango.notification_page(me, first[-1]["id"], 2, None) == sqlite.notification_page(me, first[-1]["id"], 2,
                                                                                               None)


def test_the_read_marker_moves_forward_only_clamped_to_the_newest() -> None:
    assert moved_marker(0, 50, 40) == 40  # clamped to the newest
    assert moved_marker(30, 20, 40) == 30  # never back
    assert moved_marker(30, 35, 40) == 35
    assert moved_marker(0, 50, None) == 0  # nothing to read


def test_a_page_asks_for_each_known_type_once() -> None:
    assert wanted_types(None) is None
    assert wanted_types(["mention", "reply", "mention", "nope"]) == ["reply", "mention"]
    assert wanted_types([]) == []
