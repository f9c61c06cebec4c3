"""GET /v1/notifications, POST /v1/notifications/read, GET /v1/notifications/unread_count: the history of
reactions, rebarks, replies, mentions and follows, its type filter and pages, the read marker, bad input."""

from __future__ import annotations

from typing import Any

import pytest

from barker.ids import MAX_ID
from tests.api.conftest import Http, User, expect_error


def listed(http: Http, user: User, query: str = "") -> list[tuple[str, str, int | None]]:
    items = http.get(f"/v1/notifications{query}", user)["items"]
    return [(n["type"], n["actor"]["handle"], n["bark"] and n["bark"]["id"]) for n in items]


def activity(http: Http, alice: User, bob: User, carol: User) -> dict[str, Any]:
    """bob reacts to, rebarks and replies to alice's bark; carol follows her."""
    mine = http.bark(alice, "hello")
    http.post(f"/v1/barks/{mine['id']}/reactions", bob, status=200, json={"emoji": "🐶"})
    http.put(f"/v1/barks/{mine['id']}/rebark", bob, status=201)
    reply = http.post("/v1/barks", bob, json={"text": "hi back", "reply_to": mine["id"]})
    http.put("/v1/me/following/alice", carol)
    return {"mine": mine, "reply": reply}


def test_each_kind_listed_newest_first_with_actor_bark_and_emoji(http: Http, alice: User, bob: User,
                                                                 carol: User) -> None:
    made = activity(http, alice, bob, carol)
    mine, reply = made["mine"]["id"], made["reply"]["id"]
    assert listed(http, alice) == [("follow", "carol", None), ("reply", "bob", reply), ("rebark", "bob", mine),
                                   ("reaction", "bob", mine)]
    page = http.get("/v1/notifications", alice)
    assert page["next_before"] is None
    assert [n["emoji"] for n in page["items"]] == [None, None, None, "🐶"]
    assert page["items"][0]["actor"]["following"] is False and page["items"][0]["actor"]["followed_by"] is True
    assert page["items"][-1]["bark"]["my_reactions"] == []  # rendered for alice, not bob
    assert listed(http, bob) == [] and listed(http, carol) == []
    assert http.get("/v1/notifications/unread_count", alice) == {"unread_count": 4, "last_read_id": 0}


def test_types_filter_repeatable(http: Http, alice: User, bob: User, carol: User) -> None:
    activity(http, alice, bob, carol)
    assert [t for t, *_ in listed(http, alice, "?types=reply&types=follow")] == ["follow", "reply"]
    assert [t for t, *_ in listed(http, alice, "?types=reaction")] == ["reaction"]
    assert listed(http, alice, "?types=mention") == []


def test_pages_follow_next_before(http: Http, alice: User, bob: User) -> None:
    bark = http.bark(alice, "react to me")
    for emoji in "🐶🐱🐭🐹🐰":
        http.post(f"/v1/barks/{bark['id']}/reactions", bob, status=200, json={"emoji": emoji})
    pages = http.walk("/v1/notifications", alice, limit=2)
    assert [[n["emoji"] for n in page] for page in pages] == [["🐰", "🐹"], ["🐭", "🐱"], ["🐶"]]


def test_undo_and_delete_remove_notifications(http: Http, alice: User, bob: User, carol: User) -> None:
    made = activity(http, alice, bob, carol)
    mine = made["mine"]["id"]
    http.delete(f"/v1/barks/{mine}/reactions/🐶", bob, status=200)
    http.delete(f"/v1/barks/{mine}/rebark", bob)
    http.delete(f"/v1/barks/{made['reply']['id']}", bob)
    http.delete("/v1/me/following/alice", carol, status=200)  # the follow notification stays
    assert listed(http, alice) == [("follow", "carol", None)]


def test_read_marker_forward_only_and_clamped(http: Http, alice: User, bob: User, carol: User) -> None:
    activity(http, alice, bob, carol)
    ids = [n["id"] for n in http.get("/v1/notifications", alice)["items"]]  # newest first
    assert http.post("/v1/notifications/read", alice, status=200, json={"up_to": ids[2]}) == {
        "last_read_id": ids[2], "unread_count": 2}
    assert http.post("/v1/notifications/read", alice, status=200, json={"up_to": ids[3]}) == {
        "last_read_id": ids[2], "unread_count": 2}  # never back
    assert http.post("/v1/notifications/read", alice, status=200, json={"up_to": MAX_ID}) == {
        "last_read_id": ids[0], "unread_count": 0}  # clamped to the newest
    assert http.get("/v1/notifications/unread_count", alice) == {"unread_count": 0, "last_read_id": ids[0]}
    assert http.get("/v1/notifications/unread_count", bob) == {"unread_count": 0, "last_read_id": 0}


@pytest.mark.parametrize("query", ["types=nope", "types=reply&types=Reply", "types=", "types=follower",
                                   "types=reply&" * 6, "before=0", "before=x", "limit=0", "limit=101"])
def test_bad_list_queries_are_422(http: Http, alice: User, bob: User, query: str) -> None:
    bark = http.bark(alice, "x")
    http.post(f"/v1/barks/{bark['id']}/reactions", bob, status=200, json={"emoji": "🐶"})
    error = expect_error(http.client.get(f"/v1/notifications?{query}", headers=alice.headers), 422)
    assert "nope" not in error["message"] and "Reply" not in error["message"]  # input is never echoed


@pytest.mark.parametrize("body", [{}, {"up_to": "x"}, {"up_to": -1}, {"up_to": 1.5}, {"up_to": True},
                                  {"up_to": "12"}, {"up_to": MAX_ID + 1}, {"up_to": None}, {"up_to": 1, "x": 1},
                                  [1]])
def test_bad_up_to_is_422_and_changes_nothing(http: Http, alice: User, bob: User, carol: User, body: Any) -> None:
    activity(http, alice, bob, carol)
    before = http.get("/v1/notifications/unread_count", alice)
    expect_error(http.client.post("/v1/notifications/read", headers=alice.headers, json=body), 422)
    assert http.get("/v1/notifications/unread_count", alice) == before == {"unread_count": 4, "last_read_id": 0}


@pytest.mark.parametrize(("method", "url"), [("GET", "/v1/notifications"), ("GET", "/v1/notifications/unread_count"),
                                             ("POST", "/v1/notifications/read")])
def test_needs_a_token(http: Http, method: str, url: str) -> None:
    expect_error(http.client.request(method, url, json={"up_to": 1}), 401, "unauthorized")


def test_mentions_notify_each_mentioned_user_once_and_a_reply_only_as_a_reply(http: Http, alice: User, bob: User,
                                                                              carol: User) -> None:
    root = http.bark(alice, "root")
    reply = http.post("/v1/barks", bob, json={"text": "@alice @Carol @carol @bob @nobody", "reply_to": root["id"]})
    assert listed(http, alice) == [("reply", "bob", reply["id"])]  # answered and mentioned: one notification
    assert listed(http, carol) == [("mention", "bob", reply["id"])]
    assert listed(http, bob) == []  # mentioning yourself notifies nobody
    assert http.get("/v1/notifications/unread_count", carol)["unread_count"] == 1
    http.delete(f"/v1/barks/{reply['id']}", bob)
    assert listed(http, carol) == [] and http.get("/v1/notifications/unread_count", carol)["unread_count"] == 0
