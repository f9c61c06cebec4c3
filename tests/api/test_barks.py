"""Barks, rebarks and reactions: the happy paths and the rejected requests that must change nothing."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.api.conftest import Http, User


def test_post_get_and_delete_a_bark(http: Http, alice: User, bob: User) -> None:
    bark = http.bark(alice, "Hello, world! 🐶\nsecond line\tand a tab")
    assert bark["text"] == "Hello, world! 🐶\nsecond line\tand a tab"
    assert bark["author"] == {"id": alice.id, "handle": "alice", "display_name": "alice", "avatar_url": None,
                              "avatar_thumbnail_url": None}
    assert bark["media"] == []
    assert (bark["reactions"], bark["my_reactions"], bark["rebark_count"]) == ({}, [], 0)
    assert (bark["rebarked_by_me"], bark["rebark_of"]) == (False, None)
    assert http.get(f"/v1/barks/{bark['id']}", bob) == bark
    assert http.profile("alice", bob)["barks_count"] == 1

    http.delete(f"/v1/barks/{bark['id']}", alice)
    http.get(f"/v1/barks/{bark['id']}", bob, status=404, code="not_found")
    http.delete(f"/v1/barks/{bark['id']}", alice, status=404, code="not_found")
    assert http.profile("alice", bob)["barks_count"] == 0
    assert http.ids("/v1/timelines/public", bob) == []


def test_deleting_someone_elses_bark_is_403_and_keeps_it(http: Http, alice: User, bob: User) -> None:
    bark = http.bark(alice, "mine")
    rebark = http.put(f"/v1/barks/{bark['id']}/rebark", bob, status=201)
    before = http.snapshot(alice, "alice", "bob")
    http.delete(f"/v1/barks/{bark['id']}", bob, status=403, code="forbidden")
    http.delete(f"/v1/barks/{rebark['id']}", alice, status=403, code="forbidden")
    assert http.snapshot(alice, "alice", "bob") == before
    assert http.get(f"/v1/barks/{bark['id']}", alice)["rebark_count"] == 1


def test_there_is_no_bark_editing(http: Http, alice: User, bob: User) -> None:
    bark = http.bark(alice, "original")
    for who in (alice, bob):
        http.patch(f"/v1/barks/{bark['id']}", who, json={"text": "edited"}, status=405,
                   code="method_not_allowed")
        http.put(f"/v1/barks/{bark['id']}", who, json={"text": "edited"}, status=405)
    assert http.get(f"/v1/barks/{bark['id']}", bob)["text"] == "original"


def test_rebark_is_idempotent_and_counts_on_the_original(http: Http, alice: User, bob: User,
                                                          carol: User) -> None:
    original = http.bark(alice, "worth sharing")
    url = f"/v1/barks/{original['id']}/rebark"
    rebark = http.put(url, bob, status=201)
    assert (rebark["text"], rebark["author"]["handle"]) == (None, "bob")
    assert rebark["rebark_of"]["id"] == original["id"]
    assert rebark["rebark_of"]["text"] == "worth sharing"
    assert rebark["rebark_of"]["rebark_count"] == 1 and rebark["rebark_of"]["rebarked_by_me"] is True
    assert http.put(url, bob, status=200) == rebark  # same rebark, not a second one
    # A rebark of the rebark acts on the original.
    assert http.put(f"/v1/barks/{rebark['id']}/rebark", bob, status=200)["id"] == rebark["id"]
    carols = http.put(f"/v1/barks/{rebark['id']}/rebark", carol, status=201)
    assert carols["rebark_of"]["id"] == original["id"]

    assert http.get(f"/v1/barks/{original['id']}", alice)["rebark_count"] == 2
    assert http.get(f"/v1/barks/{original['id']}", alice)["rebarked_by_me"] is False
    assert http.get(f"/v1/barks/{original['id']}", bob)["rebarked_by_me"] is True
    assert http.profile("bob", alice)["barks_count"] == 1
    assert http.ids("/v1/users/bob/barks", alice) == [rebark["id"]]


def test_undo_rebark(http: Http, alice: User, bob: User, carol: User) -> None:
    original = http.bark(alice, "worth sharing")
    bobs = http.put(f"/v1/barks/{original['id']}/rebark", bob, status=201)
    carols = http.put(f"/v1/barks/{original['id']}/rebark", carol, status=201)
    http.delete(f"/v1/barks/{original['id']}/rebark", bob)
    http.delete(f"/v1/barks/{original['id']}/rebark", bob)  # idempotent
    http.get(f"/v1/barks/{bobs['id']}", alice, status=404)
    assert http.get(f"/v1/barks/{original['id']}", bob)["rebark_count"] == 1
    assert http.get(f"/v1/barks/{original['id']}", bob)["rebarked_by_me"] is False
    assert http.profile("bob", alice)["barks_count"] == 0
    http.delete(f"/v1/barks/{carols['id']}/rebark", carol)  # via the rebark: acts on the original
    http.get(f"/v1/barks/{carols['id']}", alice, status=404)
    assert http.get(f"/v1/barks/{original['id']}", alice)["rebark_count"] == 0
    assert http.ids("/v1/timelines/public", alice) == [original["id"]]


def test_deleting_a_rebarked_bark_deletes_its_rebarks(http: Http, alice: User, bob: User) -> None:
    original = http.bark(alice, "soon gone")
    rebark = http.put(f"/v1/barks/{original['id']}/rebark", bob, status=201)
    http.delete(f"/v1/barks/{original['id']}", alice)
    http.get(f"/v1/barks/{rebark['id']}", bob, status=404)
    assert http.profile("bob", bob)["barks_count"] == 0
    assert http.ids("/v1/timelines/public", bob) == []


def test_deleting_own_rebark_by_id(http: Http, alice: User, bob: User) -> None:
    original = http.bark(alice, "shared")
    rebark = http.put(f"/v1/barks/{original['id']}/rebark", bob, status=201)
    http.delete(f"/v1/barks/{rebark['id']}", bob)
    assert http.get(f"/v1/barks/{original['id']}", bob)["rebark_count"] == 0
    assert http.put(f"/v1/barks/{original['id']}/rebark", bob, status=201)["id"] != rebark["id"]


def test_reactions(http: Http, alice: User, bob: User) -> None:
    bark = http.bark(alice, "react to me")
    url = f"/v1/barks/{bark['id']}/reactions"
    first = http.post(url, bob, json={"emoji": "🐶"}, status=200)
    assert (first["id"], first["reactions"], first["my_reactions"]) == (bark["id"], {"🐶": 1}, ["🐶"])
    assert http.post(url, bob, json={"emoji": "🐶"}, status=200) == first  # idempotent
    both = http.post(url, bob, json={"emoji": "👍🏽"}, status=200)
    assert both["reactions"] == {"🐶": 1, "👍🏽": 1} and sorted(both["my_reactions"]) == sorted(["🐶", "👍🏽"])
    mine = http.post(url, alice, json={"emoji": "🐶"}, status=200)
    assert mine["reactions"] == {"🐶": 2, "👍🏽": 1} and mine["my_reactions"] == ["🐶"]
    seen_by_bob = http.get(f"/v1/barks/{bark['id']}", bob)
    assert seen_by_bob["reactions"] == {"🐶": 2, "👍🏽": 1}
    assert sorted(seen_by_bob["my_reactions"]) == sorted(["🐶", "👍🏽"])

    after = http.delete(f"{url}/{quote('🐶')}", bob, status=200)
    assert after["reactions"] == {"🐶": 1, "👍🏽": 1} and after["my_reactions"] == ["👍🏽"]
    after = http.delete(f"{url}/{quote('👍🏽')}", bob, status=200)
    assert after["reactions"] == {"🐶": 1} and after["my_reactions"] == []
    assert http.delete(f"{url}/{quote('👍🏽')}", bob, status=200) == after  # idempotent
    assert http.get(f"/v1/barks/{bark['id']}", alice)["reactions"] == {"🐶": 1}


def test_reacting_to_a_rebark_reacts_to_the_original(http: Http, alice: User, bob: User) -> None:
    original = http.bark(alice, "original")
    rebark = http.put(f"/v1/barks/{original['id']}/rebark", bob, status=201)
    reacted = http.post(f"/v1/barks/{rebark['id']}/reactions", bob, json={"emoji": "🎉"}, status=200)
    assert (reacted["id"], reacted["reactions"]) == (original["id"], {"🎉": 1})
    undone = http.delete(f"/v1/barks/{rebark['id']}/reactions/{quote('🎉')}", bob, status=200)
    assert (undone["id"], undone["reactions"]) == (original["id"], {})


@pytest.mark.parametrize("emoji", ["a", "🐶🐶", "hello", "", " 🐶", "🐶 ", "#", "\u200d", 5, None, ["🐶"]])
def test_invalid_reaction_is_422_and_changes_nothing(http: Http, alice: User, bob: User, emoji: object) -> None:
    bark = http.bark(alice, "react to me")
    http.post(f"/v1/barks/{bark['id']}/reactions", bob, json={"emoji": "🐶"}, status=200)
    before = http.snapshot(bob, "alice", "bob")
    http.post(f"/v1/barks/{bark['id']}/reactions", bob, json={"emoji": emoji}, status=422, code="invalid")
    if isinstance(emoji, str) and emoji.strip():
        http.delete(f"/v1/barks/{bark['id']}/reactions/{quote(emoji)}", bob, status=422, code="invalid")
    assert http.snapshot(bob, "alice", "bob") == before


def test_reactions_per_user_are_capped(http: Http, alice: User, bob: User) -> None:
    bark = http.bark(alice, "so many feelings")
    emojis = ["🐶", "🐱", "🐭", "🐹", "🐰", "🦊", "🐻", "🐼"]
    for emoji in emojis:
        http.post(f"/v1/barks/{bark['id']}/reactions", bob, json={"emoji": emoji}, status=200)
    before = http.get(f"/v1/barks/{bark['id']}", bob)
    assert before["reactions"] == dict.fromkeys(emojis, 1)
    http.post(f"/v1/barks/{bark['id']}/reactions", bob, json={"emoji": "🐨"}, status=422, code="too_many_reactions")
    assert http.get(f"/v1/barks/{bark['id']}", bob) == before
    http.post(f"/v1/barks/{bark['id']}/reactions", alice, json={"emoji": "🐨"}, status=200)  # per user


def test_missing_barks_are_404(http: Http, alice: User) -> None:
    bark = http.bark(alice, "the only one")
    missing = bark["id"] + 1
    before = http.snapshot(alice, "alice")
    http.get(f"/v1/barks/{missing}", alice, status=404, code="not_found")
    http.delete(f"/v1/barks/{missing}", alice, status=404, code="not_found")
    http.put(f"/v1/barks/{missing}/rebark", alice, status=404, code="not_found")
    http.delete(f"/v1/barks/{missing}/rebark", alice, status=404, code="not_found")
    http.post(f"/v1/barks/{missing}/reactions", alice, json={"emoji": "🐶"}, status=404, code="not_found")
    http.delete(f"/v1/barks/{missing}/reactions/{quote('🐶')}", alice, status=404, code="not_found")
    assert http.snapshot(alice, "alice") == before
