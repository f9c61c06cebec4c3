"""Store contract: stream events (rendered, ordered, resumable), retention and gaps, seq never reused."""

from __future__ import annotations

from pathlib import Path

from barker import fanout
from barker.ids import IdGenerator
from barker.policies import TRIM_EVERY
from barker.ports.types import NewUser
from barker.store.sqlite import SqliteStore
from tests.pages import stream_seqs


def post(store, ids, author, text="bark"):
    return store.post_bark(ids.next(), author, text, None, 10_000, ids.next()).id


def test_events_of_each_kind_rendered_in_seq_order(store, ids, make_user):
    me, fan = make_user("me"), make_user("fan")
    store.follow(fan, me, ids.next(), ids.next())
    bark = post(store, ids, me)
    store.add_reaction(bark, fan, "🐶", ids.next())
    batch = store.stream_events(me, 0, 10)
    assert [e["type"] for e in batch.events] == ["follower", "bark", "reaction"]
    seqs = [e["seq"] for e in batch.events]
    assert seqs == sorted(set(seqs)) and seqs[0] > 0 and batch.last_seq == seqs[-1] and not batch.gap
    follower, own, reaction = batch.events
    assert follower["user"]["handle"] == "fan" and follower["user"]["followed_by"] is True
    assert own["bark"] == store.bark_views([bark], me)[0]
    assert (reaction["bark_id"], reaction["emoji"], reaction["user"]["handle"]) == (bark, "🐶", "fan")


def test_from_now_and_paging(store, ids, make_user):
    me = make_user("me")
    barks = [post(store, ids, me) for _ in range(5)]
    now = store.stream_events(me, None, 10)
    assert (now.events, now.last_seq, now.gap) == ([], stream_seqs(store, me)[-1], False)
    first = store.stream_events(me, 0, 2)
    rest = store.stream_events(me, first.last_seq, 10)
    assert [e["bark"]["id"] for e in first.events + rest.events] == barks
    assert store.stream_events(me, rest.last_seq, 10).events == []


def test_gone_subjects_are_skipped_but_advance_the_cursor(store, ids, make_user):
    me, other = make_user("me"), make_user("other")
    store.follow(me, other, ids.next(), ids.next())
    mine, theirs = post(store, ids, me), post(store, ids, other)
    fanout.drain(store, 100)
    last = stream_seqs(store, me)[-1]
    store.delete_bark(mine)
    store.unfollow(me, other)
    batch = store.stream_events(me, 0, 10)
    assert batch.events == [] and batch.last_seq == last
    assert theirs  # its entry is a tombstone now, not a reusable seq:
    newer = post(store, ids, me)
    [event] = store.stream_events(me, last, 10).events
    assert event["bark"]["id"] == newer and event["seq"] > last


def test_fanout_reports_whose_streams_advanced(store, ids, make_user):
    author, fans = make_user("author"), [make_user(f"f{i}") for i in range(3)]
    for f in fans:
        store.follow(f, author, ids.next(), ids.next())
    post(store, ids, author)
    assert fanout.fan_out_some(store, 100).owners == set(fans)


def test_retention_trims_at_compaction_and_reports_the_gap(tmp_path: Path):
    """A stream is trimmed back to its newest `stream_retain` entries when compaction finds it TRIM_EVERY
    or more past that, not before: appends never count entries (fan-out reads nothing per follower)."""
    store = SqliteStore(tmp_path / "r.db", stream_retain=50)
    ids = IdGenerator(3)
    me = ids.next()
    store.create_user(NewUser(me, "me", "me", "Me", "", "x"))
    for _ in range(50 + TRIM_EVERY - 1):
        post(store, ids, me)
    store.maintenance().run_all(1000)
    assert len(stream_seqs(store, me)) == 50 + TRIM_EVERY - 1  # one short of a trim
    for _ in range(21):
        post(store, ids, me)
    seqs = stream_seqs(store, me)
    assert len(seqs) == 50 + TRIM_EVERY + 20 and not store.stream_events(me, 0, 1000).gap  # not yet compacted
    store.maintenance().run_all(1000)
    kept = store.stream_events(me, 0, 1000)
    assert kept.gap and [e["seq"] for e in kept.events] == seqs[-50:]
    assert not store.stream_events(me, seqs[-51], 1000).gap
    assert store.stream_events(me, seqs[-51] - 1, 1000).gap
    assert store.stream_head(me) == seqs[-1]
    store.close()


def author_and_fan(tmp_path: Path, retain: int) -> tuple[SqliteStore, IdGenerator, int, int]:
    """A SQLite store keeping `retain` entries per stream, with a fan following an author."""
    store = SqliteStore(tmp_path / "r.db", stream_retain=retain)
    ids = IdGenerator(3)
    author, fan = ids.next(), ids.next()
    for uid, handle in ((author, "author"), (fan, "fan")):
        store.create_user(NewUser(uid, handle, handle, handle, "", "x"))
    store.follow(fan, author, ids.next(), ids.next())
    return store, ids, author, fan


