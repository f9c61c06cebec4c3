"""Store contract: per-user streams, fan-out jobs (idempotent, resumable), hybrid rule, backfill, floor."""

from __future__ import annotations

import pytest

from barker import fanout
from barker.policies import BACKFILL_LIMIT
from tests.pages import home_ids, session_for


@pytest.fixture
def author_with_followers(store, ids, make_user):
    author = make_user("star")
    followers = [make_user(f"fan{i}") for i in range(7)]
    for f in followers:
        store.follow(f, author, ids.next(), ids.next())
    return author, followers


def stream_ids(store, owner, before, limit):
    return store.home_stream(owner, before, limit).bark_ids


def floor_of(store, owner):
    return store.home_stream(owner, None, 1).floor


def celebrities_of(store, owner):
    return store.home_stream(owner, None, 1).celebrities


def post(store, ids, author, threshold=10_000):
    return store.post_bark(ids.next(), author, "bark", None, threshold, ids.next())


def test_post_queues_fanout_and_author_sees_own_bark(store, ids, author_with_followers):
    author, followers = author_with_followers
    posted = post(store, ids, author)
    assert posted.fanned_out
    assert stream_ids(store, author, None, 10) == [posted.id]
    assert stream_ids(store, followers[0], None, 10) == []
    [job] = store.next_jobs(10)
    assert (job.kind, job.bark, job.author) == ("fanout", posted.id, author)


def test_fanout_in_batches_resumes_and_never_duplicates(store, ids, author_with_followers):
    author, followers = author_with_followers
    bark = post(store, ids, author).id
    [job] = store.next_jobs(10)
    first = store.run_fanout_batch(job, 3)
    assert (first.rows_written, first.done) == (3, False)
    # A worker that crashed after committing the batch retries with its stale copy of the job:
    # progress is read from the store, so the retry continues instead of repeating.
    second = store.run_fanout_batch(job, 3)
    third = store.run_fanout_batch(job, 3)
    assert (second.rows_written, third.rows_written, third.done) == (3, 1, True)
    assert store.next_jobs(10) == []
    assert store.run_fanout_batch(job, 3).rows_written == 0  # finished job: nothing happens
    for f in followers:
        assert stream_ids(store, f, None, 10) == [bark]


def test_fanout_of_a_deleted_bark_is_dropped(store, ids, author_with_followers):
    author, _ = author_with_followers
    bark = post(store, ids, author).id
    store.delete_bark(bark)
    assert fanout.drain(store, 100) == 0
    assert store.pending_jobs() == 0


def test_above_threshold_skips_fanout_and_is_merged_at_read(store, ids, author_with_followers):
    author, followers = author_with_followers
    posted = post(store, ids, author, threshold=5)  # 7 followers > 5
    assert not posted.fanned_out
    assert store.pending_jobs() == 0
    assert celebrities_of(store, followers[0]) == [author]
    assert home_ids(store, session_for(store, followers[0]), None, 10) == [posted.id]
    assert stream_ids(store, author, None, 10) == [posted.id]  # own stream still has it


def test_stream_reads_skip_deleted_barks_and_unfollow_clears_the_author(store, ids, author_with_followers, make_user):
    author, followers = author_with_followers
    other = make_user("other")
    store.follow(followers[0], other, ids.next(), ids.next())
    a1, a2 = post(store, ids, author).id, post(store, ids, author).id
    o1 = post(store, ids, other).id
    fanout.drain(store, 100)
    fan = followers[0]
    assert stream_ids(store, fan, None, 10) == [o1, a2, a1]
    store.delete_bark(a2)
    assert stream_ids(store, fan, None, 10) == [o1, a1]
    store.unfollow(fan, author)
    assert stream_ids(store, fan, None, 10) == [o1]
    assert stream_ids(store, fan, o1, 10) == []


def test_follow_backfills_recent_barks(store, ids, make_user):
    author, fan = make_user("writer"), make_user("reader")
    barks = [post(store, ids, author).id for _ in range(3)]
    store.follow(fan, author, ids.next(), ids.next())
    fanout.drain(store, 100)
    assert stream_ids(store, fan, None, 10) == barks[::-1]
    assert floor_of(store, fan) == 0


def test_large_backfill_raises_the_floor(store, ids, make_user):
    author, fan = make_user("prolific"), make_user("reader")
    with store.bulk():
        barks = [post(store, ids, author).id for _ in range(BACKFILL_LIMIT + 5)]
    store.follow(fan, author, ids.next(), ids.next())
    fanout.drain(store, 1000)
    copied = stream_ids(store, fan, None, 1000)
    assert copied == barks[::-1][:BACKFILL_LIMIT]
    assert floor_of(store, fan) == copied[-1]
    # The fallback query serves what the stream lacks.
    assert home_ids(store, session_for(store, fan), copied[-1], 10) == barks[::-1][BACKFILL_LIMIT:]


