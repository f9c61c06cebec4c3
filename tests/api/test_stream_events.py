"""GET /v1/stream/events over HTTP (the websocket twin is covered by tests/live): paging, the newest N events,
and bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from backend.app import create_app
from tests.api.conftest import Http, User, expect_error
from tests.conftest import make_settings


def test_events_page_by_seq(http: Http, alice: User, bob: User) -> None:
    http.put("/v1/me/following/alice", bob)
    bark = http.bark(alice, "hello")
    assert http.get("/v1/stream/events", alice) == {"events": [], "last_seq": 2, "gap": False}  # from now
    first = http.get("/v1/stream/events?after=0&limit=1", alice)
    assert [(e["seq"], e["type"]) for e in first["events"]] == [(1, "follower")]
    rest = http.get(f"/v1/stream/events?after={first['last_seq']}", alice)
    assert [(e["seq"], e["bark"]["id"]) for e in rest["events"]] == [(2, bark["id"])]
    assert http.get(f"/v1/stream/events?after={rest['last_seq']}", alice)["events"] == []


@pytest.mark.parametrize("query", ["after=-1", "after=abc", "after=1.5", f"after={2**60}", "limit=0",
                                   "limit=101", "limit=x"])
def test_bad_cursor_or_page_size(http: Http, alice: User, query: str) -> None:
    resp = http.client.get(f"/v1/stream/events?{query}", headers=alice.headers)
    expect_error(resp, 422)


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic x"}])
def test_needs_a_valid_token(http: Http, headers: dict[str, str]) -> None:
    expect_error(http.client.get("/v1/stream/events?after=0", headers=headers), 401, "unauthorized")


def test_newest_events_by_count_across_a_jump_in_seqs(http: Http, alice: User, bob: User) -> None:
    """/newest counts events: other users' barks take seqs from the same clock, so alice's follower event is
    many seqs older than her bark but only one event older."""
    http.put("/v1/me/following/alice", bob)
    carl = http.sign_up("carl")
    for i in range(5):
        http.bark(carl, f"carl {i}")
    bark = http.bark(alice, "mine")
    now = http.get("/v1/stream/events", alice)["last_seq"]
    assert [e["type"] for e in http.get(f"/v1/stream/events?after={now - 2}", alice)["events"]] == ["bark"]
    newest = http.get("/v1/stream/events/newest?limit=2", alice)
    assert [e["type"] for e in newest["events"]] == ["follower", "bark"]
    assert newest["events"][0]["user"]["handle"] == "bob" and newest["events"][1]["bark"]["id"] == bark["id"]
    assert (newest["last_seq"], newest["gap"]) == (now, False)
    assert http.get("/v1/stream/events/newest?limit=100", alice) == newest  # fewer than asked for: all of them
    assert http.get("/v1/stream/events/newest", alice) == newest  # the default page size (20)
    assert http.get("/v1/stream/events/newest?limit=1", alice)["events"] == newest["events"][1:]
    assert http.get(f"/v1/stream/events?after={newest['last_seq']}", alice)["events"] == []  # carry on from here


@pytest.mark.parametrize(("query", "code"), [
    ("limit=0", None), ("limit=-1", None), ("limit=x", None), ("limit=1.5", None), ("limit=", None),
    (f"limit={2**70}", None), ("limit=101", "page_too_large"),
])
def test_bad_newest_page_size(http: Http, alice: User, query: str, code: str | None) -> None:
    expect_error(http.client.get(f"/v1/stream/events/newest?{query}", headers=alice.headers), 422, code)


@pytest.mark.parametrize("query", ["", "?limit=5", "?limit=101", "?limit=0"])
@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic x"}])
def test_newest_needs_a_valid_token_before_anything_else(http: Http, headers: dict[str, str], query: str) -> None:
    expect_error(http.client.get(f"/v1/stream/events/newest{query}", headers=headers), 401, "unauthorized")


def test_newest_is_capped_at_the_configured_page_size_and_documented(tmp_path: Path) -> None:
    with TestClient(create_app(make_settings(tmp_path, page_size_max=7, page_size_default=5))) as client:
        operation = client.get("/openapi.json").json()["paths"]["/v1/stream/events/newest"]["get"]
        [limit] = operation["parameters"]
        assert limit["name"] == "limit" and limit["schema"] == {"type": "integer", "minimum": 1, "maximum": 7}
        assert {"401", "422", "503"} <= set(operation["responses"])
        assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/StreamEvents"}
        user = client.post("/v1/accounts", json={"handle": "alice", "password": "correct horse"}).json()
        headers = {"Authorization": f"Bearer {user['token']}"}
        assert client.get("/v1/stream/events/newest?limit=7", headers=headers).status_code == 200
        expect_error(client.get("/v1/stream/events/newest?limit=8", headers=headers), 422, "page_too_large")
