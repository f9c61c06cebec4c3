"""Store contract: a stream's newest N events (Store.stream_newest_cursor, read as the API reads it, through
barker.services.streams.newest_events). "Newest N" counts entries, never seqs: seqs jump (in SQLite every
stream takes them from one clock), so "after the newest seq minus N" misses recent events."""

from __future__ import annotations

from pathlib import Path

from barker.ids import IdGenerator
from barker.policies import TRIM_EVERY
from barker.ports.types import NewUser
from barker.services.streams import newest_events
from barker.store.sqlite import SqliteStore
from tests.pages import stream_seqs


def post(store, ids, author, text="bark"):
    return store.post_bark(ids.next(), author, text, None, 10_000, ids.next()).id


def kinds(batch) -> list[str]:
    return [e["type"] for e in batch.events]


def test_newest_n_across_a_jump_in_seqs(store, ids, make_user):
    me, fan, other = make_user("me"), make_user("fan"), make_user("other")
    store.follow(fan, me, ids.next(), ids.next())  # my stream: a follower event
    for _ in range(30):  # another user's barks: in SQLite they take seqs from the clock mine use too
        post(store, ids, other)
    mine = [post(store, ids, me), post(store, ids, me)]
    seqs = stream_seqs(store, me)
    assert len(seqs) == 3
    if isinstance(store, SqliteStore):  # the jump the client's seq arithmetic fell into
        assert seqs[1] - seqs[0] > 30
        assert kinds(store.stream_events(me, seqs[-1] - 3, 3)) == ["bark", "bark"]
    newest = newest_events(store, me, 3)
    assert kinds(newest) == ["follower", "bark", "bark"]
    assert newest.events[0]["user"]["handle"] == "fan"
    assert [e["bark"]["id"] for e in newest.events[1:]] == mine
    assert [e["seq"] for e in newest.events] == seqs
    assert newest.last_seq == seqs[-1] == store.stream_head(me) and not newest.gap
    # Fewer asked for than there are: the newest ones, oldest first.
    assert [e["seq"] for e in newest_events(store, me, 2).events] == seqs[1:]
    assert [e["seq"] for e in newest_events(store, me, 1).events] == seqs[2:]


def test_fewer_entries_than_n_gives_them_all(store, ids, make_user):
    me, fan, nobody = make_user("me"), make_user("fan"), make_user("nobody")
    store.follow(fan, me, ids.next(), ids.next())
    bark = post(store, ids, me)
    everything = newest_events(store, me, 100)
    assert kinds(everything) == ["follower", "bark"] and everything.events[1]["bark"]["id"] == bark
    assert everything.last_seq == store.stream_head(me) and not everything.gap
    empty = newest_events(store, nobody, 100)  # a stream that never had an entry
    assert (empty.events, empty.last_seq, empty.gap) == ([], 0, False)
    assert store.stream_newest_cursor(nobody, 100) == 0


def test_n_caps_what_comes_back(store, ids, make_user):
    """More entries than N (more than a page: what the API caps N at): exactly the newest N, and last_seq
    is where the next `after` carries on, with nothing newer left out."""
    me = make_user("me")
    barks = [post(store, ids, me) for _ in range(120)]
    newest = newest_events(store, me, 100)
    assert [e["bark"]["id"] for e in newest.events] == barks[-100:]
    assert newest.last_seq == stream_seqs(store, me)[-1] and not newest.gap
    assert store.stream_events(me, newest.last_seq, 10).events == []
    older = store.stream_events(me, 0, 100)  # the rest is still there, below the cursor
    assert [e["bark"]["id"] for e in older.events][:20] == barks[:20]


def test_the_cursor_reads_the_same_entries_after_an_append(store, ids, make_user):
    """The cursor and the read are two steps: an entry appended in between is not among the N (the read
    stops at N), so it comes with the next `after`, never lost and never in place of an older one."""
    me = make_user("me")
    barks = [post(store, ids, me) for _ in range(4)]
    cursor = store.stream_newest_cursor(me, 2)
    late = post(store, ids, me)
    batch = store.stream_events(me, cursor, 2)
    assert [e["bark"]["id"] for e in batch.events] == barks[-2:]
    assert [e["bark"]["id"] for e in store.stream_events(me, batch.last_seq, 10).events] == [late]


def test_entries_whose_subject_is_gone_are_skipped_not_replaced(store, ids, make_user):
    """A deleted bark's entry still counts as one of the newest N (what a client is told is "the newest N
    entries, minus the gone"), and last_seq still moves past it."""
    me = make_user("me")
    barks = [post(store, ids, me) for _ in range(3)]
    store.delete_bark(barks[-1])
    newest = newest_events(store, me, 2)
    assert [e["bark"]["id"] for e in newest.events] == [barks[1]]
    assert newest.last_seq == store.stream_head(me)


def test_a_trimmed_stream_gives_what_it_kept_with_no_gap(tmp_path: Path):
    """After retention trimmed the stream, asking for more than it kept gives what it kept: there was no
    cursor to fall behind, so no gap (the same stream read `after=0` reports one)."""
    store = SqliteStore(tmp_path / "r.db", stream_retain=5)
    ids = IdGenerator(3)
    me = ids.next()
    store.create_user(NewUser(me, "me", "me", "Me", "", "x"))
    barks = [post(store, ids, me) for _ in range(5 + TRIM_EVERY)]
    store.maintenance().run_all(1000)
    assert store.stream_events(me, 0, 100).gap
    kept = newest_events(store, me, 50)
    assert [e["bark"]["id"] for e in kept.events] == barks[-5:] and not kept.gap
    assert kept.last_seq == store.stream_head(me)
    store.close()