def test_trim_keeps_newest_and_raises_floor(store, ids, make_user):
    me = make_user("me")
    barks = [post(store, ids, me).id for _ in range(5)]
    assert store.trim_stream(me, 2) == 3
    assert stream_ids(store, me, None, 10) == barks[::-1][:2]
    assert floor_of(store, me) == barks[2] + 1
    assert store.trim_stream(me, 2) == 0
    assert home_ids(store, session_for(store, me), None, 10) == barks[::-1]


def test_events_for_followers_and_reactions(store, ids, make_user):
    """New followers and reactions land in the stream too (read by the websocket layer)."""
    a, b = make_user("a"), make_user("b")
    store.follow(b, a, ids.next(), ids.next())
    bark = post(store, ids, a).id
    store.add_reaction(bark, b, "🐶", ids.next())
    store.add_reaction(bark, a, "🐶", ids.next())  # own reaction: no event
    # Home-timeline reads see only barks; the stream itself holds the other events.
    assert stream_ids(store, a, None, 10) == [bark]


def test_unfollow_then_refollow_brings_barks_back_via_backfill(store, ids, author_with_followers):
    author, followers = author_with_followers
    bark = post(store, ids, author).id
    fanout.drain(store, 100)
    fan = followers[0]
    store.unfollow(fan, author)
    assert stream_ids(store, fan, None, 10) == []
    store.follow(fan, author, ids.next(), ids.next())
    fanout.drain(store, 100)
    assert stream_ids(store, fan, None, 10) == [bark]


def test_home_stream_of_unknown_user_is_empty(store):
    home = store.home_stream(424242, None, 10)
    assert (home.floor, home.bark_ids, home.celebrities) == (0, [], [])


def compact_everything(store):
    return store.maintenance().run_all(5)


def test_compaction_changes_nothing_a_reader_sees(store, ids, author_with_followers):
    author, followers = author_with_followers
    barks = [post(store, ids, author).id for _ in range(3)]
    fanout.drain(store, 4)
    fan = followers[0]

    def seen():
        return store.stream_events(fan, 0, 100), stream_ids(store, fan, None, 50), store.stream_head(fan)

    before = seen()
    assert before[1] == barks[::-1]
    compact_everything(store)
    assert store.uncompacted_stream_rows() == 0
    assert seen() == before
    # New entries continue the seqs, whichever tier the older ones are in.
    head = store.stream_head(fan)
    newer = post(store, ids, author).id
    fanout.drain(store, 4)
    events = store.stream_events(fan, head, 100).events
    assert [e["bark"]["id"] for e in events] == [newer] and events[0]["seq"] > head


def test_compaction_in_slices_keeps_every_owner_whole(store, ids, author_with_followers):
    author, followers = author_with_followers
    for _ in range(2):
        post(store, ids, author)
    fanout.drain(store, 100)
    fresh = store.uncompacted_stream_rows()
    moved = store.compact_streams(3).moved
    assert store.uncompacted_stream_rows() == fresh - moved
    assert compact_everything(store) + moved == fresh
    for fan in followers:
        assert len(stream_ids(store, fan, None, 50)) == 2


def test_unfollow_tombstones_in_both_tiers_compact_cleanly(store, ids, author_with_followers):
    author, followers = author_with_followers
    fan = followers[0]
    bark = post(store, ids, author).id
    fanout.drain(store, 100)
    compact_everything(store)  # the bark's copy is settled
    store.unfollow(fan, author)  # tombstone in the settled tier
    store.follow(fan, author, ids.next(), ids.next())
    fanout.drain(store, 100)  # the follow revived the tombstone in place (test_stream_follow_again.py)
    assert stream_ids(store, fan, None, 10) == [bark]
    store.unfollow(fan, author)  # tombstoned again, still in the settled tier
    head = store.stream_head(fan)
    compact_everything(store)
    assert stream_ids(store, fan, None, 10) == []
    assert store.stream_head(fan) == head
    assert not [e for e in store.stream_events(fan, 0, 100).events if e["type"] == "bark"]


def test_repeated_unfollows_in_the_fresh_tier_compact_cleanly(store, ids, author_with_followers):
    """Unfollow, follow again, unfollow again before any compaction: the bark's one entry in the fresh tier
    (it has no (owner, kind, ref) index) is tombstoned, revived and tombstoned again, never copied anew.
    Readers skip it; compaction moves it as it is, so the head, and with it the next seq, does not go back."""
    author, followers = author_with_followers
    fan = followers[0]
    bark = post(store, ids, author).id
    fanout.drain(store, 100)
    for _ in range(2):
        store.unfollow(fan, author)
        store.follow(fan, author, ids.next(), ids.next())
        fanout.drain(store, 100)
    store.unfollow(fan, author)
    head = store.stream_head(fan)
    before = store.stream_events(fan, 0, 100)
    assert stream_ids(store, fan, None, 10) == []
    compact_everything(store)
    assert store.stream_head(fan) == head
    assert store.stream_events(fan, 0, 100) == before
    assert not [e for e in before.events if e.get("bark", {}).get("id") == bark]
