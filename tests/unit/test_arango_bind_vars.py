"""Every aql/ query gets exactly the bind parameters it declares, in every code path of the ArangoDB store
(ArangoDB rejects both missing and unused ones, errors 1551/1552).

No server can run here: the real ArangoStore runs on a recording fake of the python-arango DRIVER
(tests/arango_driver_fake.py, not a mock of our store), which answers with canned rows chosen to drive each
method down each of its branches, and records what would have been sent. What the queries compute is only
checked against a real server, by the contract suite (tests/contract/, with BARKER_ARANGO_URL set).
"""

from __future__ import annotations

import json
from typing import Any

import orjson
import pytest

from barker.errors import Conflict, Invalid, NotFound, Unauthorized
from barker.geo import snap
from barker.ids import iso
from barker.policies import BACKFILL_LIMIT, TRIM_EVERY, Relationship
from barker.ports.notifications import ReadMarker
from barker.ports.operators import AuditEntry, NewInvite
from barker.ports.reports import NewReport, ReportInfo
from barker.ports.safety import MutedUser
from barker.ports.tags import TagTrend
from barker.ports.types import (
    BarkContent,
    Job,
    NewMedia,
    NewUser,
    RateCounter,
    RateTake,
    SessionKey,
    StoredLocation,
)
from barker.settings import Settings
from barker.store import open_store
from barker.store.arango import ArangoStore
from barker.store.arango_base import NO_CURSOR
from barker.store.arango_queries import load_queries
from barker.store.arango_schema import NAMES
from barker.store.arango_support import follow_key, key, name_key, pair_key, reaction_key, token_key
from tests.arango_driver_fake import FakeClient, Recorder, fake_store

ALICE, BOB, BARK, REBARK = 1001, 1002, 5001, 5002
KEY_A, KEY_B = "a" * 64 + ".jpg", "b" * 64 + ".png"
MEDIA_VIEW = {"id": 7101, "width": 4.0, "height": 3, "animated": False, "url": f"/media/{KEY_A}",
              "thumbnail_url": f"/media/{KEY_B}", "original_url": f"/media/{KEY_A}"}
USER_ROW = {"id": ALICE, "handle": "alice", "display_name": "Alice", "bio": "", "avatar_url": "/media/x.jpg",
            "avatar_thumbnail_url": "/media/y.jpg",
            "created_at": "2024-01-01T00:00:00.000Z", "followers_count": 2.0, "following_count": 1,
            "barks_count": 3, "following": False, "followed_by": True, "blocking": False, "blocked_by": False,
            "muting": False}
BARK_ROW = {"id": BARK, "created_at": "2024-01-01T00:00:00.000Z", "text": "hi", "reactions": {"🐶": 1.0},
            "media": [MEDIA_VIEW],
            "rebark_count": 0, "author": {"id": ALICE, "handle": "alice", "display_name": "Alice"},
            "my_reactions": ["🐶"], "rebarked_by_me": False,
            "reply_to": {"id": BARK - 1, "author": {"id": BOB, "handle": "bob", "display_name": "Bob"}},
            "reply_count": 2.0, "mentions": [{"id": float(BOB), "handle": "bob", "display_name": "Bob"}],
            "tags": ["café"], "entities": [{"type": "tag", "start": 0.0, "end": 5, "tag": "café"}],
            "bookmarked": True}


def user_doc(user_id: int, **extra: Any) -> dict[str, Any]:
    return {"_key": key(user_id), "id": user_id, "handle": f"u{user_id}", "followers_count": 0, "barks_count": 0,
            "has_unfanned": False, "stream_floor": 0, "stream_trimmed": 0, "stream_head": 0, "password_hash": "h",
            **extra}


@pytest.fixture
def rec() -> Recorder:
    return Recorder()


@pytest.fixture
def store(rec: Recorder) -> ArangoStore:
    return fake_store(rec, stream_retain=1000)