def test_retention_of_fanned_out_copies_raises_the_floor_pass_after_pass(tmp_path: Path):
    """Fanned-out copies are trimmed by the compaction pass that finds them past the retention, in both
    tiers' worth of entries; the home timeline's floor rises above the newest bark that went; and the
    count compaction keeps stays right across trims, so the next trim comes TRIM_EVERY entries later."""
    store, ids, author, fan = author_and_fan(tmp_path, retain=50)
    barks = []
    for i in range(2 * TRIM_EVERY + 50):
        barks.append(post(store, ids, author))
        fanout.drain(store, 1000)
        if i in (TRIM_EVERY // 2, TRIM_EVERY + 60):  # some settled, some fresh when the trim comes
            store.maintenance().run_all(1000)
            if i == TRIM_EVERY + 60:  # 161 entries: trimmed to the newest 50
                assert [e["bark"]["id"] for e in store.stream_events(fan, 0, 1000).events] == barks[-50:]
    assert store.uncompacted_stream_rows() > 0
    assert len(stream_seqs(store, fan)) == 139  # 50 kept + 89 since: no trim until compacted
    store.maintenance().run_all(1000)  # 50 + 89 = 139: still short of the next trim
    assert len(stream_seqs(store, fan)) == 139
    for _ in range(11):
        barks.append(post(store, ids, author))
    fanout.drain(store, 1000)
    store.maintenance().run_all(1000)  # 150: trimmed
    kept = store.stream_events(fan, 0, 1000)
    assert kept.gap and [e["bark"]["id"] for e in kept.events] == barks[-50:]
    assert store.home_stream(fan, None, 10).floor == barks[-51] + 1
    store.close()


def test_seq_continues_after_everything_was_trimmed(store, ids, make_user):
    me = make_user("me")
    post(store, ids, me), post(store, ids, me)
    last = stream_seqs(store, me)[-1]
    store.trim_stream(me, 0)
    assert store.stream_head(me) == last
    post(store, ids, me)
    [event] = store.stream_events(me, last, 10).events
    assert event["seq"] > last and store.stream_events(me, 0, 10).gap


def test_online_followers(store, ids, make_user):
    star, a, b = make_user("star"), make_user("a"), make_user("b")
    store.follow(a, star, ids.next(), ids.next())
    assert store.online_followers(star, [a, b]) == [a]
    assert store.online_followers(star, []) == []


def test_many_slices_in_one_read_each_rendered_for_its_reader(store, ids, make_user):
    """stream_events_many, what the stream hub reads for every socket one wake-up touches: each slice is the
    owner's own (cursor, limit, gap), and a bark shows each reader their own reactions and rebarks, in the
    bark and in the original a rebark carries, even though the store renders a bark once for the others."""
    author, other = make_user("author"), make_user("other")
    reacted, rebarked, plain = make_user("reacted"), make_user("rebarked"), make_user("plain")
    for fan in (reacted, rebarked, plain):
        store.follow(fan, author, ids.next(), ids.next())
    store.follow(reacted, other, ids.next(), ids.next())
    bark = post(store, ids, author)
    store.add_reaction(bark, reacted, "🐶", ids.next())
    store.post_bark(ids.next(), rebarked, None, bark, 10_000, ids.next())
    others_rebark = store.post_bark(ids.next(), other, None, bark, 10_000, ids.next()).id
    fanout.drain(store, 100)
    a, [p] = stream_seqs(store, author), stream_seqs(store, plain)  # 3 followers, bark, reaction, 2 rebarks
    requests = [(reacted, 0), (rebarked, 0), (plain, 0), (author, 0), (author, a[1]), (plain, p)]
    slices = store.stream_events_many(requests, 100)
    assert len(slices) == len(requests)
    for (owner, _), batch in zip(requests, slices, strict=True):
        for event in batch.events:
            if event["type"] == "bark":
                assert event["bark"] == store.bark_views([event["bark"]["id"]], owner)[0]
    by_id = [{e["bark"]["id"]: e["bark"] for e in batch.events if e["type"] == "bark"} for batch in slices]
    assert by_id[0][bark]["my_reactions"] == ["🐶"] and not by_id[0][bark]["rebarked_by_me"]
    assert by_id[0][others_rebark]["rebark_of"]["my_reactions"] == ["🐶"]
    assert by_id[1][bark]["rebarked_by_me"] and by_id[1][bark]["my_reactions"] == []
    assert by_id[2][bark]["my_reactions"] == [] and not by_id[2][bark]["rebarked_by_me"]
    assert [e["type"] for e in slices[3].events] == ["follower"] * 3 + ["bark", "reaction", "rebark", "rebark"]
    assert [e["seq"] for e in slices[4].events] == a[2:] and slices[4].last_seq == a[-1]
    assert slices[5].events == [] and slices[5].last_seq == p  # after its one entry: none
    limited = store.stream_events_many([(author, 0), (author, a[2])], 2)
    assert [[e["seq"] for e in s.events] for s in limited] == [a[:2], a[3:5]]
    assert [s.last_seq for s in limited] == [a[1], a[4]]
    assert [s.more for s in limited] == [True, True]  # each stopped at the limit: read on to be sure
    assert not store.stream_events(author, a[-2], 2).more and not slices[3].more
    assert store.stream_events_many([], 10) == []


def test_many_slices_skip_what_is_gone_and_report_each_gap(store, ids, make_user):
    me, fan = make_user("me"), make_user("fan")
    store.follow(fan, me, ids.next(), ids.next())
    kept, gone = post(store, ids, me), post(store, ids, me)
    fanout.drain(store, 100)
    m, f = stream_seqs(store, me), stream_seqs(store, fan)  # the follower, kept, gone; kept, gone
    store.delete_bark(gone)
    store.trim_stream(fan, 1)  # the fan keeps only the newest entry (the deleted bark's)
    mine, theirs = store.stream_events_many([(me, m[0]), (fan, 0)], 10)
    assert [e["bark"]["id"] for e in mine.events] == [kept] and mine.last_seq == m[2] and not mine.gap
    assert theirs.events == [] and theirs.last_seq == f[1] and theirs.gap
