"""The HTTP API of blocks and mutes (/v1/me/blocks, /v1/me/mutes): the lists and the User objects' blocking,
blocked_by and muting; bad input refused with nothing changed; the block budget; the writes a block forbids
(follow, reply, reaction, rebark: 403, nothing written; a mention: not resolved); and the reads it closes (a
user's timeline, a bark and its thread by id)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from backend.app import create_app
from tests.api.conftest import Http, User, expect_error
from tests.conftest import make_settings


def handles(page: dict[str, Any]) -> list[str]:
    return [user["handle"] for user in page["items"]]


def state(http: Http, viewer: User) -> dict[str, Any]:
    """What a refused block or mute request must leave as it was."""
    return {"blocks": http.get("/v1/me/blocks", viewer), "mutes": http.get("/v1/me/mutes", viewer),
            "me": http.get("/v1/me", viewer)}


def test_block_unblock_and_the_list(http: Http, alice: User, bob: User, carol: User) -> None:
    http.put("/v1/me/following/bob", alice)
    http.put("/v1/me/following/alice", bob)
    blocked = http.put("/v1/me/blocks/bob", alice)
    assert (blocked["handle"], blocked["blocking"], blocked["blocked_by"], blocked["muting"]) == ("bob", True, False,
                                                                                                 False)
    assert (blocked["following"], blocked["followed_by"]) == (False, False)  # follows end both ways
    assert http.put("/v1/me/blocks/BOB", alice) == blocked  # idempotent, any case
    http.put("/v1/me/blocks/carol", alice)
    assert handles(http.get("/v1/me/blocks", alice)) == ["carol", "bob"]
    first = http.get("/v1/me/blocks?limit=1", alice)
    assert handles(first) == ["carol"] and handles(http.get(f"/v1/me/blocks?before={first['next_before']}",
                                                            alice)) == ["bob"]
    seen_by_bob = http.profile("alice", bob)  # a profile stays readable: the client shows it as unavailable
    assert (seen_by_bob["blocking"], seen_by_bob["blocked_by"]) == (False, True)
    assert http.get("/v1/me/blocks", bob)["items"] == []

    http.delete("/v1/me/blocks/bob", alice)
    http.delete("/v1/me/blocks/bob", alice)  # idempotent
    assert handles(http.get("/v1/me/blocks", alice)) == ["carol"]
    assert http.profile("bob", alice)["blocking"] is False and http.profile("bob", alice)["following"] is False


def test_mute_unmute_and_the_list(http: Http, alice: User, bob: User, carol: User) -> None:
    muted = http.put("/v1/me/mutes/bob", alice, json={"duration": 3600})
    assert (muted["muting"], muted["blocking"], muted["blocked_by"]) == (True, False, False)
    assert http.put("/v1/me/mutes/carol", alice)["muting_until"] is None  # no body: until unmuted
    http.put("/v1/me/mutes/carol", alice, json={"duration": None})
    page = http.get("/v1/me/mutes", alice)
    assert handles(page) == ["carol", "bob"]
    assert page["items"][0]["muting_until"] is None and page["items"][1]["muting_until"] == muted["muting_until"]
    assert http.profile("alice", bob)["muting"] is False  # they are not told
    http.delete("/v1/me/mutes/bob", alice)
    http.delete("/v1/me/mutes/bob", alice)
    assert handles(http.get("/v1/me/mutes", alice)) == ["carol"]
    assert http.profile("bob", alice)["muting"] is False


@pytest.mark.parametrize(("method", "url"), [("GET", "/v1/me/blocks"), ("PUT", "/v1/me/blocks/bob"),
                                             ("DELETE", "/v1/me/blocks/bob"), ("GET", "/v1/me/mutes"),
                                             ("PUT", "/v1/me/mutes/bob"), ("DELETE", "/v1/me/mutes/bob")])
def test_every_route_needs_a_token(http: Http, bob: User, method: str, url: str) -> None:
    expect_error(http.client.request(method, url), 401)
    expect_error(http.client.request(method, url, headers={"Authorization": "Bearer nope"}), 401)


def test_bad_input_is_refused_and_changes_nothing(http: Http, alice: User, bob: User) -> None:
    before = state(http, alice)
    http.put("/v1/me/blocks/nobody", alice, status=404)
    http.put("/v1/me/mutes/nobody", alice, status=404)
    http.delete("/v1/me/blocks/nobody", alice, status=404)
    http.put("/v1/me/blocks/alice", alice, status=422, code="cannot_block_self")
    http.put("/v1/me/mutes/ALICE", alice, status=422, code="cannot_mute_self")
    for duration in (0, -5, 10 * 366 * 86400 + 1, "3600", 1.5, True):
        http.put("/v1/me/mutes/bob", alice, json={"duration": duration}, status=422)
    http.put("/v1/me/mutes/bob", alice, json={"duration": 60, "extra": 1}, status=422)
    http.put("/v1/me/blocks/" + "x" * 65, alice, status=422)
    assert state(http, alice) == before
    assert http.profile("bob", alice)["muting"] is False


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[..., Http]]:
    """serve(**settings) -> Http on a fresh app with those settings."""
    clients: list[TestClient] = []

    def start(**overrides: Any) -> Http:
        client = TestClient(create_app(make_settings(tmp_path / str(len(clients)), **overrides)))
        client.__enter__()
        clients.append(client)
        return Http(client)

    yield start
    for client in clients:
        client.__exit__(None, None, None)


def test_blocks_and_mutes_share_a_budget(serve) -> None:
    http = serve(blocks_per_hour=2)
    alice, bob = http.sign_up("alice"), http.sign_up("bob")
    http.sign_up("carol")
    first = http.client.put("/v1/me/blocks/bob", headers=alice.headers)
    assert first.status_code == 200 and first.headers["x-ratelimit-limit"] == "2"
    assert http.client.put("/v1/me/mutes/carol", headers=alice.headers).status_code == 200
    refused = http.client.put("/v1/me/blocks/carol", headers=alice.headers)
    expect_error(refused, 429)
    assert 0 < int(refused.headers["retry-after"]) <= 3600
    assert refused.headers["x-ratelimit-remaining"] == "0"
    assert handles(http.get("/v1/me/blocks", alice)) == ["bob"]  # nothing written
    assert http.client.put("/v1/me/blocks/carol", headers=bob.headers).status_code == 200  # a budget per user


@pytest.mark.parametrize("who_blocks", ["alice", "bob"])
def test_a_block_forbids_follows_replies_reactions_and_rebarks(http: Http, alice: User, bob: User,
                                                              who_blocks: str) -> None:
    blocker, other = (alice, bob) if who_blocks == "alice" else (bob, alice)
    theirs = http.bark(bob, "bob's bark")
    http.put(f"/v1/me/blocks/{other.handle}", blocker)
    code = "blocking" if who_blocks == "alice" else "blocked"  # from alice's side
    before = http.snapshot(alice, "bob")
    http.put("/v1/me/following/bob", alice, status=403, code=code)
    http.post("/v1/barks", alice, json={"text": "hi", "reply_to": theirs["id"]}, status=403, code=code)
    http.post(f"/v1/barks/{theirs['id']}/reactions", alice, json={"emoji": "🐶"}, status=403, code=code)
    http.put(f"/v1/barks/{theirs['id']}/rebark", alice, status=403, code=code)
    assert http.snapshot(alice, "bob") == before
    assert http.get(f"/v1/barks/{theirs['id']}", bob)["reply_count"] == 0
    assert http.get("/v1/notifications", bob)["items"] == []


def test_a_mention_of_a_blocked_user_is_not_resolved(http: Http, alice: User, bob: User, carol: User) -> None:
    http.put("/v1/me/blocks/alice", bob)
    bark = http.bark(alice, "hello @bob and @carol")
    assert [m["handle"] for m in bark["mentions"]] == ["carol"]
    assert [e.get("handle") for e in bark["entities"] if e["type"] == "mention"] == ["carol"]
    assert http.get("/v1/notifications", bob)["items"] == []
    assert [n["type"] for n in http.get("/v1/notifications", carol)["items"]] == ["mention"]


def test_a_user_timeline_is_unavailable_across_a_block(http: Http, alice: User, bob: User, carol: User) -> None:
    http.bark(bob, "bob barks")
    http.put("/v1/me/blocks/alice", bob)
    error = http.get("/v1/users/bob/barks", alice, status=404, code="unavailable")
    assert error["message"] == "this account is unavailable to you"
    error = http.get("/v1/users/alice/barks", bob, status=403, code="blocking")
    assert error["message"] == "you block @alice: unblock them to see their barks"
    assert len(http.get("/v1/users/bob/barks", carol)["items"]) == 1
    assert len(http.get("/v1/users/bob/barks", bob)["items"]) == 1
    http.put("/v1/me/mutes/bob", carol)
    assert len(http.get("/v1/users/bob/barks", carol)["items"]) == 1  # a mute hides nothing here
    http.get("/v1/users/nobody/barks", alice, status=404, code="not_found")


def test_a_bark_and_its_thread_are_not_found_across_a_block(http: Http, alice: User, bob: User,
                                                            carol: User) -> None:
    root = http.bark(carol, "root")
    reply = http.post("/v1/barks", bob, json={"text": "bob answers", "reply_to": root["id"]})
    shared = http.put(f"/v1/barks/{reply['id']}/rebark", carol, status=201)
    http.put("/v1/me/blocks/bob", alice)
    for bark_id in (reply["id"], shared["id"]):
        http.get(f"/v1/barks/{bark_id}", alice, status=404, code="not_found")
        http.get(f"/v1/barks/{bark_id}/thread", alice, status=404, code="not_found")
        http.put(f"/v1/barks/{bark_id}/bookmark", alice, status=404, code="not_found")
    assert http.get("/v1/me/bookmarks", alice)["items"] == []
    thread = http.get(f"/v1/barks/{root['id']}/thread", alice)
    assert thread["descendants"] == [{"id": reply["id"], "deleted": True, "depth": 1}]
    assert http.get(f"/v1/barks/{reply['id']}", carol)["id"] == reply["id"]  # only for alice
    http.put("/v1/me/mutes/bob", carol)
    assert http.get(f"/v1/barks/{reply['id']}", carol)["id"] == reply["id"]  # a mute: still there by id
    assert http.get(f"/v1/barks/{root['id']}/thread", carol)["descendants"][0].get("deleted") is True
