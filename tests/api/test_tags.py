"""Tag timelines, trending tags and bark search over HTTP (issue 18), bad input included: every refusal is
a 4xx that changes nothing. Until the bark service fills a bark's tags from its text (text_entities), the
tagged barks here are written through the real store with their tags, on the app's writer thread."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from barker.ports.types import BarkContent
from tests.api.conftest import Http, User


@pytest.fixture
def tagged(client: TestClient, http: Http):
    """Post a bark by `user` carrying normalised `tags`; returns its view as `user` sees it."""
    gw = client.app.state.gateway

    def post(user: User, text: str, *tags: str) -> dict[str, Any]:
        def write(store: Any) -> int:
            return store.post_bark(gw.ids.next(), user.id, text, None, 10_000, gw.ids.next(),
                                   content=BarkContent(tags=tags)).id

        bark_id = client.portal.call(gw.write, write, gw.store)
        return http.get(f"/v1/barks/{bark_id}", user)

    return post


def test_tag_timeline_any_spelling_newest_first(http: Http, alice: User, bob: User, tagged) -> None:
    first = tagged(alice, "#Café au lait", "café")
    second = tagged(bob, "#CAFÉ again", "café")
    tagged(bob, "#tea", "tea")
    for name in ("café", "Café", "CAFÉ", "cafe\u0301", "#café", "%23Caf%C3%A9"):
        path = name if name.startswith("%") else quote(name, safe="")
        page = http.get(f"/v1/tags/{path}/barks", bob)
        assert [b["id"] for b in page["items"]] == [second["id"], first["id"]], name
    pages = http.walk(f"/v1/tags/{quote('café')}/barks", alice, limit=1)
    assert [b["id"] for page in pages for b in page] == [second["id"], first["id"]]
    assert http.get("/v1/tags/cafe/barks", alice)["items"] == []


@pytest.mark.parametrize(("tag", "code"), [
    ("x" * 101, "tag_too_long"), ("%23" + "x" * 101, "tag_too_long"), ("a-b", "invalid_tag"),
    ("%F0%9F%90%B6", "invalid_tag"), ("%23", "invalid_tag"), ("x" * 2000, "invalid")])
def test_bad_tag_is_422(http: Http, alice: User, tag: str, code: str) -> None:
    before = http.snapshot(alice, "alice")
    error = http.get(f"/v1/tags/{tag}/barks", alice, status=422, code=code)
    assert "x" * 50 not in error["message"]
    assert http.snapshot(alice, "alice") == before


def test_tag_timeline_needs_a_token(http: Http) -> None:
    http.get("/v1/tags/dogs/barks", status=401)
    http.get("/v1/tags/trending", status=401)
    http.get("/v1/barks/search?q=dogs", status=401)


def test_trending_by_distinct_authors(http: Http, alice: User, bob: User, carol: User, tagged) -> None:
    for _ in range(3):
        tagged(alice, "#mine", "mine")
    for user in (alice, bob, carol):
        tagged(user, "#ours", "ours")
    tagged(carol, "#Mine too", "mine")
    assert http.get("/v1/tags/trending", bob)["items"] == [
        {"tag": "ours", "authors": 3, "barks": 3}, {"tag": "mine", "authors": 2, "barks": 4}]
    assert http.get("/v1/tags/trending?limit=1", bob)["items"] == [{"tag": "ours", "authors": 3, "barks": 3}]
    http.get("/v1/tags/trending?limit=0", bob, status=422)
    http.get("/v1/tags/trending?limit=101", bob, status=422, code="page_too_large")


def test_search_words_and_tags(http: Http, alice: User, bob: User, tagged) -> None:
    plain = http.bark(alice, "Crème brûlée tonight")
    tagged_one = tagged(bob, "crème for #dessert", "dessert")
    rebark = http.put(f"/v1/barks/{plain['id']}/rebark", bob, status=201)
    assert http.ids("/v1/barks/search?q=creme", alice) == [tagged_one["id"], plain["id"]]
    assert http.ids("/v1/barks/search?q=creme%20%23Dessert", alice) == [tagged_one["id"]]
    assert http.ids("/v1/barks/search?q=%23dessert", alice) == [tagged_one["id"]]
    assert http.ids("/v1/barks/search?q=brul", alice) == [plain["id"]]  # the last word as a prefix
    assert rebark["id"] not in http.ids("/v1/barks/search?q=tonight", alice)
    first = http.get("/v1/barks/search?q=creme&limit=1", alice)
    assert [b["id"] for b in first["items"]] == [tagged_one["id"]]
    second = http.get(f"/v1/barks/search?q=creme&limit=1&before={first['next_before']}", alice)
    assert [b["id"] for b in second["items"]] == [plain["id"]]


@pytest.mark.parametrize("q", ["a OR b", '"', "NEAR(x", "hello*", "text:hello", "(hello", "-hello", "'--",
                               "#", "##", "^", "hello AND", "%", "\\"])
def test_search_syntax_is_just_text(http: Http, alice: User, q: str) -> None:
    hello = http.bark(alice, "hello there")
    found = http.ids(f"/v1/barks/search?q={quote(q, safe='')}", alice)
    assert found in ([], [hello["id"]])


@pytest.mark.parametrize(("q", "code"), [
    ("", "invalid"), ("%20%20", "invalid"), ("x" * 201, "invalid"), ("%23" + "x" * 101, "tag_too_long")])
def test_bad_search_is_422(http: Http, alice: User, q: str, code: str) -> None:
    http.bark(alice, "something")
    before = http.snapshot(alice, "alice")
    error = http.get(f"/v1/barks/search?q={q}", alice, status=422, code=code)
    assert "x" * 50 not in error["message"]
    assert http.snapshot(alice, "alice") == before
    http.get("/v1/barks/search", alice, status=422)  # no q at all


def test_search_route_is_not_a_bark_id(http: Http, alice: User) -> None:
    assert http.get("/v1/barks/search?q=nothing", alice) == {"items": [], "next_before": None}


def test_a_posted_hashtag_reaches_its_timeline_search_and_trending(http: Http, alice: User, bob: User) -> None:
    bark = http.bark(alice, "Kaffee? #Café")
    for path in ("café", "CAFÉ", "%23cafe\u0301"):
        assert http.ids(f"/v1/tags/{path}/barks", bob) == [bark["id"]]
    assert http.ids("/v1/barks/search?q=kaffee%20%23CAF%C3%89", bob) == [bark["id"]]
    assert [t["tag"] for t in http.get("/v1/tags/trending", bob)["items"]] == ["café"]
