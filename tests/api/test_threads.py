"""The HTTP API of conversations: replying (POST /v1/barks with reply_to), a bark's thread
(GET /v1/barks/{id}/thread), a user's barks without replies, and every bad input, each answered with a 4xx
that changes nothing."""

from __future__ import annotations

import pytest

from tests.api.conftest import eventually


def reply(http, user, parent, text="re"):
    return http.post("/v1/barks", user, json={"text": text, "reply_to": parent})


def test_a_reply_renders_what_it_answers_and_the_thread_shows_it(http, alice, bob):
    root = http.bark(alice, "root")
    first = reply(http, bob, root["id"])
    second = reply(http, alice, first["id"])
    assert first["reply_to"]["id"] == root["id"] and first["reply_to"]["author"]["handle"] == "alice"
    thread = http.get(f"/v1/barks/{root['id']}/thread", bob)
    assert thread["bark"]["reply_count"] == 1 and thread["ancestors"] == []
    assert [(d["id"], d["depth"]) for d in thread["descendants"]] == [(first["id"], 1), (second["id"], 2)]
    assert thread["next_after"] is None
    below = http.get(f"/v1/barks/{second['id']}/thread", bob)
    assert [a["id"] for a in below["ancestors"]] == [root["id"], first["id"]]


def test_the_thread_pages_with_next_after(http, alice, bob):
    root = http.bark(alice, "root")
    replies = [reply(http, bob, root["id"], f"re {i}")["id"] for i in range(5)]
    seen, after = [], None
    for _ in range(10):
        query = "limit=2" + (f"&after={after}" if after else "")
        page = http.get(f"/v1/barks/{root['id']}/thread?{query}", alice)
        seen += [d["id"] for d in page["descendants"]]
        after = page["next_after"]
        if after is None:
            break
    assert seen == replies


def test_a_deleted_reply_with_replies_is_a_tombstone(http, alice, bob):
    root = http.bark(alice, "root")
    middle = reply(http, bob, root["id"])
    leaf = reply(http, alice, middle["id"])
    http.delete(f"/v1/barks/{middle['id']}", bob)
    thread = http.get(f"/v1/barks/{root['id']}/thread", alice)
    assert thread["descendants"][0] == {"id": middle["id"], "deleted": True, "depth": 1}
    assert thread["descendants"][1]["id"] == leaf["id"]
    assert http.get(f"/v1/barks/{leaf['id']}/thread", alice)["ancestors"][1] == {"id": middle["id"], "deleted": True}


def test_the_thread_of_a_rebark_is_its_originals(http, alice, bob):
    root = http.bark(alice, "root")
    rebark = http.put(f"/v1/barks/{root['id']}/rebark", bob, status=201)
    answer = reply(http, bob, rebark["id"])  # a reply to a rebark answers the original
    assert answer["reply_to"]["id"] == root["id"]
    thread = http.get(f"/v1/barks/{rebark['id']}/thread", alice)
    assert thread["bark"]["id"] == root["id"] and [d["id"] for d in thread["descendants"]] == [answer["id"]]


def test_user_barks_without_replies(http, alice, bob):
    root = http.bark(bob, "root")
    mine = http.bark(alice, "mine")
    answer = reply(http, alice, root["id"])
    assert http.ids("/v1/users/alice/barks", bob) == [answer["id"], mine["id"]]
    assert http.ids("/v1/users/alice/barks?replies=true", bob) == [answer["id"], mine["id"]]
    assert http.ids("/v1/users/alice/barks?replies=false", bob) == [mine["id"]]
    http.get("/v1/users/alice/barks?replies=maybe", bob, status=422)


def test_a_reply_reaches_only_the_homes_the_rule_allows(http, alice, bob):
    carol = http.sign_up("carol")  # follows alice only
    dave = http.sign_up("dave")  # follows alice and bob
    for follower, followee in ((carol, "alice"), (dave, "alice"), (dave, "bob")):
        http.put(f"/v1/me/following/{followee}", follower)
    root = http.bark(bob, "root")
    answer = reply(http, alice, root["id"])
    own = reply(http, alice, answer["id"])  # alice continues her own thread
    eventually(lambda: http.ids("/v1/timelines/home", dave), lambda ids: ids == [own["id"], answer["id"], root["id"]])
    eventually(lambda: http.ids("/v1/timelines/home", carol), lambda ids: ids == [own["id"]])
    assert http.ids("/v1/timelines/home", alice) == [own["id"], answer["id"]]
    public = http.ids("/v1/timelines/public", carol)  # the public timeline shows replies
    assert public[:3] == [own["id"], answer["id"], root["id"]]


@pytest.mark.parametrize("reply_to", ["x", "12", 1.5, [1], {"id": 1}, True, 0, -3, 2**60])
def test_reply_to_that_is_no_bark_id_is_422_and_changes_nothing(http, alice, reply_to):
    before = http.snapshot(alice, "alice")
    http.post("/v1/barks", alice, json={"text": "hi", "reply_to": reply_to}, status=422)
    assert http.snapshot(alice, "alice") == before


def test_reply_to_unknown_or_deleted_is_404_and_changes_nothing(http, alice, bob):
    gone = http.bark(bob, "soon gone")
    http.delete(f"/v1/barks/{gone['id']}", bob)
    before = http.snapshot(alice, "alice", "bob")
    for parent in (gone["id"], gone["id"] + 12345):
        error = http.post("/v1/barks", alice, json={"text": "hi", "reply_to": parent}, status=404,
                          code="reply_to_not_found")
        assert str(parent) not in error["message"]  # errors never echo the input
    assert http.snapshot(alice, "alice", "bob") == before


def test_thread_bad_input(http, alice, bob):
    root = http.bark(alice, "root")
    first = reply(http, bob, root["id"])
    elsewhere = reply(http, bob, http.bark(bob, "other")["id"])
    before = http.snapshot(alice, "alice", "bob")
    http.get(f"/v1/barks/{root['id'] + 7}/thread", alice, status=404)  # unknown
    http.get("/v1/barks/0/thread", alice, status=422)
    http.get("/v1/barks/abc/thread", alice, status=422)
    for query in ("after=x", "after=0", "after=-1", f"after={2**60}", "limit=0", "limit=101", "limit=x"):
        http.get(f"/v1/barks/{root['id']}/thread?{query}", alice, status=422)
    for cursor in (elsewhere["id"], root["id"], first["id"] + 99):  # not below this bark
        http.get(f"/v1/barks/{root['id']}/thread?after={cursor}", alice, status=422, code="bad_cursor")
    http.get(f"/v1/barks/{root['id']}/thread", None, status=401)
    assert http.snapshot(alice, "alice", "bob") == before
    http.delete(f"/v1/barks/{first['id']}", bob)  # gone, with no replies: its thread is 404
    http.get(f"/v1/barks/{first['id']}/thread", alice, status=404)
