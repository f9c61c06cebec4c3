"""Store contract: users, handles, tokens, id-generator node leases."""

from __future__ import annotations

import pytest

from barker.errors import Conflict, Invalid, NotFound
from barker.ports.types import NewUser


def test_handles_are_unique_case_insensitively(store, ids):
    store.create_user(NewUser(ids.next(), "Alice", "alice", "Alice", "", "h1"))
    with pytest.raises(Conflict):
        store.create_user(NewUser(ids.next(), "ALICE", "alice", "Other", "", "h2"))
    creds = store.credentials("alice")
    assert creds is not None and creds.password_hash == "h1"
    view = store.user_view(creds.user_id, None)
    assert view["handle"] == "Alice"  # the display form is kept


def test_unknown_user(store):
    assert store.credentials("nobody") is None
    assert store.user_id_by_handle("nobody") is None
    assert store.user_view(12345, None) is None
    with pytest.raises(NotFound):
        store.update_profile(12345, "x", None)


def test_profile_update_and_password(store, make_user):
    uid = make_user("bob")
    store.update_profile(uid, None, "hello")
    store.update_profile(uid, "Bobby", None)
    view = store.user_view(uid, uid)
    assert (view["display_name"], view["bio"]) == ("Bobby", "hello")
    store.set_password_hash(uid, "new")
    assert store.password_hash(uid) == "new"


def test_tokens_expire_and_revoke(store, make_user):
    uid = make_user("carol")
    store.create_token(b"a" * 32, uid, expires_ms=2000)
    store.create_token(b"b" * 32, uid, expires_ms=2000)
    store.create_token(b"c" * 32, uid, expires_ms=2000)
    assert store.token_user(b"a" * 32, now_ms=1999) == uid
    assert store.token_user(b"a" * 32, now_ms=2000) is None  # expired
    store.revoke_token(b"a" * 32)
    assert store.token_user(b"a" * 32, now_ms=0) is None
    assert store.revoke_user_tokens(uid, keep=b"b" * 32) == 1
    assert store.token_user(b"b" * 32, now_ms=0) == uid
    assert store.token_user(b"c" * 32, now_ms=0) is None


def test_bulk_rolls_back_as_a_whole(store, ids):
    with pytest.raises(RuntimeError), store.bulk():
        store.create_user(NewUser(ids.next(), "dave", "dave", "Dave", "", "h"))
        raise RuntimeError("boom")
    assert store.credentials("dave") is None


def test_failed_write_inside_bulk_leaves_the_rest(store, ids):
    with store.bulk():
        store.create_user(NewUser(ids.next(), "erin", "erin", "Erin", "", "h"))
        with pytest.raises(Conflict):
            store.create_user(NewUser(ids.next(), "Erin", "erin", "Erin", "", "h"))
    assert store.credentials("erin") is not None


def test_node_leases(store):
    a = store.claim_node("proc-a", now_ms=0, ttl_ms=1000)
    b = store.claim_node("proc-b", now_ms=0, ttl_ms=1000)
    assert a != b
    assert store.renew_node(a, "proc-a", now_ms=500, ttl_ms=1000)
    assert not store.renew_node(a, "proc-b", now_ms=500, ttl_ms=1000)
    # b's lease ran out at 1000: a newcomer may take it; a's (renewed to 1500) is still held.
    c = store.claim_node("proc-c", now_ms=1200, ttl_ms=1000)
    assert c == b
    assert not store.renew_node(b, "proc-b", now_ms=1300, ttl_ms=1000)


def test_all_nodes_leased(store):
    for i in range(32):
        store.claim_node(f"p{i}", now_ms=0, ttl_ms=1000)
    with pytest.raises(Conflict):
        store.claim_node("one-too-many", now_ms=10, ttl_ms=1000)


def test_self_follow_is_invalid(store, make_user):
    """The same error as the service's (code self_follow, a 422), and nothing written: the stores used to
    raise the generic `invalid` while the service said `self_follow`."""
    uid = make_user("frank")
    with pytest.raises(Invalid) as refused:
        store.follow(uid, uid, 1, 2)
    assert refused.value.code == "self_follow"
    view = store.user_view(uid, uid)
    assert (view["followers_count"], view["following_count"]) == (0, 0)
    assert store.follower_page(uid, None, 10, uid) == [] and store.stream_events(uid, 0, 10).events == []


def test_checkpoint_keeps_every_committed_write(store, ids, tmp_path):
    """Housekeeping may run at any time, concurrently with reads and writes, and loses nothing."""
    for i in range(50):
        store.create_user(NewUser(ids.next(), f"user{i}", f"user{i}", "U", "", "h"))
    store.checkpoint()
    store.create_user(NewUser(ids.next(), "late", "late", "L", "", "h"))
    store.checkpoint()
    assert all(store.credentials(f"user{i}") for i in range(50)) and store.credentials("late")
