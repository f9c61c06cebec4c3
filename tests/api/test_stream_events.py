"""GET /v1/stream/events over HTTP (the websocket twin is covered by tests/live): paging and bad input."""

from __future__ import annotations

import pytest

from tests.api.conftest import Http, User, expect_error


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
