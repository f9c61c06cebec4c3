"""Store contract: a bark has one place in a follower's stream. Unfollowing hides it there (a tombstone);
following again revives it in place, under its old seq, in the follow's own transaction, so a client
reading from its cursor is never sent a bark twice, while the home timeline and a read of the whole stream
show it again, once, as soon as the follow is written.

Once a soak found 3,424 re-deliveries: the backfill of a follow again appended the author's recent barks
as new entries (new seqs) beside their tombstones, so every socket that had been sent them got them again.
"""

from __future__ import annotations

import pytest

from barker import fanout
from barker.policies import BACKFILL_LIMIT
from tests.pages import home_ids, session_for
from tests.store_testing import StoreUnderTest


def post(store: StoreUnderTest, ids, author: int) -> int:
    return store.post_bark(ids.next(), author, "bark", None, 10_000, ids.next()).id


class Client:
    """Reads one stream from its cursor, as a socket or the HTTP endpoint does; remembers what it was sent."""

    def __init__(self, store: StoreUnderTest, owner: int, after: int = 0) -> None:
        self.store, self.owner, self.cursor = store, owner, after
        self.barks: list[int] = []  # bark ids in the order they were sent

    def read(self) -> list[int]:
        new: list[int] = []
        while True:
            batch = self.store.stream_events(self.owner, self.cursor, 3)  # small pages: the cursor does the work
            assert all(e["seq"] > self.cursor for e in batch.events)
            new += [e["bark"]["id"] for e in batch.events if e["type"] == "bark"]
            self.cursor = batch.last_seq
            if not batch.more:
                break
        self.barks += new
        assert len(self.barks) == len(set(self.barks)), f"sent twice: {self.barks}"
        return new


def bark_seqs(store: StoreUnderTest, owner: int) -> dict[int, int]:
    """Bark id -> seq of every bark event in the owner's whole stream (each bark at most once)."""
    events = [e for e in store.stream_events(owner, 0, 10_000).events if e["type"] == "bark"]
    found = {e["bark"]["id"]: e["seq"] for e in events}
    assert len(found) == len(events), f"a bark twice in one stream: {events}"
    return found


@pytest.fixture
def reader_and_author(store, ids, make_user):
    author, reader = make_user("author"), make_user("reader")
    store.follow(reader, author, ids.next(), ids.next())
    return reader, author


@pytest.mark.parametrize("compact", [False, True], ids=["fresh", "compacted"])
def test_following_again_revives_barks_in_place_and_sends_nothing_twice(store, ids, reader_and_author, compact):
    reader, author = reader_and_author
    barks = [post(store, ids, author) for _ in range(3)]
    fanout.drain(store, 100)
    if compact:  # the copies are settled; their tombstones and revivals happen in the settled tier
        store.maintenance().run_all(5)
    client = Client(store, reader)
    assert client.read() == barks
    placed = bark_seqs(store, reader)
    head = store.stream_head(reader)
    store.unfollow(reader, author)
    assert client.read() == [] and bark_seqs(store, reader) == {}
    store.follow(reader, author, ids.next(), ids.next())
    assert bark_seqs(store, reader) == placed  # back where they were, under the same seqs, at once
    assert store.home_stream(reader, None, 10).bark_ids == barks[::-1]
    fanout.drain(store, 100)  # the follow's backfill: nothing new to add
    assert client.read() == []  # nothing twice
    assert bark_seqs(store, reader) == placed
    assert store.stream_head(reader) == head  # no new bark entries (the follow event is the author's)
    assert store.home_stream(reader, None, 10).bark_ids == barks[::-1]
    assert home_ids(store, session_for(store, reader), None, 10) == barks[::-1]
    # A client resuming from before them gets each once, at its place; new barks come after.
    newer = post(store, ids, author)
    fanout.drain(store, 100)
    assert client.read() == [newer]
    assert Client(store, reader).read() == [*barks, newer]


def test_many_unfollows_and_follows_keep_one_entry_per_bark(store, ids, reader_and_author):
    reader, author = reader_and_author
    bark = post(store, ids, author)
    fanout.drain(store, 100)
    client = Client(store, reader)
    assert client.read() == [bark]
    placed = bark_seqs(store, reader)
    for round_ in range(3):
        store.unfollow(reader, author)
        store.follow(reader, author, ids.next(), ids.next())
        fanout.drain(store, 100)
        if round_ == 1:
            store.maintenance().run_all(5)
        assert client.read() == [] and bark_seqs(store, reader) == placed
    store.unfollow(reader, author)
    head = store.stream_head(reader)
    store.maintenance().run_all(5)
    assert bark_seqs(store, reader) == {} and store.stream_head(reader) == head


