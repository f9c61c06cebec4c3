"""Store contract: deleting an account (begin_departure, then the departure job run to its end by the
outbox) removes every row of it and corrects what others see (counters, reply tombstones, mentions), keeps
its handle taken throughout, hides the account from the first transaction on, survives a crash between
batches, and leaves nothing that names its id; the export's pages of reactions and uploads."""

from __future__ import annotations

import pytest

from barker import fanout
from barker.errors import Conflict, NotFound
from barker.geo import snap
from barker.ports.types import BarkContent, NewUser, RateCounter
from barker.store.sqlite import SqliteStore
from tests.contract.test_media import upload

# Tables that hold no user id, each with the reason; every other table is scanned, column by column, so a
# new table is checked unless someone adds it here and says why.
NO_USER_IDS = {
    "retired_handles": "handles only, never ids",
    "stream_clock": "one counter",
    "node_leases": "process leases",
    "media_files": "content-addressed file keys",
    "location_cells": "occupied cells and their user counts",
    "replies": "bark ids only (the reply tree)",
}


def post(store, ids, author, text="bark", media=(), **content):
    return store.post_bark(ids.next(), author, text, None, 0, ids.next(), media=list(media),
                           content=BarkContent(**content)).id


def drain_jobs(store):
    while jobs := store.next_jobs(100):
        for job in jobs:
            store.run_fanout_batch(job, 100)


def leave(store, ids, user_id, now=5, budget=100):
    """What DELETE /v1/me and the worker do: the first transaction, then every queued job to its end, in
    small batches (so every step takes several)."""
    store.begin_departure(user_id, ids.next(), now)
    fanout.drain(store, budget)


def departure_jobs(store):
    return [j for j in store.next_jobs(100) if j.kind == "departure"]


def handle_is_taken(store, ids, handle):
    with pytest.raises(Conflict) as taken:
        store.create_user(NewUser(ids.next(), handle.upper(), handle, "Me", "", "x"))
    return taken.value.code == "handle_taken"


def rows_naming(store: SqliteStore, user_id: int) -> dict[str, int]:
    """Every table of the database (virtual ones' shadow tables too), every column: rows equal to the id
    or whose text or blob contains its digits."""
    conn = store._reader()
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    found: dict[str, int] = {}
    needle = str(user_id)
    for table in tables:
        if table in NO_USER_IDS:
            continue
        columns = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')] or ["rowid"]
        for column in [*columns, "rowid"] if "rowid" not in columns else columns:
            try:
                n = conn.execute(f'SELECT count(*) FROM "{table}" WHERE "{column}" = ?1 OR '
                                 f'instr(CAST("{column}" AS TEXT), ?2) > 0', (user_id, needle)).fetchone()[0]
            except Exception:  # a WITHOUT ROWID table has no rowid
                continue
            if n:
                found[f"{table}.{column}"] = n
    return found


@pytest.fixture
def world(store, ids, make_user):
    """A departing user `me` who did one of everything, with `ann` and `bob` around."""
    me, ann, bob = make_user("me"), make_user("ann"), make_user("bob")
    store.follow(me, ann, ids.next(), ids.next())
    store.follow(bob, me, ids.next(), ids.next())
    store.follow(bob, ann, ids.next(), ids.next())
    photo = upload(store, ids, me)
    avatar = upload(store, ids, me, purpose="avatar")
    store.set_avatar(me, avatar)
    mine = post(store, ids, me, "#dogs with @ann", media=[photo], tags=("dogs",), mentions=(ann,))
    entities = ({"type": "mention", "start": 6, "end": 9, "user_id": me, "handle": "me"},)
    theirs = post(store, ids, ann, "hello @me", mentions=(me,), entities=entities)
    answer = post(store, ids, ann, "to you", reply_to=mine)
    store.post_bark(ids.next(), bob, None, mine, 0, ids.next())  # bob's rebark of mine
    store.post_bark(ids.next(), me, None, theirs, 0, ids.next())  # my rebark of ann's
    post(store, ids, me, "reply", reply_to=theirs)
    store.add_reaction(theirs, me, "🐶", ids.next())
    store.add_reaction(theirs, me, "🐱", ids.next())
    store.add_reaction(mine, ann, "🐶", ids.next())
    store.add_bookmark(me, theirs, ids.next())
    store.add_bookmark(ann, mine, ids.next())
    store.set_location(me, snap(52.52, 13.405, 7), None, 1)
    store.dismiss_suggestion(me, ann)
    store.dismiss_suggestion(bob, me)
    carl, dora = make_user("carl"), make_user("dora")
    store.block(me, carl, ids.next())
    store.block(dora, me, ids.next())
    store.mute(me, dora, ids.next(), None)
    store.mute(carl, me, ids.next(), 10**15)
    store.create_token(b"my-token-digest-0123456789abcdef", me, 10**15)
    store.take_rate_limits([RateCounter(f"barks:{me}:h", 3_600_000, 10), RateCounter(f"export:{me}", 3_600_000, 3)],
                           1)
    drain_jobs(store)
    return {"me": me, "ann": ann, "bob": bob, "theirs": theirs, "answer": answer, "mine": mine}