def exercise(store: ArangoStore, rec: Recorder) -> None:
    """Call every Store method, through every branch that sends a different query or different bind_vars."""
    docs = rec.documents
    docs[("users", key(ALICE))] = user_doc(ALICE, followers_count=3, barks_count=2)
    docs[("users", key(BOB))] = user_doc(BOB, stream_floor=7)
    docs[("barks", key(BARK))] = {"_key": key(BARK), "id": BARK, "author": ALICE, "rebark_of": None, "reactions": {}}
    rec.canned.update({
        "node_leases": [{"node": 0, "holder": "other", "expires_ms": 10**15}],
        "user_by_handle": [{"id": ALICE, "password_hash": "h"}],
        "user_views": lambda bind: [{**USER_ROW, "id": i} for i in bind["ids"]],
        "bark_views": lambda bind: [{"bark": {**BARK_ROW, "id": i}, "original": BARK_ROW if i == REBARK else None}
                                    for i in bind["ids"]],
        # seqs past the retention (1000) at multiples of TRIM_EVERY: appends trim
        "stream_append": lambda bind: [TRIM_EVERY * 11 + i for i, _ in enumerate(bind["refs"])],
        "stream_heads": lambda bind: [{"owner": o, "head": TRIM_EVERY * 12 - 1} for o in bind["owners"]],
        "stream_fanout": lambda bind: [{"owner": h["owner"], "seq": h["head"] + 1} for h in bind["heads"]],
        "stream_trim": [{"seq": 3, "bark": BARK}, {"seq": 4, "bark": None}],
        "stream_nth_seq": [5],
        "home_stream": [{"floor": 7, "bark_ids": [BARK], "celebrities": [ALICE]}],
        "home_page": lambda bind: [{"caller": ALICE if bind["token"] == token_key(b"t" * 32) else None,
                                    "page": [BARK, REBARK]}],
        "public_page": [{"caller": ALICE, "page": [BARK]}],
        "follower_page": [{"cursor": 9, "user": BOB}],
        "following_page": [{"cursor": 8, "user": ALICE}],
        "bark_rebarks": [{"key": key(REBARK), "author": BOB}],
        "stream_events": lambda bind: [{"trimmed": 1, "entries": [
            {"seq": 2, "kind": "bark", "ref": BARK, "author": ALICE, "reaction": None},
            {"seq": 3, "kind": "reaction", "ref": 77, "author": BOB,
             "reaction": {"bark": BARK, "emoji": "🐶", "user": BOB}},
            {"seq": 4, "kind": "follow", "ref": 78, "author": BOB, "reaction": None},
            {"seq": 5, "kind": "gone", "ref": BARK + 7, "author": BOB, "reaction": None},
            {"seq": 6, "kind": "bark", "ref": REBARK, "author": BOB, "reaction": None}]}
            for _ in bind["requests"]],
        "stream_readers_touched": lambda bind: [reader for reader, _ in bind["readers"] if reader == ALICE],
        "online_followers": lambda bind: bind["candidates"][:1],
        "jobs_next": [{"id": 1, "kind": "fanout", "bark": BARK, "author": ALICE, "target": 0, "cursor": 0}],
        "fanout_followers": lambda bind: [BOB, BOB + 1, BOB + 2][:bind["n"]],
        "author_barks_since": lambda bind: list(range(9000 + bind["n"], 9000, -1)),
        "nearest_users": lambda bind: [{"user": 2000 + i, "lat": 0.0, "lon": i * 0.01, "meters": i * 1111.9,
                                        "visibility": ["everyone", "followers", "nobody"][i % 3]}
                                       for i in range(bind["n"])],
        "follows_among": lambda bind: [[int(part) for part in k.split("-")] for k in bind["keys"]],
        "locations_to_snap": [],
        "suggestions_depth2": [{"user": BOB, "mutuals": 2, "paths": 0}],
        "suggestions_depth3": [{"user": BOB, "mutuals": 2, "paths": 5}],
        "suggestion_followed_by": lambda bind: [[ALICE] for _ in bind["candidates"]],
        "search_handles": [ALICE], "search_names": [BOB], "search_bios": [],
        "users_by_handles": [["alice", ALICE]],
    })
    # lifecycle and leases
    store.ping()
    store.checkpoint()
    assert store.claim_node("me", now_ms=0, ttl_ms=1000) == 1
    assert store.renew_node(1, "me", now_ms=1, ttl_ms=1000) and not store.renew_node(5, "me", 1, 1000)
    # accounts and tokens
    store.create_user(NewUser(3003, "Carol", "carol", "Carol Dog", "loves dogs", "h"))
    with pytest.raises(Conflict):
        store.create_user(NewUser(3004, "CAROL", "carol", "Other", "", "h"))
    assert store.credentials("alice") is not None and store.user_id_by_handle("alice") == ALICE
    assert store.user_ids_by_handles(["alice", "nobody"]) == {"alice": ALICE} and store.user_ids_by_handles([]) == {}
    assert store.password_hash(ALICE) == "h" and store.password_hash(424242) is None
    assert store.user_view(ALICE, BOB)["followers_count"] == 2 and store.user_views([], None) == []
    store.update_profile(3003, "Caro", None)
    store.update_profile(3003, None, "bio words")
    with pytest.raises(NotFound):
        store.update_profile(424242, "x", None)
    store.set_password_hash(ALICE, "h2")
    store.create_token(b"t" * 32, ALICE, expires_ms=10**15)
    assert store.token_user(b"t" * 32, now_ms=0) == ALICE and store.token_user(b"u" * 32, 0) is None
    store.revoke_user_tokens(ALICE, keep=b"t" * 32)
    store.revoke_user_tokens(ALICE, keep=None)
    store.revoke_token(b"x" * 32)
    store.create_token(b"r" * 32, ALICE, expires_ms=10**15, restricted=True)
    assert store.token_user(b"r" * 32, 0) is None and store.restricted_token_user(b"r" * 32, 0) == ALICE
    assert store.restricted_token_user(b"t" * 32, 0) is None
    # barks
    store.post_bark(6001, ALICE, "hello", None, fanout_threshold=10, job_id=7001)  # fanned out, job queued
    store.post_bark(6002, ALICE, "hello", None, fanout_threshold=0, job_id=7002)  # above threshold
    store.post_bark(REBARK, BOB, None, BARK, fanout_threshold=10, job_id=7003)  # rebark
    rec.canned["rebark_id"] = [REBARK]
    with pytest.raises(Conflict):
        store.post_bark(6003, BOB, None, BARK, 10, 7004)
    assert store.rebark_id(BOB, BARK) == REBARK
    assert store.bark_author(BARK) == (ALICE, None) and store.bark_author(424242) is None
    assert store.add_reaction(BARK, BOB, "🐶", 8001)
    rec.canned["my_reactions_on"] = ["🐶"]
    assert not store.add_reaction(BARK, BOB, "🐶", 8002)
    assert store.remove_reaction(BARK, BOB, "🐶") and not store.remove_reaction(BARK, BOB, "🐶")
    assert [v["id"] for v in store.bark_views([BARK, REBARK], BOB)] == [REBARK, BARK]
    assert store.bark_views([], None) == []
    store.user_bark_ids(ALICE, None, 10, viewer=None), store.user_bark_ids(ALICE, BARK, 10, viewer=None)
    store.public_bark_ids(None, 10, viewer=None), store.public_bark_ids(BARK, 10, viewer=None)
    store.delete_bark(REBARK)  # a rebark: its original's count drops
    store.delete_bark(BARK)  # with its rebarks (canned) and reactions
    with pytest.raises(NotFound):
        store.delete_bark(BARK)
    docs[("barks", key(BARK))] = {"_key": key(BARK), "id": BARK, "author": ALICE, "rebark_of": None, "reactions": {}}
    # follow graph
    assert store.follow(BOB, ALICE, 9001, 9002)  # followee has barks: a backfill job
    # In the follow's transaction: the barks of Alice's that Bob's stream carried before are live again.
    assert [(bind, tx is not None) for name, bind, tx in rec.queries if name == "stream_restore_author"] == [
        ({"owner": BOB, "author": ALICE}, True)]
    assert not store.follow(BOB, ALICE, 9003, 9004)
    assert store.unfollow(BOB, ALICE) and not store.unfollow(BOB, ALICE)
    assert store.follower_page(ALICE, None, 10, BOB)[0][0] == 9 and store.following_page(BOB, 5, 10, None)
    # timelines and streams
    assert store.home_stream(BOB, None, 10).floor == 7
    rec.canned["home_stream"] = []
    assert store.home_stream(424242, BARK, 10).bark_ids == []
    page = orjson.loads(store.home_page(SessionKey(b"t" * 32, 0), None, 2).body)
    assert page["next_before"] == REBARK and page["items"][0]["rebark_of"]["id"] == BARK
    with pytest.raises(Unauthorized):
        store.home_page(SessionKey(b"z" * 32, 0), BARK, 2)
    store.public_page(SessionKey(b"t" * 32, 0), None, 20)
    assert store.trim_stream(BOB, 2) == 2 and store.trim_stream(BOB, 0) == 2
    assert (docs[("users", key(BOB))]["stream_trimmed"], docs[("users", key(BOB))]["stream_floor"]) == (4, BARK + 1)
    rec.canned["stream_nth_seq"] = []
    assert store.trim_stream(BOB, 2) == 0
    events = store.stream_events(ALICE, 0, 10)
    assert [e["type"] for e in events.events] == ["bark", "reaction", "follower", "bark"] and events.last_seq == 6
    assert store.stream_events(ALICE, None, 10).events == []
    rec.canned["stream_newest_cursor"] = lambda bind: [7 - bind["offset"]]  # the query reads `count` newest
    assert store.stream_newest_cursor(ALICE, 3) == 5
    assert [bind for name, bind, _ in rec.queries if name == "stream_newest_cursor"] == [{"owner": ALICE, "offset": 2}]
    # One reader: rendered for them at once, without asking whom a bark looks different to.
    assert [bind["viewer"] for name, bind, _ in rec.queries if name == "bark_views"][-1] == ALICE
    assert "stream_readers_touched" not in [name for name, _, _ in rec.queries]
    # One rendering for everyone, another for the one reader who reacted to or rebarked one of the barks.
    assert store.stream_events_many([(ALICE, 0), (BOB, 0)], 10)[0] == events
    readers = [bind["readers"] for name, bind, _ in rec.queries if name == "stream_readers_touched"][-1]
    assert readers == [[ALICE, [BARK, REBARK]], [BOB, [BARK, REBARK]]]  # a rebark's original counts too
    assert [bind["viewer"] for name, bind, _ in rec.queries if name == "bark_views"][-2:] == [None, ALICE]
    assert store.stream_events_many([], 10) == []
    assert store.stream_head(ALICE) == docs[("users", key(ALICE))]["stream_head"] > 0
    assert store.stream_head(424242) == 0
    assert store.online_followers(ALICE, [BOB, 3003]) == [BOB] and store.online_followers(ALICE, []) == []
    # the outbox
    [job] = store.next_jobs(10)
    store.pending_jobs()
    docs[("jobs", key(1))] = {"_key": key(1), "id": 1, "cursor": 0}
    assert not store.run_fanout_batch(job, 2).done  # a full batch: more to do
    assert store.run_fanout_batch(job, 5).done  # the last batch
    assert store.run_fanout_batch(job, 5).rows_written == 0  # finished job
    docs[("jobs", key(2))] = {"_key": key(2), "id": 2, "cursor": 0}
    docs.pop(("barks", key(6001)), None)
    assert store.run_fanout_batch(Job(2, "fanout", 6001, ALICE, 0, 0), 5).done  # its bark is gone
    docs[("jobs", key(3))] = {"_key": key(3), "id": 3, "cursor": 0}
    docs[("follows", follow_key(BOB, ALICE))] = {"_key": follow_key(BOB, ALICE)}
    assert store.run_fanout_batch(Job(3, "backfill", 0, ALICE, BOB, 0), 5).rows_written == BACKFILL_LIMIT
    docs[("jobs", key(4))] = {"_key": key(4), "id": 4, "cursor": 0}
    docs.pop(("follows", follow_key(BOB, ALICE)))
    assert store.run_fanout_batch(Job(4, "backfill", 0, ALICE, BOB, 0), 5).rows_written == 0  # unfollowed since
    # discovery
    here = snap(0.0, 0.0, 7)
    assert store.set_location(ALICE, here, None, now_ms=1) == StoredLocation(here, "everyone")
    assert store.location(ALICE) == StoredLocation(here, "everyone") and store.location(BOB) is None
    assert store.set_nearby_visibility(ALICE, "followers").visibility == "followers"
    with pytest.raises(Conflict):
        store.set_nearby_visibility(BOB, "nobody")
    # 2000 everyone, 2001 followers (followed: the first asked), 2002 nobody, 2003 everyone, ...
    assert [uid for uid, _ in store.nearest_users(ALICE, 3, 50)] == [2000, 2001, 2003]
    with pytest.raises(Conflict):
        store.nearest_users(BOB, 3, 50)
    assert store.clear_location(ALICE) and not store.clear_location(ALICE)
    docs[("locations", key(BOB))] = {"_key": key(BOB), "user": BOB, "lat": 52.5, "lon": 13.4, "updated_ms": 1}
    rec.canned["locations_to_snap"] = lambda bind: [d for (c, _), d in docs.items() if c == "locations" and (
        d.get("resolution") is None or d["resolution"] > bind["resolution"])][:bind["n"]]
    assert store.snap_locations() == 1 and docs[("locations", key(BOB))]["cell"] == snap(52.5, 13.4, 7).id
    assert store.suggestions(ALICE, 2, 5)[0].paths == 0 and store.suggestions(ALICE, 3, 5)[0].paths == 5
    rec.canned["suggestions_depth2"] = []
    assert store.suggestions(ALICE, 2, 5) == []
    store.dismiss_suggestion(ALICE, BOB)
    store.undismiss_suggestion(ALICE, BOB)
    assert store.search_users("ali", ["Café", "dogs"], (0, 0), 10) == [(0, ALICE), (1, BOB)]
    store.search_users("", ["dog"], (1, BOB), 10)
    store.search_users("al", [], (0, 5), 1)
    assert store.hit_rate_limit("nearby:1", 1000, 5000) == 1 and store.hit_rate_limit("nearby:1", 1000, 5001) == 2
    store.hit_rate_limit("login:ünïcode key", 1000, 5000)
    rec.canned["rate_limit_counts"] = lambda bind: [0 for _ in bind["counters"]]
    rec.canned["rate_limit_take"] = lambda bind: [c["count"] for c in bind["counters"]]
    counters = [RateCounter("barks:h:1", 3_600_000, 2), RateCounter("login_ip:ünïcode", 900_000, 5)]
    assert store.take_rate_limits(counters, 5000) == RateTake(True, [1, 1])
    rec.canned["rate_limit_counts"] = [2, 0]  # the first is full: refused, and nothing is written
    sent = len(rec.queries)
    assert store.take_rate_limits(counters, 5000) == RateTake(False, [2, 0])
    assert [name for name, _, _ in rec.queries[sent:]] == ["rate_limit_counts"]
    assert store.take_rate_limits([], 5000) == RateTake(True, [])
    rec.canned["rate_limit_purge"] = lambda bind: [1] * min(bind["n"], 3)
    assert store.purge_rate_limits(5000, 10) == 3 and store.purge_rate_limits(5000, 2) == 2
    exercise_media(store, rec)
    exercise_conversations(store, rec)
    exercise_notifications(store, rec)
    exercise_threads_tags_bookmarks(store, rec)
    exercise_operators(store, rec)
    exercise_reports(store, rec)
    exercise_safety(store, rec)
    exercise_departures(store, rec)
    store.close()