def test_a_client_that_was_offline_meanwhile_gets_each_bark_once(store, ids, reader_and_author):
    """Offline from before the barks, through an unfollow and a follow again: one event per bark."""
    reader, author = reader_and_author
    offline = Client(store, reader, after=store.stream_head(reader))
    barks = [post(store, ids, author) for _ in range(2)]
    fanout.drain(store, 100)
    store.unfollow(reader, author)
    store.follow(reader, author, ids.next(), ids.next())
    fanout.drain(store, 100)
    assert offline.read() == barks


def test_follow_again_while_the_fanout_is_on_its_way(store, ids, make_user):
    """Follows and unfollows interleave with a bark's fan-out (which reaches followers in id order): the bark
    reaches the follower once, whichever of fan-out and backfill brings it. (Where backfill copies a bark
    whose fan-out is still coming, as ArangoDB's does, the fan-out then meets its tombstone, before the
    second backfill has revived it: it must count as carried.)"""
    author = make_user("author")
    early, late = make_user("early"), make_user("late")
    for fan in (early, late):
        store.follow(fan, author, ids.next(), ids.next())
    bark = post(store, ids, author)
    [job] = store.next_jobs(10)
    assert store.run_fanout_batch(job, 1).owners == (early,)  # not yet at `late`
    client = Client(store, late)
    for backfill_now in (True, False):
        store.unfollow(late, author)
        store.follow(late, author, ids.next(), ids.next())
        if backfill_now:
            for backfill in [j for j in store.next_jobs(10) if j.kind == "backfill"]:
                store.run_fanout_batch(backfill, 10)
        client.read()
    fanout.drain(store, 100)  # jobs in id order: the fan-out reaches `late` before the second backfill
    client.read()
    assert client.barks == [bark] and list(bark_seqs(store, late)) == [bark]


def test_a_bark_whose_place_was_trimmed_away_is_not_sent_again(store, ids, reader_and_author):
    """Retention trimmed the tombstone: the floor rose above the bark, so following again does not append it
    anew; the home timeline still shows it (from below the floor)."""
    reader, author = reader_and_author
    bark = post(store, ids, author)
    fanout.drain(store, 100)
    client = Client(store, reader)
    assert client.read() == [bark]
    store.unfollow(reader, author)
    own = [post(store, ids, reader) for _ in range(2)]
    assert store.trim_stream(reader, 2) >= 1  # the tombstone (and the follow-free older entries) went
    assert store.home_stream(reader, None, 10).floor > bark
    store.follow(reader, author, ids.next(), ids.next())
    fanout.drain(store, 100)
    assert client.read() == own  # its own barks; the author's bark not again
    assert bark not in bark_seqs(store, reader)
    assert home_ids(store, session_for(store, reader), None, 10) == [*own[::-1], bark]


def test_a_new_follow_still_backfills_as_new_events(store, ids, make_user):
    """The rule is about barks a stream carried before: a first follow's backfill still sends them."""
    author, reader = make_user("author"), make_user("reader")
    barks = [post(store, ids, author) for _ in range(2)]
    client = Client(store, reader)
    store.follow(reader, author, ids.next(), ids.next())
    fanout.drain(store, 100)
    assert client.read() == barks


def test_following_again_an_author_with_more_barks_than_a_backfill_copies(store, ids, reader_and_author):
    """More barks than BACKFILL_LIMIT: the follow restores every one the stream carried, the backfill adds
    the new ones among the newest and raises the floor; each bark is sent once and the home timeline, paged
    to its end, holds every one."""
    reader, author = reader_and_author
    with store.bulk():
        barks = [post(store, ids, author) for _ in range(BACKFILL_LIMIT + 5)]
    fanout.drain(store, 1000)
    client = Client(store, reader)
    assert client.read() == barks
    store.unfollow(reader, author)
    newer = [post(store, ids, author) for _ in range(3)]
    store.follow(reader, author, ids.next(), ids.next())
    fanout.drain(store, 1000)
    assert client.read() == newer
    assert sorted(bark_seqs(store, reader)) == sorted(barks + newer)
    session, seen, before = session_for(store, reader), [], None
    while page := home_ids(store, session, before, 50):
        seen += page
        before = page[-1]
    assert seen == (barks + newer)[::-1]