def test_deletion_corrects_what_others_see(store, ids, world):
    me, ann, bob, theirs = world["me"], world["ann"], world["bob"], world["theirs"]
    before_bob = store.user_view(bob, None)["barks_count"]
    leave(store, ids, me)
    assert store.user_view(me, None) is None
    assert store.credentials("me") is None and store.token_user(b"my-token-digest-0123456789abcdef", 0) is None
    ann_view, bob_view = store.user_view(ann, None), store.user_view(bob, None)
    assert ann_view["followers_count"] == 1 and bob_view["following_count"] == 1
    assert bob_view["barks_count"] == before_bob - 1  # his rebark of my bark went with it
    [bark] = store.bark_views([theirs], None)
    assert bark["reactions"] == {} and bark["rebark_count"] == 0 and bark["reply_count"] == 0
    assert bark["mentions"] == [] and bark["entities"] == [{"type": "mention", "start": 6, "end": 9, "user_id": 0,
                                                            "handle": "me"}]
    # Ann's reply to my bark stays, answering a bark that is gone.
    [answer] = store.bark_views([world["answer"]], None)
    assert answer["reply_to"]["id"] == world["mine"]
    assert [n["actor"]["id"] for n in store.notification_page(ann, None, 50, None)] == [bob]  # his follow
    assert store.bookmark_page(ann, None, 50) == []
    assert store.location(me) is None


def test_the_handle_stays_taken(store, ids, world):
    leave(store, ids, world["me"])
    assert handle_is_taken(store, ids, "me")
    with pytest.raises(NotFound):
        store.begin_departure(world["me"], ids.next(), 6)


def test_the_first_transaction_hides_the_account_and_takes_the_handle(store, ids, world):
    me, ann = world["me"], world["ann"]
    store.begin_departure(me, ids.next(), 5)
    [job] = departure_jobs(store)
    assert (job.author, job.cursor) == (me, 0)
    # Gone to log-in, sessions and sign-up at once, while every bark and follow of it is still stored.
    assert store.credentials("me") is None and store.token_user(b"my-token-digest-0123456789abcdef", 0) is None
    assert handle_is_taken(store, ids, "me")
    assert store.location(me) is None
    assert store.account_info(me).state == "leaving"
    assert store.user_bark_ids(me, None, 10, viewer=None)  # the worker's part, not done yet
    with pytest.raises(NotFound):  # a second request finds no account to delete
        store.begin_departure(me, ids.next(), 6)
    # Its fan-outs and backfills are dropped; the departure job is the only job of it.
    assert all(j.author != me and j.target != me for j in store.next_jobs(100) if j.kind != "departure")
    fanout.drain(store, 100)
    assert store.user_view(me, None) is None and departure_jobs(store) == []
    assert store.user_view(ann, None)["followers_count"] == 1  # bob only


def test_the_handle_is_taken_at_every_batch(store, ids, world):
    store.begin_departure(world["me"], ids.next(), 5)
    batches = 0
    while departure_jobs(store):
        assert handle_is_taken(store, ids, "me")
        fanout.fan_out_some(store, 10)  # a few rows at a time: many batches
        batches += 1
    assert batches > 3 and handle_is_taken(store, ids, "me")


def test_a_follow_written_while_leaving_goes_too(store, ids, world):
    me, bob = world["me"], world["bob"]
    store.begin_departure(me, ids.next(), 5)
    while departure_jobs(store)[0].cursor < 4:  # past the followers step
        fanout.fan_out_some(store, 10)
    store.unfollow(bob, me)  # unfollowed and followed again, by someone who missed the news
    store.follow(bob, me, ids.next(), ids.next())
    fanout.drain(store, 100)
    assert store.user_view(me, None) is None
    assert store.user_view(bob, None)["following_count"] == 1  # ann only


def test_nothing_names_the_deleted_id(store, ids, world):
    if not isinstance(store, SqliteStore):
        pytest.skip("reads the SQLite file directly")
    me = world["me"]
    assert rows_naming(store, me)  # the scan sees the user while they exist
    leave(store, ids, me)
    sweep = store.expire_media(0, 10, 1000)
    assert sweep.removed == 2 and len(sweep.keys) == 4  # the photo's and the avatar's files, to delete
    assert rows_naming(store, me) == {}


def test_a_crash_between_batches_resumes_and_leaves_nothing(store, ids, world):
    """The store is closed after a few batches (as a killed process leaves it: every committed batch stays)
    and opened again; the worker of the new process finishes the job."""
    if not isinstance(store, SqliteStore):
        pytest.skip("reopens the SQLite file")
    me = world["me"]
    store.begin_departure(me, ids.next(), 5)
    for _ in range(3):
        fanout.fan_out_some(store, 10)
    [job] = departure_jobs(store)
    assert job.cursor > 0 and rows_naming(store, me)  # half-way
    store.close()
    again = SqliteStore(store.path)
    try:
        [resumed] = departure_jobs(again)
        assert resumed.cursor == job.cursor
        fanout.drain(again, 100)
        assert again.user_view(me, None) is None and handle_is_taken(again, ids, "me")
        again.expire_media(0, 10, 1000)
        assert rows_naming(again, me) == {}
    finally:
        again.close()


def test_every_table_listed_as_holding_no_ids_exists(store):
    if not isinstance(store, SqliteStore):
        pytest.skip("the SQLite schema")
    tables = {r[0] for r in store._reader().execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert set(NO_USER_IDS) <= tables


def test_export_pages(store, ids, world):
    me, theirs = world["me"], world["theirs"]
    first = store.reactions_page(me, None, 1)
    rest = store.reactions_page(me, (first[0].bark, first[0].emoji), 10)
    assert sorted(r.emoji for r in [*first, *rest]) == ["🐱", "🐶"] and {r.bark for r in [*first, *rest]} == {theirs}
    media = store.media_page(me, 0, 10)
    assert [m.purpose for m in media] == ["post", "avatar"] and all(len(m.keys) == 2 for m in media)
    assert store.media_page(me, media[-1].id, 10) == []