def exercise_media(store: ArangoStore, rec: Recorder) -> None:
    docs = rec.documents

    def upload(media_id: int, purpose: str, *keys: str) -> None:
        store.create_media(NewMedia(media_id, ALICE, purpose, 1, {**MEDIA_VIEW, "id": media_id}, keys))  # type: ignore[arg-type]

    upload(7101, "post", KEY_A, KEY_B)  # new files: inserted
    upload(7102, "post", KEY_A)  # a file already referenced: counted
    upload(7103, "avatar", KEY_B)
    upload(7104, "avatar", KEY_B)
    assert store.media(7101).state == "new" and store.media(424242) is None
    store.post_bark(6004, ALICE, "", None, 10, 7005, media=[7101, 7102])
    assert store.media(7102).bark == 6004 and docs[("barks", key(6004))]["media"][1]["id"] == 7102
    with pytest.raises(Conflict):
        store.post_bark(6005, ALICE, "again", None, 10, 7006, media=[7101])
    with pytest.raises(NotFound):
        store.post_bark(6005, BOB, "not mine", None, 10, 7006, media=[7103])
    # a description: before attaching (the record only), after (the bark's copy too), never someone else's
    assert store.describe_media(ALICE, 7101, "A dog")["description"] == "A dog"
    assert docs[("barks", key(6004))]["media"][0]["description"] == "A dog"
    assert docs[("media", key(7101))]["view"]["description"] == "A dog"
    assert store.describe_media(ALICE, 7103, None)["description"] is None  # not attached
    for owner, media_id in ((BOB, 7101), (ALICE, 424242)):
        with pytest.raises(NotFound):
            store.describe_media(owner, media_id, "no")
    store.set_avatar(ALICE, 7103)
    store.set_avatar(ALICE, 7103)  # already the avatar: nothing to do
    store.set_avatar(ALICE, 7104)  # the previous one is released
    with pytest.raises(NotFound):
        store.set_avatar(424242, 7104)
    assert store.clear_avatar(ALICE) and not store.clear_avatar(ALICE)
    store.delete_bark(6004)  # its media are released
    docs[("media_files", KEY_A)]["deleting_since"] = 5
    with pytest.raises(Conflict):
        upload(7105, "post", KEY_A)
    rec.canned["media_expired"] = [{"key": key(7101), "keys": [KEY_A, KEY_B]}, {"key": key(7102), "keys": [KEY_A]}]
    rec.canned["media_files_unreferenced"] = [KEY_A]
    sweep = store.expire_media(100, 200, 10)
    assert (sweep.removed, sweep.keys) == (2, [KEY_A])
    rec.canned["media_expired"] = []
    assert store.expire_media(100, 200, 10).removed == 0
    store.media_files_deleted([KEY_A])


