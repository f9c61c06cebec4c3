"""Bookmarks over HTTP (issue 18): PUT/DELETE /v1/barks/{id}/bookmark, GET /v1/me/bookmarks. Private: no
other user learns of them."""

from __future__ import annotations

from tests.api.conftest import Http, User


def test_bookmark_flow(http: Http, alice: User, bob: User) -> None:
    one, two, three = (http.bark(alice, f"bark {i}") for i in range(3))
    for bark in (two, one, three):
        marked = http.put(f"/v1/barks/{bark['id']}/bookmark", bob)
        assert marked["id"] == bark["id"] and marked["bookmarked"] is True
    again = http.put(f"/v1/barks/{one['id']}/bookmark", bob)  # idempotent
    assert again["bookmarked"] is True
    pages = http.walk("/v1/me/bookmarks", bob, limit=2)
    assert [[b["id"] for b in page] for page in pages] == [[three["id"], one["id"]], [two["id"]]]
    assert all(b["bookmarked"] for page in pages for b in page)
    http.delete(f"/v1/barks/{one['id']}/bookmark", bob)
    http.delete(f"/v1/barks/{one['id']}/bookmark", bob)  # idempotent
    assert http.ids("/v1/me/bookmarks", bob) == [three["id"], two["id"]]
    assert http.get(f"/v1/barks/{one['id']}", bob)["bookmarked"] is False


def test_bookmarks_are_private(http: Http, alice: User, bob: User, carol: User) -> None:
    bark = http.bark(alice, "mine")
    before = {user.handle: (http.get(f"/v1/barks/{bark['id']}", user), http.get("/v1/me", user))
              for user in (alice, carol)}
    http.put(f"/v1/barks/{bark['id']}/bookmark", bob)
    for user in (alice, carol):  # the author and anyone else see no change at all
        assert (http.get(f"/v1/barks/{bark['id']}", user), http.get("/v1/me", user)) == before[user.handle]
        assert http.get(f"/v1/barks/{bark['id']}", user)["bookmarked"] is False
        assert http.get("/v1/me/bookmarks", user)["items"] == []
    assert [b["bookmarked"] for b in http.get("/v1/timelines/public", alice)["items"]] == [False]
    assert [b["bookmarked"] for b in http.get("/v1/timelines/public", bob)["items"]] == [True]


def test_a_rebark_bookmarks_its_original(http: Http, alice: User, bob: User) -> None:
    bark = http.bark(alice, "original")
    rebark = http.put(f"/v1/barks/{bark['id']}/rebark", bob, status=201)
    marked = http.put(f"/v1/barks/{rebark['id']}/bookmark", bob)
    assert marked["id"] == bark["id"] and marked["bookmarked"] is True
    assert http.ids("/v1/me/bookmarks", bob) == [bark["id"]]


def test_unknown_bark_is_404_and_changes_nothing(http: Http, alice: User, bob: User) -> None:
    gone = http.bark(alice, "soon gone")
    http.put(f"/v1/barks/{gone['id']}/bookmark", bob)
    http.delete(f"/v1/barks/{gone['id']}", alice)
    assert http.get("/v1/me/bookmarks", bob)["items"] == []  # deleted with its bark
    before = http.snapshot(bob, "alice")
    for bark_id in (gone["id"], 10**12):
        http.put(f"/v1/barks/{bark_id}/bookmark", bob, status=404)
        http.delete(f"/v1/barks/{bark_id}/bookmark", bob)  # nothing to remove: still 204
    for bad in ("0", "-1", "abc", str(2**53)):
        http.put(f"/v1/barks/{bad}/bookmark", bob, status=422)
    http.get("/v1/me/bookmarks?before=abc", bob, status=422)
    http.get("/v1/me/bookmarks?limit=101", bob, status=422)
    assert http.snapshot(bob, "alice") == before
    assert http.get("/v1/me/bookmarks", bob)["items"] == []


def test_bookmarks_need_a_token(http: Http, alice: User) -> None:
    bark = http.bark(alice, "x")
    http.put(f"/v1/barks/{bark['id']}/bookmark", status=401)
    http.delete(f"/v1/barks/{bark['id']}/bookmark", status=401)
    http.get("/v1/me/bookmarks", status=401)
