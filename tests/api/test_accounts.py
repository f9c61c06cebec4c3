"""Sign-up, sessions, the caller's own account and password changes."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from backend.app import create_app
from barker.settings import Settings
from tests.api.conftest import PASSWORD, Http, User


def test_sign_up_returns_a_working_session(http: Http) -> None:
    session = http.post("/v1/accounts", json={"handle": "Ada_L", "password": PASSWORD,
                                              "display_name": "Ada Lovelace", "bio": "engines"})
    assert session["token_type"] == "bearer" and len(session["token"]) >= 32
    user = session["user"]
    assert (user["handle"], user["display_name"], user["bio"]) == ("Ada_L", "Ada Lovelace", "engines")
    assert (user["followers_count"], user["following_count"], user["barks_count"]) == (0, 0, 0)
    me = http.get("/v1/me", headers={"Authorization": f"Bearer {session['token']}"})
    assert me == user


def test_display_name_defaults_to_the_handle(http: Http) -> None:
    assert http.sign_up("grace").profile["display_name"] == "grace"


def test_log_in_is_case_insensitive_and_keeps_the_handle_as_typed(http: Http) -> None:
    signed_up = http.sign_up("Alice")
    for typed in ("Alice", "alice", "ALICE", "aLiCe"):
        session = http.log_in(typed)
        assert session.id == signed_up.id
        assert session.handle == "Alice"
        assert session.token != signed_up.token
        assert http.get("/v1/me", session)["id"] == signed_up.id


def test_log_out_revokes_only_the_current_token(http: Http, alice: User) -> None:
    other = http.log_in("alice")
    http.delete("/v1/sessions/current", alice)
    http.get("/v1/me", alice, status=401, code="unauthorized")
    http.delete("/v1/sessions/current", alice, status=401)
    assert http.get("/v1/me", other)["handle"] == "alice"


def test_edit_profile(http: Http, alice: User, bob: User) -> None:
    me = http.patch("/v1/me", alice, json={"display_name": "  Alice A.  ", "bio": "line one\nline two"})
    assert (me["display_name"], me["bio"]) == ("Alice A.", "line one\nline two")
    me = http.patch("/v1/me", alice, json={"bio": ""})  # only the given field changes
    assert (me["display_name"], me["bio"]) == ("Alice A.", "")
    assert http.get("/v1/me", alice) == me
    seen = http.profile("alice", bob)
    assert (seen["display_name"], seen["bio"]) == ("Alice A.", "")


@pytest.mark.parametrize("body", [{}, {"display_name": None}, {"display_name": ""}, {"display_name": "a\nb"},
                                  {"display_name": "x" * 51}, {"bio": "x" * 301}, {"bio": "a\x00"},
                                  {"bio": "ok", "handle": "mallory"}, {"display_name": 5}])
def test_invalid_profile_edit_changes_nothing(http: Http, alice: User, body: dict) -> None:
    before = http.get("/v1/me", alice)
    http.patch("/v1/me", alice, json=body, status=422, code="invalid")
    assert http.get("/v1/me", alice) == before


def test_change_password(http: Http, alice: User) -> None:
    current, other = http.log_in("alice"), http.log_in("alice")
    http.put("/v1/me/password", current, json={"old_password": PASSWORD, "new_password": "new battery"},
             status=204)
    for revoked in (alice, other):
        http.get("/v1/me", revoked, status=401, code="unauthorized")
    assert http.get("/v1/me", current)["handle"] == "alice"
    http.post("/v1/sessions", json={"handle": "alice", "password": PASSWORD}, status=401)
    assert http.log_in("alice", "new battery").id == alice.id


def test_change_password_requires_the_old_password(http: Http, alice: User) -> None:
    other = http.log_in("alice")
    http.put("/v1/me/password", alice, json={"old_password": "wrong horse", "new_password": "new battery"},
             status=403, code="wrong_password")
    http.put("/v1/me/password", alice, json={"new_password": "new battery"}, status=422)
    http.put("/v1/me/password", alice, json={"old_password": PASSWORD, "new_password": "short"}, status=422)
    # Nothing changed: every session still works and only the old password logs in.
    assert http.get("/v1/me", alice)["id"] == http.get("/v1/me", other)["id"] == alice.id
    http.post("/v1/sessions", json={"handle": "alice", "password": "new battery"}, status=401)
    http.post("/v1/sessions", json={"handle": "alice", "password": "short"}, status=401)
    http.log_in("alice")


@pytest.mark.parametrize(("first", "second"), [("Alice", "alice"), ("alice", "ALICE"), ("aLiCe", "AlIcE")])
def test_duplicate_handle_in_any_case_is_409(http: Http, first: str, second: str) -> None:
    original = http.sign_up(first)
    http.post("/v1/accounts", json={"handle": second, "password": "other password"}, status=409,
              code="handle_taken")
    http.post("/v1/sessions", json={"handle": second, "password": "other password"}, status=401)
    profile = http.profile(second, original)
    assert (profile["id"], profile["handle"]) == (original.id, first)


@pytest.mark.parametrize("handle", ["a", "x" * 31, "bad-char", "bad char", "ålice", "al.ice", "", "🐶🐶"])
def test_invalid_handle_is_422_and_creates_nothing(http: Http, alice: User, handle: str) -> None:
    http.post("/v1/accounts", json={"handle": handle, "password": PASSWORD}, status=422, code="invalid")
    http.post("/v1/sessions", json={"handle": handle, "password": PASSWORD}, status=401)


@pytest.mark.parametrize("password", ["", "short", "x" * 7, "x" * 257])
def test_invalid_password_is_422_and_creates_nothing(http: Http, password: str) -> None:
    http.post("/v1/accounts", json={"handle": "dora", "password": password}, status=422, code="invalid")
    http.post("/v1/sessions", json={"handle": "dora", "password": password}, status=401)
    http.sign_up("dora", "x" * 8)  # the handle is still free; 8 characters is enough


@pytest.mark.parametrize("body", [{"handle": "dora"}, {"password": PASSWORD}, {"handle": 5, "password": PASSWORD},
                                  {"handle": "dora", "password": PASSWORD, "admin": True},
                                  {"handle": "dora", "password": PASSWORD, "display_name": " "},
                                  {"handle": "dora", "password": PASSWORD, "bio": "x" * 301}])
def test_malformed_sign_up_is_422_and_creates_nothing(http: Http, body: dict) -> None:
    http.post("/v1/accounts", json=body, status=422, code="invalid")
    http.sign_up("dora")


def test_wrong_password_and_unknown_user_get_the_same_answer(http: Http, alice: User) -> None:
    wrong = http.post("/v1/sessions", json={"handle": "alice", "password": "wrong horse"}, status=401)
    unknown = http.post("/v1/sessions", json={"handle": "nobody", "password": "wrong horse"}, status=401)
    assert wrong == unknown == {"code": "wrong_credentials", "message": "wrong handle or password"}
    http.get("/v1/me", alice)  # a failed log-in does not touch existing sessions


def test_log_in_upgrades_an_old_password_hash(http: Http, settings: Settings) -> None:
    """A hash made with weaker Argon2 parameters is replaced at the next successful log-in."""
    alice = http.sign_up("alice")
    with TestClient(create_app(settings.model_copy(update={"argon2_time_cost": 2}))) as stronger:
        store = stronger.app.state.gateway.store
        assert ",t=1," in store.password_hash(alice.id)
        assert stronger.post("/v1/sessions", json={"handle": "alice", "password": "wrong horse"}).status_code == 401
        assert ",t=1," in store.password_hash(alice.id)
        assert stronger.post("/v1/sessions", json={"handle": "alice", "password": PASSWORD}).status_code == 201
        assert ",t=2," in store.password_hash(alice.id)
    http.log_in("alice")  # the upgraded hash still verifies here
    http.post("/v1/sessions", json={"handle": "alice", "password": "wrong horse"}, status=401)