def exercise_conversations(store: ArangoStore, rec: Recorder) -> None:
    """Replies (to a bark, to a rebark, to one that is gone), tags, deleting a reply (its parent's count,
    the reply tree pruned up through a deleted parent), and the home rule on fan-out, backfill and live
    delivery."""
    docs = rec.documents
    carol = 3003
    docs[("barks", key(BARK))] = {"_key": key(BARK), "id": BARK, "author": ALICE, "rebark_of": None, "reactions": {}}
    docs[("barks", key(REBARK))] = {"_key": key(REBARK), "id": REBARK, "author": BOB, "rebark_of": BARK,
                                    "reactions": {}}
    rec.canned["rebark_id"] = []
    store.post_bark(6101, BOB, "re #café", None, 10, 7101, content=BarkContent(
        reply_to=REBARK, mentions=(ALICE,), tags=("café",),
        entities=({"type": "tag", "start": 3, "end": 8, "tag": "café"},)))  # a rebark: answers its original
    reply = docs[("barks", key(6101))]
    assert (reply["reply_to"], reply["reply_author"], reply["tags"], reply["mentions"]) == (BARK, ALICE, ["café"],
                                                                                          [ALICE])
    assert docs[("replies", key(6101))] == {"_key": key(6101), "_from": f"barks/{6101}", "_to": f"barks/{BARK}",
                                            "id": 6101, "parent": BARK}
    assert [bind for name, bind, _ in rec.queries if name == "bark_tags_insert"] == [
        {"tags": ["café"], "bark": 6101, "author": BOB}]
    assert [b for n, b, _ in rec.queries if n == "bump_counters" and b["@collection"] == "barks"][-1] == {
        "@collection": "barks", "changes": {key(BARK): {"reply_count": 1}}}
    store.post_bark(6102, ALICE, "self-reply", None, 10, 7102, content=BarkContent(reply_to=BARK))  # no tags
    writes = len(rec.writes)
    for gone in (424242, 6199):
        with pytest.raises(NotFound) as refused:
            store.post_bark(6103, BOB, "re", None, 10, 7103, content=BarkContent(reply_to=gone))
        assert refused.value.code == "reply_to_not_found"
    assert len(rec.writes) == writes and ("barks", key(6103)) not in docs  # checked before the first write
    store.post_bark(6104, carol, None, BARK, 10, 7104, content=BarkContent(reply_to=BARK, tags=("x",)))
    assert docs[("barks", key(6104))]["reply_to"] is None and ("replies", key(6104)) not in docs  # rebark: none
    # Deleting a reply: its parent counts one fewer; its edge goes, and the parent's (deleted, now without
    # replies) after it; the walk stops where nothing is pruned.
    rec.canned["reply_prune"] = lambda bind: [BARK] if bind["node"] == 6101 else []
    store.delete_bark(6101)
    assert [b for n, b, _ in rec.queries if n == "bump_counters" and b["@collection"] == "barks"][-1] == {
        "@collection": "barks", "changes": {key(BARK): {"reply_count": -1}}}
    assert [b for n, b, _ in rec.queries if n == "reply_prune"][-2:] == [{"key": key(6101), "node": 6101},
                                                                         {"key": key(BARK), "node": BARK}]
    for query in ("remove_bark_tags", "remove_bark_bookmarks", "remove_bark_notifications"):
        assert [b for n, b, _ in rec.queries if n == query][-1] == {"bark": 6101}
    # Fan-out of a reply by Alice to Bob's bark: reaches Bob, and those of Alice's followers who follow Bob.
    docs[("barks", key(6105))] = {"_key": key(6105), "id": 6105, "author": ALICE, "rebark_of": None,
                                  "reply_author": BOB}
    docs[("jobs", key(5))] = {"_key": key(5), "id": 5, "cursor": 0}
    rec.canned["fanout_followers"] = [BOB, carol, 3004]
    rec.canned["follows_among"] = lambda bind: [[3004, BOB]] if follow_key(3004, BOB) in bind["keys"] else []
    sent = len(rec.queries)
    progress = store.run_fanout_batch(Job(5, "fanout", 6105, ALICE, 0, 0), 5)
    assert progress.done and set(progress.owners) == {BOB, 3004}
    [among] = [b for n, b, _ in rec.queries[sent:] if n == "follows_among"]
    assert among == {"keys": [follow_key(carol, BOB), follow_key(3004, BOB)]}  # Bob is asked nothing
    assert [b["owners"] for n, b, _ in rec.queries[sent:] if n == "stream_heads"] == [[BOB, 3004]]
    # Live delivery: the same rule; a bark that is no reply reaches every online follower; a gone one nobody.
    rec.canned["online_followers"] = lambda bind: bind["candidates"]
    assert store.online_followers(ALICE, [BOB, carol, 3004], bark=6105) == [BOB, 3004]
    assert store.online_followers(ALICE, [BOB, carol], bark=BARK) == [BOB, carol]
    assert store.online_followers(ALICE, [BOB], bark=424242) == []
    # Backfill asks for the barks that reach the new follower.
    docs[("jobs", key(6))] = {"_key": key(6), "id": 6, "cursor": 0}
    docs[("follows", follow_key(carol, ALICE))] = {"_key": follow_key(carol, ALICE)}
    docs[("users", key(carol))] = user_doc(carol)
    store.run_fanout_batch(Job(6, "backfill", 0, ALICE, carol, 0), 5)
    assert [b for n, b, _ in rec.queries if n == "author_barks_since"][-1] == {
        "author": ALICE, "target": carol, "floor": 0, "n": BACKFILL_LIMIT + 1}
    # Rendered: the conversation fields, numbers as ints.
    [view] = [v for v in store.bark_views([BARK], ALICE) if v["id"] == BARK]
    assert view["reply_to"] == {"id": BARK - 1, "author": {"id": BOB, "handle": "bob", "display_name": "Bob",
                                                           "avatar_url": None, "avatar_thumbnail_url": None}}
    assert (view["reply_count"], view["tags"], view["bookmarked"]) == (2, ["café"], True)
    assert type(view["mentions"][0]["id"]) is int and type(view["entities"][0]["start"]) is int


def sent(rec: Recorder, name: str, since: int = 0) -> list[dict[str, Any]]:
    return [bind for n, bind, _ in rec.queries[since:] if n == name]


