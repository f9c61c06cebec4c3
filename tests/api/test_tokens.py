"""Bearer tokens: every kind of bad token gets the same 401, and does nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from barker.ids import now_ms
from barker.security import new_token, token_digest
from barker.settings import Settings
from tests.api.conftest import Http, User, expect_error

# Every authenticated route, with a body that would be valid.
AUTHENTICATED = [
    ("DELETE", "/v1/sessions/current", None), ("GET", "/v1/me", None),
    ("PATCH", "/v1/me", {"bio": "hacked"}),
    ("PUT", "/v1/me/password", {"old_password": "correct horse", "new_password": "hacked hacked"}),
    ("GET", "/v1/users/alice", None), ("GET", "/v1/users/alice/barks", None),
    ("GET", "/v1/users/alice/followers", None), ("GET", "/v1/users/alice/following", None),
    ("PUT", "/v1/me/following/alice", None), ("DELETE", "/v1/me/following/alice", None),
    ("POST", "/v1/barks", {"text": "hacked"}), ("GET", "/v1/barks/{bark}", None),
    ("DELETE", "/v1/barks/{bark}", None), ("PUT", "/v1/barks/{bark}/rebark", None),
    ("DELETE", "/v1/barks/{bark}/rebark", None), ("POST", "/v1/barks/{bark}/reactions", {"emoji": "🐶"}),
    ("DELETE", "/v1/barks/{bark}/reactions/%F0%9F%90%B6", None),
    ("GET", "/v1/timelines/home", None), ("GET", "/v1/timelines/public", None),
]


def insert_token(client: TestClient, user: User, expires_ms: int) -> str:
    token = new_token()
    client.app.state.gateway.store.create_token(token_digest(token), user.id, expires_ms)
    return token


def test_every_authenticated_route_refuses_a_missing_token(http: Http, client: TestClient, alice: User) -> None:
    bark = http.bark(alice, "original")
    http.post(f"/v1/barks/{bark['id']}/reactions", alice, json={"emoji": "🐶"}, status=200)
    before = http.snapshot(alice, "alice")
    for method, url, body in AUTHENTICATED:
        resp = client.request(method, url.format(bark=bark["id"]), json=body)
        error = expect_error(resp, 401, "unauthorized")
        assert error["message"] == "missing, expired or revoked token", (method, url)
        assert resp.headers["WWW-Authenticate"] == "Bearer", (method, url)
    assert http.snapshot(alice, "alice") == before
    http.log_in("alice")  # the password did not change


@pytest.mark.parametrize("authorization", [
    "", "Bearer", "Bearer ", "bearer", "Basic YWxpY2U6Y29ycmVjdCBob3JzZQ==", "Token abc", "Bearer a b",
    "Bearer " + "A" * 43, "Bearer " + "x" * 5000, "Bearer \u00e9t\u00e9",
])
def test_malformed_or_unknown_tokens_are_401(http: Http, alice: User, authorization: str) -> None:
    headers = {"Authorization": authorization.encode("latin-1")}  # raw header bytes
    error = http.get("/v1/me", headers=headers, status=401, code="unauthorized")
    assert error["message"] == "missing, expired or revoked token"
    http.post("/v1/barks", headers=headers, json={"text": "nope"}, status=401)
    assert http.get("/v1/me", alice)["barks_count"] == 0


def test_a_token_in_another_place_is_not_accepted(http: Http, client: TestClient, alice: User) -> None:
    client.cookies.set("token", alice.token)
    http.get(f"/v1/me?token={alice.token}", status=401)
    http.get("/v1/me", headers={"X-Token": alice.token}, status=401)
    client.cookies.clear()


def test_revoked_token_is_401(http: Http, alice: User) -> None:
    http.delete("/v1/sessions/current", alice)
    error = http.get("/v1/me", alice, status=401, code="unauthorized")
    assert error["message"] == "missing, expired or revoked token"
    http.post("/v1/barks", alice, json={"text": "after log-out"}, status=401)
    assert http.get("/v1/timelines/public", http.log_in("alice"))["items"] == []


def test_expired_token_is_401(http: Http, client: TestClient, alice: User) -> None:
    live = insert_token(client, alice, now_ms() + 60_000)
    assert http.get("/v1/me", headers={"Authorization": f"Bearer {live}"})["id"] == alice.id  # the control
    expired = insert_token(client, alice, now_ms() - 1)
    headers = {"Authorization": f"Bearer {expired}"}
    error = http.get("/v1/me", headers=headers, status=401, code="unauthorized")
    assert error["message"] == "missing, expired or revoked token"
    http.post("/v1/barks", headers=headers, json={"text": "too late"}, status=401)
    http.delete("/v1/sessions/current", headers=headers, status=401)
    assert http.get("/v1/me", alice)["barks_count"] == 0


def test_sessions_report_their_expiry(http: Http, settings: Settings) -> None:
    for session in (http.post("/v1/accounts", json={"handle": "dora", "password": "correct horse"}),
                    http.post("/v1/sessions", json={"handle": "dora", "password": "correct horse"})):
        assert session["expires_at"].endswith("Z")
        expires = datetime.fromisoformat(session["expires_at"].replace("Z", "+00:00"))
        assert abs((expires - datetime.now(UTC)).total_seconds() - settings.token_ttl_seconds) < 60
