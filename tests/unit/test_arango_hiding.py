"""The ArangoDB store hides blocked, muted and hidden-state users the one way (the hiding rules of issue 19):
the rule is written once (aql/hidden_users.aql), every copy of it in a query is word for word that text, and
every read binds the lists of its own viewer and applies them.

No ArangoDB server runs here: the real ArangoStore runs on the recording fake of the python-arango driver
(tests/arango_driver_fake.py), whose canned answers stand for what the server would find. What the queries
compute is checked only against a real server (tests/contract with BARKER_ARANGO_URL set).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from barker.policies import HIDDEN_STATES
from barker.store.arango import ArangoStore
from barker.store.arango_queries import code_only, load_queries
from barker.store.arango_support import key
from tests.arango_driver_fake import Recorder, fake_store

QUERIES = load_queries()
ME, FRIEND, BLOCKED, MUTED, SUSPENDED = 1001, 1002, 1003, 1004, 1005
UNSEEN, HIDDEN = [BLOCKED, SUSPENDED], [BLOCKED, SUSPENDED, MUTED]


def _lets(viewer: str) -> tuple[str, str]:
    """The two LETs of hidden_users.aql, with `viewer` in place of @viewer, each line without its indent."""
    text = QUERIES["hidden_users"].text
    body = text[text.index("LET unseen"):text.index("RETURN { unseen")]
    unseen, hidden = body.split("LET hidden")
    return _lines(unseen.replace("@viewer", viewer)), _lines(("LET hidden" + hidden).replace("@viewer", viewer))


def _lines(text: str) -> str:
    return "\n".join(line.strip() for line in text.strip().splitlines())


def _bark_rule(users: str, bark: str = "b") -> str:
    return (f"{bark}.author NOT IN {users} AND ({bark}.rebark_of == null OR FIRST(FOR o IN barks FILTER "
            f"o.id == {bark}.rebark_of RETURN o.author) NOT IN {users})")


# The queries that learn their viewer themselves, with the viewer expression, and which lists they read.
INLINE = {"home_page": ("caller", ("unseen", "hidden")), "public_page": ("caller", ("unseen", "hidden")),
          "bark_views": ("@viewer", ("unseen",)), "stream_events": ("req[0]", ("unseen", "hidden"))}


@pytest.mark.parametrize("name", sorted(INLINE))
def test_every_copy_of_the_rule_is_the_one_in_hidden_users(name: str) -> None:
    viewer, wanted = INLINE[name]
    unseen, hidden = _lets(viewer)
    text = _lines(QUERIES[name].text)
    assert unseen in text
    assert (hidden in text) == ("hidden" in wanted)


def test_the_hidden_states_in_the_queries_are_the_policies() -> None:
    literal = re.compile(r'IN \[("(?:pending|suspended|active)"[^\]]*)\]')  # a list of account states
    found = {name: literal.findall(query.text) for name, query in QUERIES.items()}
    users = [name for name, states in found.items() if states]
    assert {"hidden_users", "online_followers", *INLINE} <= set(users)
    for name in users:
        for states in found[name]:
            assert [s.strip().strip('"') for s in states.split(",")] == list(HIDDEN_STATES), name


def test_a_bark_is_hidden_by_the_same_condition_everywhere() -> None:
    """Author or, for a rebark, the original's author in the list: the one form, before each LIMIT."""
    expected = {"home_page": "hidden", "public_page": "hidden", "home_stream": "@hidden", "bark_views": "unseen",
                "user_bark_ids": "@unseen", "user_original_ids": "@unseen"}
    for name, users in expected.items():
        code = " ".join(code_only(QUERIES[name].text).split())
        assert _bark_rule(users) in code, name
        if "LIMIT @n" in code:
            assert code.index(_bark_rule(users)) < code.rindex("LIMIT @n"), f"{name}: filtered after its LIMIT"


@pytest.mark.parametrize(("name", "users"), [
    ("tag_bark_ids", "@hidden"), ("search_tags", "@hidden"), ("search_words", "@hidden"),
    ("search_words_prefix", "@hidden"), ("search_prefix", "@hidden"), ("bookmark_page", "@unseen"),
    ("notification_page", "@hidden"), ("notification_page_of_types", "@hidden"), ("notifications_unread", "@hidden"),
    ("follower_page", "@unseen"), ("following_page", "@unseen"), ("search_handles", "@unseen"),
    ("search_names", "@unseen"), ("search_bios", "@unseen"), ("suggestions_depth2", "@hidden"),
    ("suggestions_depth3", "@hidden")])
def test_each_list_filters_by_its_bound_users_before_its_limit(name: str, users: str) -> None:
    code = code_only(QUERIES[name].text)
    assert users[1:] in QUERIES[name].params
    at = code.index(users)
    assert "FILTER" in code[:at] or "excluded" in code[at - 200:at], f"{name}: {users} is not what it filters by"
    assert "LIMIT" not in code or at < code.rindex("LIMIT"), f"{name}: filtered after its LIMIT"


# -- the adapter binds each viewer's lists ---------------------------------------------------------------
@pytest.fixture
def rec() -> Recorder:
    found = Recorder()
    found.canned["hidden_users"] = lambda bind: [{"unseen": [float(u) for u in UNSEEN], "hidden": HIDDEN}
                                                 if bind["viewer"] == ME else {"unseen": [SUSPENDED],
                                                                               "hidden": [SUSPENDED]}]
    found.canned["user_views"] = lambda bind: [_user_row(i) for i in bind["ids"]]
    return found