def exercise_notifications(store: ArangoStore, rec: Recorder) -> None:
    """Notifications written with their causes (rebark, reply and mention, reaction, follow; none for
    oneself), the reaction's undone with it, the stream's notification events (each kind, subjects gone),
    pages of every type and of some, the read marker moved, kept and clamped."""
    docs = rec.documents
    carol = 3003
    docs[("barks", key(BARK))] = {"_key": key(BARK), "id": BARK, "author": ALICE, "rebark_of": None, "reactions": {}}
    docs[("users", key(carol))] = user_doc(carol)
    docs.pop(("follows", follow_key(carol, ALICE)), None)
    rec.canned["rebark_id"] = []
    rec.canned["my_reactions_on"] = []
    mark = len(rec.queries)
    store.post_bark(6201, BOB, None, BARK, 10, 7201)  # a rebark of Alice's: she is told
    store.post_bark(6202, carol, "re @alice @bob", None, 10, 7202, content=BarkContent(
        reply_to=BARK, mentions=(ALICE, BOB, carol)))  # Alice: the reply (once); Bob: a mention; Carol: none
    store.post_bark(6203, ALICE, None, 6202, 10, 7203)  # a rebark of Carol's by Alice
    store.post_bark(6204, ALICE, "me", None, 10, 7204, content=BarkContent(reply_to=BARK, mentions=(ALICE,)))
    docs[("barks", key(6205))] = {"_key": key(6205), "id": 6205, "author": ALICE, "rebark_of": None,
                                  "reactions": {}}
    store.post_bark(6206, ALICE, None, 6205, 10, 7206)  # her own bark: nobody
    assert store.add_reaction(BARK, carol, "🐶", 8201) and store.add_reaction(BARK, ALICE, "🐱", 8202)
    assert store.follow(carol, ALICE, 9201, 9202)
    assert sent(rec, "notifications_insert", mark) == [
        {"items": [{"owner": ALICE, "id": 6201, "type": "rebark", "actor": BOB, "bark": BARK}]},
        {"items": [{"owner": ALICE, "id": 6202, "type": "reply", "actor": carol, "bark": 6202},
                   {"owner": BOB, "id": 6202, "type": "mention", "actor": carol, "bark": 6202}]},
        {"items": [{"owner": carol, "id": 6203, "type": "rebark", "actor": ALICE, "bark": 6202}]},
        {"items": [{"owner": ALICE, "id": 8201, "type": "reaction", "actor": carol, "bark": BARK}]},
        {"items": [{"owner": ALICE, "id": 9201, "type": "follow", "actor": carol, "bark": None}]}]
    # Each with its owner's stream entry of the same kind, ref = the notification id, in the same transaction.
    appended = [(b["owner"], b["kind"], b["refs"], b["author"], tx is not None)
                for n, b, tx in rec.queries[mark:] if n == "stream_append" and b["kind"] != "bark"]
    assert appended == [(ALICE, "rebark", [6201], BOB, True), (ALICE, "reply", [6202], carol, True),
                        (BOB, "mention", [6202], carol, True), (carol, "rebark", [6203], ALICE, True),
                        (ALICE, "reaction", [8201], carol, True), (ALICE, "follow", [9201], carol, True)]
    # Undoing a reaction removes its notification; one's own had none; one never made removes nothing.
    mark = len(rec.queries)
    assert store.remove_reaction(BARK, carol, "🐶") and store.remove_reaction(BARK, ALICE, "🐱")
    assert not store.remove_reaction(BARK, carol, "🐶")
    assert sent(rec, "remove_reaction_notification", mark) == [{"owner": ALICE, "id": 8201}]
    assert ("reactions", reaction_key(BARK, carol, "🐶")) not in docs
    # The stream renders every kind with its id and time; a gone subject (removed reaction, deleted rebark
    # or reply) renders as nothing, but still advances the cursor.
    rec.canned["stream_events"] = lambda bind: [{"trimmed": 0, "entries": [
        {"seq": 11, "kind": "reaction", "ref": 8201, "author": carol,
         "reaction": {"bark": BARK, "emoji": "🐶", "user": carol}, "rebark": None},
        {"seq": 12, "kind": "rebark", "ref": 6201, "author": BOB, "reaction": None,
         "rebark": {"bark": BARK, "user": BOB}},
        {"seq": 13, "kind": "reply", "ref": 6202, "author": carol, "reaction": None, "rebark": None},
        {"seq": 14, "kind": "mention", "ref": 6202, "author": carol, "reaction": None, "rebark": None},
        {"seq": 15, "kind": "follow", "ref": 9201, "author": carol, "reaction": None, "rebark": None},
        {"seq": 16, "kind": "rebark", "ref": 6299, "author": BOB, "reaction": None, "rebark": None},
        {"seq": 17, "kind": "reply", "ref": 6298, "author": carol, "reaction": None, "rebark": None},
        {"seq": 18, "kind": "reaction", "ref": 8299, "author": carol, "reaction": None, "rebark": None}]}
        for _ in bind["requests"]]
    rec.canned["bark_views"] = lambda bind: [{"bark": {**BARK_ROW, "id": i}, "original": None}
                                             for i in bind["ids"] if i != 6298]
    mark = len(rec.queries)
    events = store.stream_events(ALICE, 10, 50)
    assert [(e["type"], e["notification_id"], e["created_at"]) for e in events.events] == [
        ("reaction", 8201, iso(8201)), ("rebark", 6201, iso(6201)), ("reply", 6202, iso(6202)),
        ("mention", 6202, iso(6202)), ("follower", 9201, iso(9201))]
    assert events.last_seq == 18
    reaction, rebark, reply, _, follower = events.events
    assert (rebark["bark_id"], rebark["user"]["id"], set(rebark["user"])) == (BARK, BOB, set(reaction["user"]))
    assert reply["bark"]["id"] == 6202 and follower["user"]["followers_count"] == 2
    # The replies and mentions rendered for their reader, in one query, each bark once.
    assert sent(rec, "bark_views", mark) == [{"ids": [6202, 6298], "viewer": ALICE}]
    assert sent(rec, "user_views", mark) == [{"ids": [carol, BOB], "viewer": ALICE}]
    # Several readers: each slice's notification events rendered for its own reader.
    mark = len(rec.queries)
    store.stream_events_many([(ALICE, 10), (BOB, 10)], 50)
    assert [b["viewer"] for b in sent(rec, "user_views", mark)] == [ALICE, BOB]
    assert [b["viewer"] for b in sent(rec, "bark_views", mark)] == [ALICE, BOB]
    # Pages: every type (one range), some types (one range per wanted type), none wanted (no query).
    rows = [{"id": 9201, "type": "follow", "actor": carol, "bark": None, "emoji": None},
            {"id": 8201, "type": "reaction", "actor": carol, "bark": BARK, "emoji": "🐶"},
            {"id": 6202.0, "type": "reply", "actor": float(carol), "bark": 6202.0, "emoji": None}]
    rec.canned["notification_page"] = rows[::-1]  # the adapter orders them newest first
    rec.canned["notification_page_of_types"] = rows[2:]
    mark = len(rec.queries)
    page = store.notification_page(ALICE, None, 20, None)
    assert [(n["id"], n["type"], n["actor"]["id"], n["bark"] and n["bark"]["id"], n["emoji"]) for n in page] == [
        (9201, "follow", carol, None, None), (8201, "reaction", carol, BARK, "🐶"), (6202, "reply", carol, 6202, None)]
    assert all(n["created_at"] == iso(n["id"]) for n in page) and type(page[2]["id"]) is int
    assert [n["id"] for n in store.notification_page(ALICE, 9201, 20, ["mention", "reply", "reply", "nope"])] == [6202]
    assert store.notification_page(ALICE, None, 20, []) == []
    assert sent(rec, "notification_page", mark) == [{"owner": ALICE, "before": NO_CURSOR, "n": 20, "hidden": []}]
    assert sent(rec, "notification_page_of_types", mark) == [
        {"owner": ALICE, "before": 9201, "n": 20, "types": ["reply", "mention"], "hidden": []}]
    assert sent(rec, "user_views", mark)[0] == {"ids": [carol], "viewer": ALICE}
    assert sent(rec, "bark_views", mark)[0] == {"ids": [6202, BARK], "viewer": ALICE}
    # The read marker: moved forward and clamped to the newest; kept (no write); a user that is not there.
    rec.canned["notifications_newest"] = [9201]
    rec.canned["notifications_unread"] = lambda bind: [
        {"last_read_id": docs[("users", key(bind["owner"]))].get("notifications_read", 0), "unread": 0.0}]
    mark, writes = len(rec.queries), len(rec.writes)
    assert store.mark_notifications_read(ALICE, 10**15) == ReadMarker(9201, 0)
    assert docs[("users", key(ALICE))]["notifications_read"] == 9201
    assert store.mark_notifications_read(ALICE, 6202) == ReadMarker(9201, 0)  # never back
    assert [w[1:3] for w in rec.writes[writes:]] == [("users", {"_key": key(ALICE), "notifications_read": 9201})]
    assert store.mark_notifications_read(424242, 5) == ReadMarker(0, 0)
    assert sent(rec, "notifications_newest", mark) == [{"owner": ALICE}] * 2
    rec.canned["notifications_unread"] = [{"last_read_id": 6202.0, "unread": 2.0}]
    assert store.notifications_unread(ALICE) == ReadMarker(6202, 2)
    rec.canned["notifications_unread"] = []
    assert store.notifications_unread(424242) == ReadMarker(0, 0)
    assert sent(rec, "notifications_unread", mark)[-2:] == [{"owner": ALICE, "hidden": []},
                                                            {"owner": 424242, "hidden": []}]


def exercise_threads_tags_bookmarks(store: ArangoStore, rec: Recorder) -> None:
    """Threads (first page, a later page, a bad cursor, ancestors through a tombstone, more than eight
    steps up), user timelines without replies, tag timelines, trending, every search query, bookmarks."""
    docs = rec.documents
    # A reply tree 9000 <- 9001 <- ... <- 9011 (a chain of 11 replies), and 9020, 9021 replying to 9000.
    parent = {9000 + i: 9000 + i - 1 for i in range(1, 12)} | {9020: 9000, 9021: 9000}
    for bark in [9000, *parent]:
        if bark != 9005:  # 9005 is deleted: a tombstone, replies hang from it
            docs[("barks", key(bark))] = {"_key": key(bark), "id": bark, "author": ALICE, "rebark_of": None}
    rec.canned["thread_children"] = lambda bind: [
        sorted(c for c, p in parent.items() if p == asked and c > after)[:bind["n"]] for asked, after in bind["asks"]]

    def path_up(bind: dict[str, Any]) -> list[list[int]]:
        steps, node = [], int(bind["key"])
        while node in parent and len(steps) < 8:
            steps.append([node, parent[node]])
            node = parent[node]
        return steps

    rec.canned["reply_path_up"] = path_up
    rec.canned["bark_views"] = lambda bind: [{"bark": {**BARK_ROW, "id": i}, "original": None}
                                            for i in bind["ids"] if ("barks", key(i)) in docs]
    first = store.thread(9000, BOB, None, 5)
    assert [(d["id"], d["depth"]) for d in first.descendants] == [(9000 + i, i) for i in range(1, 6)]
    assert first.descendants[4] == {"id": 9005, "deleted": True, "depth": 5} and first.next_after == 9005
    rest = store.thread(9000, BOB, 9005, 50)
    assert [(d["id"], d["depth"]) for d in rest.descendants] == [
        *((9000 + i, i) for i in range(6, 12)), (9020, 1), (9021, 1)]
    assert rest.next_after is None
    leaf = store.thread(9011, None, None, 5)  # eleven ancestors: two round trips up
    assert [a["id"] for a in leaf.ancestors] == list(range(9000, 9011)) and leaf.ancestors[5]["deleted"]
    assert [b["key"] for n, b, _ in rec.queries if n == "reply_path_up"][-2:] == [key(9011), key(9003)]
    for bad in (9000, 9021, 424242):  # the bark itself, not below 9020, no such reply
        with pytest.raises(Invalid) as refused:
            store.thread(9020, None, bad, 5)
        assert refused.value.code == "bad_cursor"
    with pytest.raises(NotFound):
        store.thread(9005, None, None, 5)  # a tombstone has no thread of its own
    # Timelines without replies, tags, trending.
    assert store.user_bark_ids(ALICE, None, 10, replies=False, viewer=None) == []
    assert [b for n, b, _ in rec.queries if n == "user_original_ids"] == [{"author": ALICE, "before": NO_CURSOR,
                                                                           "n": 10, "unseen": []}]
    store.tag_bark_ids("café", None, 10, viewer=None), store.tag_bark_ids("café", BARK, 10, viewer=None)
    rec.canned["trending_tags"] = [["b", 3.0, 4], ["a", 3, 3.0]]
    assert store.trending_tags(1, 2) == [TagTrend("b", 3, 4), TagTrend("a", 3, 3)]
    # Search: each query for its case; words without a letter or digit match nothing.
    searched = len(rec.queries)
    store.search_bark_ids(["quick", "fox"], ["animals", "animals"], None, 10, viewer=None)
    store.search_bark_ids(["brûlée", "cr"], [], BARK, 10, prefix_last=True, viewer=None)
    store.search_bark_ids(["caf"], ["x"], None, 10, prefix_last=True, viewer=None)
    store.search_bark_ids(["NEAR(x"], [], None, 10, prefix_last=True, viewer=None)  # two tokens: one whole, one prefix
    store.search_bark_ids([], ["a", "b"], None, 10, viewer=None)
    assert store.search_bark_ids(['"', "*"], [], None, 10, viewer=None) == []
    assert store.search_bark_ids(['"'], ["a"], None, 10, viewer=None) == []
    assert [(n, b) for n, b, _ in rec.queries[searched:] if n != "hidden_users"] == [
        ("search_words", {"text": "quick fox", "tags": ["animals"], "sync": False, "before": NO_CURSOR, "n": 10,
                          "hidden": []}),
        ("search_words_prefix", {"text": "brûlée", "prefix": "cr", "tags": [], "sync": False, "before": BARK, "n": 10,
                                 "hidden": []}),
        ("search_prefix", {"prefix": "caf", "tags": ["x"], "sync": False, "before": NO_CURSOR, "n": 10,
                           "hidden": []}),
        ("search_words_prefix", {"text": "", "prefix": "NEAR(x", "tags": [], "sync": False, "before": NO_CURSOR,
                                 "n": 10, "hidden": []}),
        ("search_tags", {"first": "a", "tags": ["b"], "before": NO_CURSOR, "n": 10, "hidden": []})]
    store.search_wait_for_sync = True  # the contract tests' setting: each search waits for the View
    store.search_bark_ids(["fox"], [], None, 10, viewer=None)
    assert rec.queries[-1][1]["sync"] is True
    # Bookmarks: a rebark bookmarks its original; idempotent; removal through the rebark too.
    docs[("barks", key(REBARK))] = {"_key": key(REBARK), "id": REBARK, "author": BOB, "rebark_of": BARK}
    assert store.add_bookmark(BOB, REBARK, 9901) == BARK
    assert [b for n, b, _ in rec.queries if n == "bookmark_insert"] == [{"user": BOB, "bark": BARK, "id": 9901}]
    rec.canned["bookmark_of"] = [9901]
    assert store.add_bookmark(BOB, BARK, 9902) == BARK  # made before: kept, nothing written
    assert len([n for n, _, _ in rec.queries if n == "bookmark_insert"]) == 1
    with pytest.raises(NotFound):
        store.add_bookmark(BOB, 424242, 9903)
    store.remove_bookmark(BOB, REBARK), store.remove_bookmark(BOB, 424242)
    assert [b["bark"] for n, b, _ in rec.queries if n == "bookmark_remove"] == [BARK, 424242]
    rec.canned["bookmark_page"] = [[9901.0, BARK]]
    assert store.bookmark_page(BOB, None, 10) == [(9901, BARK)] and store.bookmark_page(BOB, 9901, 10)


