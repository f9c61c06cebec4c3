"""What a bark's text refers to, over HTTP: mentions of users that exist, hashtags and links become
entities with code-point ranges; a reply renders what it answers; bad references change nothing."""

from __future__ import annotations

import pytest

from tests.api.conftest import Http, User


def test_mentions_tags_and_links_are_entities_with_code_point_ranges(http: Http, alice: User, bob: User) -> None:
    text = "🐶 @Bob and @nobody_here see #Café https://example.com/a?b=c (#café again)"
    bark = http.bark(alice, text)
    assert [m["handle"] for m in bark["mentions"]] == ["bob"]
    assert bark["tags"] == ["café"]
    assert [(e["type"], text[e["start"]:e["end"]]) for e in bark["entities"]] == [
        ("mention", "@Bob"), ("tag", "#Café"), ("url", "https://example.com/a?b=c"), ("tag", "#café")]
    mention = bark["entities"][0]
    assert (mention["user_id"], mention["handle"]) == (bob.id, "Bob")
    assert http.get(f"/v1/barks/{bark['id']}", bob)["entities"] == bark["entities"]


def test_a_mention_counts_once_per_user(http: Http, alice: User, bob: User) -> None:
    bark = http.bark(alice, "@bob @BOB @bob")
    assert [m["id"] for m in bark["mentions"]] == [bob.id]
    assert len(bark["entities"]) == 3


def test_more_than_ten_mentioned_users_is_refused(http: Http, alice: User) -> None:
    handles = [f"user{i:02d}" for i in range(11)]
    for handle in handles:
        http.sign_up(handle)
    ten = " ".join(f"@{h}" for h in handles[:10])
    assert len(http.bark(alice, ten + " @not_a_user")["mentions"]) == 10  # unknown handles do not count
    before = http.snapshot(alice, "alice")
    http.post("/v1/barks", alice, json={"text": " ".join(f"@{h}" for h in handles)}, status=422,
              code="too_many_mentions")
    assert http.snapshot(alice, "alice") == before


def test_a_tag_over_100_characters_is_refused(http: Http, alice: User) -> None:
    assert http.bark(alice, "#" + "a" * 100)["tags"] == ["a" * 100]
    before = http.snapshot(alice, "alice")
    http.post("/v1/barks", alice, json={"text": "#" + "a" * 101}, status=422, code="tag_too_long")
    assert http.snapshot(alice, "alice") == before


def test_a_reply_renders_what_it_answers(http: Http, alice: User, bob: User) -> None:
    root = http.bark(alice, "root")
    reply = http.post("/v1/barks", bob, json={"text": "re", "reply_to": root["id"]})
    assert reply["reply_to"]["id"] == root["id"] and reply["reply_to"]["author"]["id"] == alice.id
    assert http.get(f"/v1/barks/{root['id']}", bob)["reply_count"] == 1


@pytest.mark.parametrize(("reply_to", "status", "code"), [
    ("abc", 422, "invalid"), (1.5, 422, "invalid"), (0, 422, "invalid"), (-3, 422, "invalid"),
    (2**53, 422, "invalid"), (123456789, 404, "reply_to_not_found"),
    (123456789.0, 404, "reply_to_not_found"),  # a whole number, as JSON Schema says: no such bark
    (True, 422, "invalid"), ("12", 422, "invalid")])
def test_bad_reply_to_changes_nothing(http: Http, alice: User, reply_to: object, status: int, code: str) -> None:
    before = http.snapshot(alice, "alice")
    http.post("/v1/barks", alice, json={"text": "re", "reply_to": reply_to}, status=status, code=code)
    assert http.snapshot(alice, "alice") == before


def test_reply_to_a_deleted_bark_is_not_found(http: Http, alice: User, bob: User) -> None:
    root = http.bark(alice, "soon gone")
    http.delete(f"/v1/barks/{root['id']}", alice)
    before = http.snapshot(bob, "bob")
    http.post("/v1/barks", bob, json={"text": "re", "reply_to": root["id"]}, status=404, code="reply_to_not_found")
    assert http.snapshot(bob, "bob") == before