@pytest.fixture
def store(rec: Recorder) -> ArangoStore:
    return fake_store(rec)


def _user_row(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "handle": f"u{user_id}", "display_name": "U", "bio": "", "created_at": "t",
            "followers_count": 0, "following_count": 0, "barks_count": 0, "following": False, "followed_by": False,
            "blocking": user_id == BLOCKED, "blocked_by": False, "muting": user_id == MUTED}


def _bark_row(bark_id: int, author: int, original: dict[str, Any] | None = None) -> dict[str, Any]:
    row = {"id": bark_id, "created_at": "t", "text": "x", "reactions": {}, "rebark_count": 0, "my_reactions": [],
           "rebarked_by_me": False, "author": {"id": author, "handle": f"u{author}", "display_name": "U"}}
    return {"bark": row, "original": original}


def _sent(rec: Recorder, name: str) -> list[dict[str, Any]]:
    return [bind for n, bind, _ in rec.queries if n == name]


def test_each_read_binds_the_lists_of_its_own_viewer(store: ArangoStore, rec: Recorder) -> None:
    store.tag_bark_ids("t", None, 5, viewer=ME)
    store.search_bark_ids(["fox"], [], None, 5, viewer=ME)
    store.search_bark_ids([], ["t"], None, 5, viewer=ME)
    store.bookmark_page(ME, None, 5)
    store.notification_page(ME, None, 5, None)
    store.notification_page(ME, None, 5, ["mention"])
    store.notifications_unread(ME)
    store.follower_page(FRIEND, None, 5, ME)
    store.following_page(FRIEND, None, 5, ME)
    store.search_users("u", ["al"], (0, 0), 5, viewer=ME)
    store.suggestions(ME, 2, 5)
    store.suggestions(ME, 3, 5)
    store.home_stream(ME, None, 5)
    store.user_bark_ids(FRIEND, None, 5, viewer=ME)
    store.user_bark_ids(FRIEND, None, 5, replies=False, viewer=ME)
    for name in ("tag_bark_ids", "search_words", "search_tags", "notification_page", "notification_page_of_types",
                 "notifications_unread", "suggestions_depth2", "suggestions_depth3", "home_stream"):
        assert [b["hidden"] for b in _sent(rec, name)] == [HIDDEN], name
    for name in ("bookmark_page", "follower_page", "following_page", "search_handles", "search_names",
                 "user_bark_ids", "user_original_ids"):
        assert [b["unseen"] for b in _sent(rec, name)] == [UNSEEN], name  # ints, as the other ids
    assert {b["viewer"] for b in _sent(rec, "hidden_users")} == {ME}
    # No viewer (internal reads: an export, a moderator's view): nothing hidden, and nothing asked.
    asked = len(_sent(rec, "hidden_users"))
    store.tag_bark_ids("t", None, 5, viewer=None)
    assert _sent(rec, "tag_bark_ids")[-1]["hidden"] == [] and len(_sent(rec, "hidden_users")) == asked


def test_hidden_stream_entries_are_skipped_but_advance_the_cursor(store: ArangoStore, rec: Recorder) -> None:
    rec.canned["stream_events"] = [{"trimmed": 0, "entries": [
        {"seq": 1, "kind": "bark", "ref": 11, "author": FRIEND, "hidden": False},
        {"seq": 2, "kind": "bark", "ref": 12, "author": FRIEND, "hidden": True},  # rebarks a hidden user
        {"seq": 3, "kind": "follow", "ref": 13, "author": MUTED, "hidden": True}]}]
    rec.canned["bark_views"] = lambda bind: [_bark_row(i, FRIEND) for i in bind["ids"]]
    found = store.stream_events(ME, 0, 10)
    assert [e["seq"] for e in found.events] == [1] and found.last_seq == 3
    assert _sent(rec, "user_views") == []  # the hidden follower is not even rendered


def test_nearby_leaves_out_hidden_users_and_the_seeker(store: ArangoStore, rec: Recorder) -> None:
    rec.documents[("locations", key(ME))] = {"_key": key(ME), "lat": 0.0, "lon": 0.0}
    rec.canned["nearest_users"] = [{"user": u, "lat": 0.0, "lon": 0.0, "visibility": "everyone", "meters": 0.0}
                                   for u in (ME, FRIEND, BLOCKED, MUTED, SUSPENDED)]
    assert [u for u, _ in store.nearest_users(ME, 10, 5)] == [FRIEND]


def test_a_thread_shows_what_is_hidden_around_the_bark_as_deleted(store: ArangoStore, rec: Recorder) -> None:
    """The bark asked for stays, even by a muted user; a muted ancestor or reply is a tombstone (bark_views
    already leaves out the unseen ones: tombstones too)."""
    focus, parent, reply, unseen_reply = 21, 20, 22, 23
    rec.canned["bark_views"] = lambda bind: [_bark_row(i, MUTED if i in (focus, parent) else FRIEND)
                                             for i in bind["ids"] if i != unseen_reply]
    rec.canned["reply_path_up"] = lambda bind: [[focus, parent]] if bind["key"] == key(focus) else []
    rec.canned["thread_children"] = lambda bind: [[reply, unseen_reply] if p == focus else [] for p, _ in bind["asks"]]
    thread = store.thread(focus, ME, None, 10)
    assert thread.bark["id"] == focus and thread.bark["author"]["id"] == MUTED
    assert thread.ancestors == [{"id": parent, "deleted": True}]
    assert [(d["id"], d.get("deleted", False)) for d in thread.descendants] == [(reply, False), (unseen_reply, True)]