def exercise_safety(store: ArangoStore, rec: Recorder) -> None:
    """Blocks and mutes: a block (new, again, of an unknown user) ending the follows, reactions and rebarks
    between the two both ways through the code that undoes each elsewhere; unblocking; mutes made, changed,
    ended and undone; the pages, how two users stand, and who blocks whom among some."""
    docs = rec.documents
    dave, theirs, rebark = 3010, 6301, 6303
    docs[("users", key(dave))] = user_doc(dave)
    docs[("follows", follow_key(ALICE, dave))] = {"_key": follow_key(ALICE, dave), "follower": ALICE, "followee": dave}
    docs[("follows", follow_key(dave, ALICE))] = {"_key": follow_key(dave, ALICE), "follower": dave, "followee": ALICE}
    docs[("barks", key(theirs))] = {"_key": key(theirs), "id": theirs, "author": dave, "rebark_of": None,
                                    "reactions": {"🐶": 1}, "media": [], "reply_to": None}
    docs[("reactions", reaction_key(theirs, ALICE, "🐶"))] = {"_key": reaction_key(theirs, ALICE, "🐶"), "id": 6302,
                                                            "bark": theirs, "user": ALICE, "emoji": "🐶"}
    docs[("barks", key(rebark))] = {"_key": key(rebark), "id": rebark, "author": ALICE, "rebark_of": theirs,
                                    "reactions": {}, "media": [], "reply_to": None}
    rec.canned.update({
        "bark_rebarks": [],
        "block_reactions_to": lambda bind: [[float(theirs), "🐶"]] if (bind["user"], bind["author"]) == (ALICE, dave)
        else [],
        "block_rebarks_of": lambda bind: [float(rebark)] if (bind["user"], bind["author"]) == (ALICE, dave) else [],
    })
    mark = len(rec.queries)
    assert store.block(ALICE, dave, 6400)
    assert docs[("blocks", pair_key(ALICE, dave))] == {"_key": pair_key(ALICE, dave), "blocker": ALICE,
                                                       "blocked": dave, "id": 6400}
    assert ("follows", follow_key(ALICE, dave)) not in docs and ("follows", follow_key(dave, ALICE)) not in docs
    assert ("reactions", reaction_key(theirs, ALICE, "🐶")) not in docs
    assert docs[("barks", key(theirs))]["reactions"] == {}
    assert ("barks", key(rebark)) not in docs
    assert sent(rec, "block_reactions_to", mark) == [{"user": ALICE, "author": dave}, {"user": dave, "author": ALICE}]
    assert sent(rec, "block_rebarks_of", mark) == [{"user": ALICE, "author": dave}, {"user": dave, "author": ALICE}]
    # As an unfollow (both ways), an undone reaction and a deleted rebark do it: counts, tombstones, notices.
    assert sent(rec, "stream_tombstone_author", mark) == [{"owner": ALICE, "author": dave},
                                                          {"owner": dave, "author": ALICE}]
    assert sent(rec, "remove_reaction_notification", mark) == [{"owner": dave, "id": 6302}]
    assert sent(rec, "remove_bark_notifications", mark) == [{"bark": rebark}]
    assert {"@collection": "barks", "changes": {key(theirs): {"rebark_count": -1}}} in sent(rec, "bump_counters", mark)
    assert len({tx for _, _, tx in rec.queries[mark:]}) == 1  # one transaction
    mark = len(rec.queries)
    assert not store.block(ALICE, dave, 6401)  # again: nothing more
    assert docs[("blocks", pair_key(ALICE, dave))]["id"] == 6400 and sent(rec, "block_reactions_to", mark) == []
    with pytest.raises(NotFound):
        store.block(ALICE, 424242, 6402)
    assert ("blocks", pair_key(ALICE, 424242)) not in docs
    assert store.relationship(ALICE, dave, 5000) == Relationship(True, False, False, None)
    assert store.relationship(dave, ALICE, 5000) == Relationship(False, True, False, None)
    rec.canned["blocked_among"] = lambda bind: [o for o in bind["others"] if o == dave]
    mark = len(rec.queries)
    assert store.blocked_among(ALICE, [BOB, dave]) == {dave} and store.blocked_among(ALICE, []) == set()
    assert sent(rec, "blocked_among", mark) == [{"user": ALICE, "others": [BOB, dave]}]
    rec.canned["block_page"] = [[6400.0, float(dave)], [6399, 424242]]  # a user gone meanwhile: skipped
    user_views = rec.canned["user_views"]
    rec.canned["user_views"] = lambda bind: [{**USER_ROW, "id": i} for i in bind["ids"] if i != 424242]
    [(cursor, view)] = store.block_page(ALICE, None, 10)
    rec.canned["user_views"] = user_views
    assert (cursor, view["id"]) == (6400, dave) and store.block_page(ALICE, 6400, 1)
    assert sent(rec, "block_page", mark) == [{"user": ALICE, "before": NO_CURSOR, "n": 10},
                                             {"user": ALICE, "before": 6400, "n": 1}]
    assert store.unblock(ALICE, dave) and not store.unblock(ALICE, dave)
    # Mutes: made, then only its end changes (its place in the list stays); an ended one is none.
    store.mute(ALICE, BOB, 6500, None)
    store.mute(ALICE, BOB, 6501, 9000)
    assert docs[("mutes", pair_key(ALICE, BOB))] == {"_key": pair_key(ALICE, BOB), "muter": ALICE, "muted": BOB,
                                                     "id": 6500, "until_ms": 9000}
    with pytest.raises(NotFound):
        store.mute(ALICE, 424242, 6502, None)
    assert store.relationship(ALICE, BOB, 8999) == Relationship(False, False, True, 9000)
    assert store.relationship(ALICE, BOB, 9000) == Relationship(False, False, False, None)
    rec.canned["mute_page"] = [[6500.0, float(BOB), 9000.0]]
    [muted] = store.mute_page(ALICE, None, 10, 5000)
    assert muted == MutedUser(6500, muted.user, 9000) and muted.user["id"] == BOB and type(muted.until_ms) is int
    assert sent(rec, "mute_page")[-1] == {"user": ALICE, "before": NO_CURSOR, "n": 10, "now": 5000}
    assert not store.unmute(ALICE, BOB, 9500) and ("mutes", pair_key(ALICE, BOB)) not in docs  # ended: none, gone
    assert not store.unmute(ALICE, BOB, 9500)
    store.mute(ALICE, BOB, 6503, None)
    assert store.unmute(ALICE, BOB, 9500)


def once(rows: list[Any], then: list[Any] | None = None) -> Any:
    """Canned rows for a batch query: these rows the first time, `then` (none) after (the batch removed
    them)."""
    left = [rows]
    return lambda bind: left.pop() if left else (then or [])


def exercise_departures(store: ArangoStore, rec: Recorder) -> None:
    """Account deletion (an account with a bark, a mention, a reaction and follows both ways: the first
    transaction, then the departure job's batches, stopped once between steps and resumed, with a follow
    written meanwhile sending the last step back to the first) and the export's pages."""
    docs = rec.documents
    docs[("users", key(ALICE))] = user_doc(ALICE, handle_canon="alice", barks_count=1)
    docs[("handles", "alice")] = {"_key": "alice", "user": ALICE}
    docs[("barks", key(BARK))] = {"_key": key(BARK), "id": BARK, "author": ALICE, "rebark_of": None, "reactions": {},
                                  "media": [], "reply_to": None}
    docs[("barks", key(BARK + 10))] = {"_key": key(BARK + 10), "id": BARK + 10, "author": BOB, "rebark_of": None,
                                      "reactions": {"🐶": 1}}
    docs[("reactions", reaction_key(BARK + 10, ALICE, "🐶"))] = {"id": 77, "bark": BARK + 10, "user": ALICE}
    docs[("follows", follow_key(ALICE, BOB))] = {"_key": follow_key(ALICE, BOB)}
    docs[("follows", follow_key(BOB, ALICE))] = {"_key": follow_key(BOB, ALICE)}
    rec.canned.update({
        "account_mentions_batch": once([[81, BARK + 10]]), "account_told_of": [BOB],
        "account_bark_ids": once([BARK, REBARK]), "account_reactions_page": once([[BARK + 10, "🐶", 77.0]]),
        "account_followers_batch": once([[BOB, ALICE, 79]]), "account_followees_batch": once([[ALICE, BOB, 78]]),
        "account_remove_rows": lambda bind: [1] * min(bind["n"], 2), "account_remove_stream_entries": [1, 1],
        "account_left_behind": [False], "account_media_page": [[7101.0, "post", MEDIA_VIEW, [KEY_A, KEY_B]]],
    })
    store.begin_departure(ALICE, 9950, 5)
    assert docs[("users", key(ALICE))]["state"] == "leaving" and docs[("handles", "alice")]["user"] == ALICE
    job = docs[("jobs", key(9950))]
    assert (job["kind"], job["author"], job["cursor"]) == ("departure", ALICE, 0)
    rec.canned["user_by_handle"] = [{"id": ALICE, "password_hash": "h", "state": "leaving"}]
    assert store.credentials("alice") is None  # gone to log-in from the first transaction on
    with pytest.raises(NotFound):
        store.begin_departure(ALICE, 9951, 6)
    departure = Job(9950, "departure", 0, ALICE, 0, 0)
    first = store.run_fanout_batch(departure, 40)  # a small budget: stops part-way, its step stored
    assert not first.done and first.rows_written == 0 and docs[("jobs", key(9950))]["cursor"] > 0
    # A follow written while it was leaving: the last step sends it back to the first.
    rec.canned["account_left_behind"] = once([True], then=[False])
    while not store.run_fanout_batch(departure, 40).done:
        pass
    assert docs.get(("users", key(ALICE))) is None and docs[("handles", "alice")]["user"] is None
    assert [b["user"] for n, b, _ in rec.queries if n == "account_remove_jobs"][-2:] == [ALICE, ALICE]  # with it
    assert [b["user"] for n, b, _ in rec.queries if n == "account_left_behind"] == [ALICE, ALICE]
    with pytest.raises(NotFound):
        store.begin_departure(ALICE, 9952, 6)
    rec.canned["account_reactions_page"] = [[BARK + 10, "🐶", 77.0]]
    [reaction] = store.reactions_page(ALICE, (BARK, "🐱"), 10)
    assert (reaction.bark, reaction.emoji, reaction.id) == (BARK + 10, "🐶", 77)
    [media] = store.media_page(ALICE, 0, 10)
    assert media.id == 7101 and media.keys == (KEY_A, KEY_B)


def exercise_operators(store: ArangoStore, rec: Recorder) -> None:
    """Roles and states, the forced password change, settings, invites and the audit log."""
    rec.documents[("users", key(ALICE))].update(display_name="Alice", created_at="2024-01-01T00:00:00.000Z")
    rec.canned["accounts_page"] = [{"id": ALICE, "handle": "alice", "display_name": "Alice",
                                    "created_at": "2024-01-01T00:00:00.000Z", "role": "admin", "state": "active",
                                    "must_change_password": False}]
    [row] = store.account_page("admin", None, "al", None, 10)
    assert (row.id, row.role) == (ALICE, "admin") and store.account_page(None, "pending", None, 5000, 1)
    [(_, bind, _)] = [q for q in rec.queries if q[0] == "accounts_page"][:1]
    assert bind == {"role": "admin", "state": None, "q": "al", "before": 2**53, "limit": 10}
    rec.canned["count_role"] = [2.0]
    assert store.count_role("admin") == 2
    store.set_role(ALICE, "moderator"), store.set_role(424242, "admin")
    assert store.account_info(ALICE).role == "moderator" and store.account_info(424242) is None
    store.set_account_state(ALICE, "active"), store.set_account_state(424242, "active")
    store.set_must_change_password(ALICE, True)
    assert not [q for q in rec.queries if q[0] == "unrestrict_user_tokens"]
    store.set_must_change_password(ALICE, False)
    [(_, bind, _)] = [q for q in rec.queries if q[0] == "unrestrict_user_tokens"]
    assert bind == {"user": ALICE}
    rec.documents[("users", key(3005))] = user_doc(3005, state="pending", handle_canon="dave")
    rec.documents[("handles", "dave")] = {"_key": "dave", "user": 3005}
    assert store.remove_pending_account(3005) and not store.remove_pending_account(ALICE)
    assert ("users", key(3005)) not in rec.documents and ("handles", "dave") not in rec.documents
    exercise_suspension(store, rec)
    assert store.server_setting("registration_mode") is None
    store.set_server_setting("registration_mode", "invite")
    assert store.server_setting("registration_mode") == "invite"
    store.create_invite(NewInvite(8001, b"i" * 32, "operator", 2, None))
    store.create_invite(NewInvite(8002, b"j" * 32, "alice", 1, 1000))
    assert store.use_invite(b"i" * 32, 5000) and store.use_invite(b"i" * 32, 5000)
    assert not store.use_invite(b"i" * 32, 5000)  # used up
    assert not store.use_invite(b"j" * 32, 5000) and not store.use_invite(b"k" * 32, 5000)  # expired, unknown
    rec.canned["invites_all"] = [{"id": 8002.0, "created_by": "alice", "max_uses": 1, "uses": 0, "expires_ms": 1000},
                                 {"id": 8001, "created_by": "operator", "max_uses": 2, "uses": 2, "expires_ms": None}]
    assert [i.id for i in store.invites(10)] == [8002, 8001]
    rec.canned["invite_by_id"] = [token_key(b"j" * 32)]
    assert store.revoke_invite(8002, None) and store.revoke_invite(None, b"i" * 32)
    assert not store.revoke_invite(None, b"i" * 32)
    store.record_audit(AuditEntry(8101, "operator", "registrations.mode", "invite", None))
    rec.canned["audit_page"] = [{"id": 8101.0, "actor": "operator", "action": "registrations.mode",
                                 "target": "invite", "reason": None}]
    assert store.audit_page(None, 10) == [AuditEntry(8101, "operator", "registrations.mode", "invite", None)]


def exercise_suspension(store: ArangoStore, rec: Recorder) -> None:
    """Suspend: the state and the revocation of every token in ONE transaction; unsuspend: the state only."""
    erin = 3006
    rec.documents[("users", key(erin))] = user_doc(erin, handle_canon="erin")  # no state yet: active
    rec.canned["revoke_user_tokens"] = [1, 1]
    queries_before = len(rec.queries)
    assert store.suspend_account(erin) == 2
    [(name, bind, tx)] = rec.queries[queries_before:]
    assert (name, bind) == ("revoke_user_tokens", {"user": erin, "keep": ""})
    [(_, _, doc, update_tx)] = [w for w in rec.writes
                                if w[0] == "update" and w[1] == "users" and w[2]["_key"] == key(erin)]
    assert doc["state"] == "suspended" and tx is not None and update_tx == tx
    assert store.suspend_account(erin) is None and store.suspend_account(424242) is None  # not active, unknown
    assert len(rec.queries) == queries_before + 1  # nothing revoked again
    assert store.unsuspend_account(erin) and rec.documents[("users", key(erin))]["state"] == "active"
    assert not store.unsuspend_account(erin) and not store.unsuspend_account(424242)


def exercise_reports(store: ArangoStore, rec: Recorder) -> None:
    """Filing, listing (own, all, by state) and closing reports."""
    store.create_report(NewReport(8201, ALICE, 3007, (42, 43), "spam", None))
    open_report = ReportInfo(8201, ALICE, 3007, (42, 43), "spam", None, "open", None, None)
    assert store.report(8201) == open_report and store.report(8299) is None
    row = {"id": 8201.0, "reporter": ALICE, "target": 3007, "bark_ids": [42.0, 43], "reason": "spam",
           "text": None, "state": "open", "note": None, "resolved_by": None}
    for name in ("reports_by", "reports_all", "reports_in_state"):
        rec.canned[name] = [row]
    assert store.reports_by(ALICE, None, 10) == [open_report]
    assert store.report_page(None, 9000, 10) == [open_report] == store.report_page("open", None, 10)
    [(_, bind, _)] = [q for q in rec.queries if q[0] == "reports_in_state"]
    assert bind == {"state": "open", "before": 2**53, "limit": 10}
    assert store.close_report(8201, "dismissed", "not spam", "mod")
    assert not store.close_report(8201, "resolved", None, "mod") and not store.close_report(8299, "resolved", None, "m")
    assert store.report(8201) == ReportInfo(8201, ALICE, 3007, (42, 43), "spam", None, "dismissed", "not spam", "mod")


def test_every_query_gets_exactly_its_declared_bind_parameters(store: ArangoStore, rec: Recorder) -> None:
    exercise(store, rec)
    queries = load_queries()
    for name, bind, _ in rec.queries:
        declared = queries[name].bind_names
        assert set(bind) == declared, f"{name}: sent {sorted(bind)}, declares {sorted(declared)}"
        assert json.loads(json.dumps(bind)) == bind, f"{name}: bind_vars must be plain JSON: {bind}"
        for param in queries[name].collection_params:
            assert bind["@" + param] in NAMES, f"{name}: unknown collection {bind['@' + param]!r}"


def test_every_query_is_bounded_in_time_from_the_setting(rec: Recorder, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every query carries max_runtime (the server kills it then, even if the client stopped waiting), and
    the value is the one the settings give open_store."""
    from_url = ArangoStore.from_url.__func__  # type: ignore[attr-defined]
    monkeypatch.setattr(ArangoStore, "from_url", classmethod(
        lambda cls, url, **options: from_url(cls, url, **options, client_factory=lambda _: FakeClient(rec))))
    store = open_store(Settings(store_url="arangodb://root:pw@fake:8529/barker", arango_query_max_runtime=2.5))
    assert isinstance(store, ArangoStore)
    exercise(store, rec)
    assert rec.max_runtimes and set(rec.max_runtimes) == {2.5}
    assert len(rec.max_runtimes) == len(rec.queries)


def test_every_query_file_is_used(store: ArangoStore, rec: Recorder) -> None:
    exercise(store, rec)
    assert set(load_queries()) - {name for name, _, _ in rec.queries} == set()


def test_ids_travel_as_numbers_and_keys_as_their_strings(store: ArangoStore, rec: Recorder) -> None:
    exercise(store, rec)
    for name, bind, _ in rec.queries:
        for param in ("owner", "author", "user", "bark", "me", "viewer", "before", "after"):
            if bind.get(param) is not None:
                assert type(bind[param]) is int, f"{name}: {param}={bind[param]!r} is not an int"
    for op, collection, doc, _ in rec.writes:
        if op == "insert" and collection in ("users", "barks", "jobs"):
            assert doc["_key"] == str(doc["id"]) and type(doc["id"]) is int
        if op == "insert" and collection == "follows":
            assert doc["_key"] == follow_key(doc["follower"], doc["followee"])
            assert (doc["_from"], doc["_to"]) == (f"users/{doc['follower']}", f"users/{doc['followee']}")
        if op == "insert" and collection == "reactions":
            assert doc["_key"] == reaction_key(doc["bark"], doc["user"], doc["emoji"])
        if op == "insert" and collection == "stream":
            raise AssertionError("stream documents are sharded by owner: they may not carry a user-supplied _key")


def test_every_write_method_runs_in_one_transaction_declaring_every_collection(store: ArangoStore,
                                                                                rec: Recorder) -> None:
    exercise(store, rec)
    writes_outside = [(op, c) for op, c, _, tx in rec.writes if tx is None]
    assert writes_outside == []
    queries = load_queries()
    assert [name for name, _, tx in rec.queries if queries[name].writes and tx is None] == []
    begun = [tx for tx, what in rec.transactions if what == "begin"]
    ended = [tx for tx, what in rec.transactions if what in ("commit", "abort")]
    assert sorted(begun) == sorted(ended)  # every transaction is committed or aborted, once
    assert begun and all(sorted(declared) == sorted(NAMES) for declared in rec.declared)


def test_a_refused_rate_limit_leaves_the_group_transaction_whole(store: ArangoStore, rec: Recorder) -> None:
    """The writer runs a request's call inside the group's transaction; a call that raises after writing
    dooms the whole group (ArangoBase.bulk). A refused limit must therefore write nothing before it raises:
    the other calls of the group still commit."""
    from barker.rate_limits import Limit, LimitReached, charge

    rec.canned["rate_limit_counts"] = [3]
    with store.bulk():  # the group
        store.dismiss_suggestion(ALICE, BOB)  # another request's write in the same group
        with pytest.raises(LimitReached), store.bulk():  # this request's savepoint
            charge(store, [Limit("barks", RateCounter("barks:h:1", 3_600_000, 3))], 5000)
    assert [what for _, what in rec.transactions] == ["begin", "commit"]
    assert not [n for n, _, _ in rec.queries if n == "rate_limit_take"]


def test_rate_limit_counters_say_when_they_end(store: ArangoStore, rec: Recorder) -> None:
    """A counter document carries its window's end (what the purge's index is on); one written by an older
    release (the window's index under `window`) restarts once, instead of counting on or failing."""
    counter = name_key("nearby:1")
    rec.documents[("rate_limits", counter)] = {"_key": counter, "window": 5, "count": 9}
    assert store.hit_rate_limit("nearby:1", 1000, 5000) == 1
    assert rec.documents[("rate_limits", counter)] == {"_key": counter, "ends_ms": 6000, "count": 1}
    assert store.hit_rate_limit("nearby:1", 1000, 5999) == 2
    rec.canned["rate_limit_counts"] = [0]
    rec.canned["rate_limit_take"] = [1]
    store.take_rate_limits([RateCounter("nearby:2", 3_600_000, 5)], 5000)
    [(_, bind, _)] = [q for q in rec.queries if q[0] == "rate_limit_take"]
    assert bind["counters"] == [{"key": name_key("nearby:2"), "ends_ms": 3_600_000, "count": 1}]
