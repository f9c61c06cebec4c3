"""The operators' API (/v1/admin/...) and what it changes for everyone: roles, registration modes end to
end, invites, approving sign-ups, an admin's password reset and the session that must change it, the audit
log. Each endpoint's authorization: anonymous 401, a user 403, a moderator 403 on admin-only routes.

The first admin is made as the command line makes it (barker/services/admin.py on the app's real store,
as the operator): there is no other way to get one, which is the point."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from backend.app import create_app
from barker.services import admin
from tests.api.conftest import PASSWORD, Http, User, call
from tests.conftest import make_settings

ADMIN_ONLY = [
    ("PUT", "/v1/admin/accounts/{h}/role", {"role": "moderator"}),
    ("GET", "/v1/admin/registrations", None),
    ("PUT", "/v1/admin/registrations", {"mode": "open"}),
    ("POST", "/v1/admin/invites", {"uses": 1}),
    ("GET", "/v1/admin/invites", None),
    ("DELETE", "/v1/admin/invites/1", None),
    ("POST", "/v1/admin/accounts/{h}/password", None),
    ("GET", "/v1/admin/audit", None),
]
STAFF = [
    ("GET", "/v1/admin/accounts", None),
    ("POST", "/v1/admin/accounts/{h}/approve", None),
    ("POST", "/v1/admin/accounts/{h}/reject", None),
]


@pytest.mark.parametrize(("method", "url", "body"), ADMIN_ONLY + STAFF)
def test_anonymous_gets_401_and_a_user_403(http: Http, alice: User, bob: User, method: str, url: str,
                                           body: Any) -> None:
    resp = call(http, method, url, body, None, bob.handle)
    assert resp.status_code == 401 and resp.json()["error"]["code"] == "unauthorized"
    resp = call(http, method, url, body, alice, bob.handle)
    assert resp.status_code == 403 and resp.json()["error"]["code"] == "forbidden", resp.text
    assert http.get("/v1/me", bob)["role"] == "user"  # nothing changed


@pytest.mark.parametrize(("method", "url", "body"), ADMIN_ONLY)
def test_a_moderator_cannot_call_admin_only_routes(http: Http, mod: User, bob: User, method: str, url: str,
                                                   body: Any) -> None:
    resp = call(http, method, url, body, mod, bob.handle)
    assert resp.status_code == 403 and resp.json()["error"]["code"] == "forbidden", resp.text


def test_me_renders_the_role_only_on_your_own_account(http: Http, root: User, alice: User) -> None:
    assert http.get("/v1/me", root)["role"] == "admin"
    me = http.get("/v1/me", alice)
    assert (me["role"], me["must_change_password"]) == ("user", False)
    assert "role" not in http.get("/v1/users/rooty", alice)


def test_roles_change_and_the_last_admin_stays(http: Http, root: User, alice: User) -> None:
    view = http.put("/v1/admin/accounts/alice/role", root, json={"role": "moderator"})
    assert (view["handle"], view["role"]) == ("alice", "moderator")
    assert http.get("/v1/me", alice)["role"] == "moderator"
    http.put("/v1/admin/accounts/rooty/role", root, json={"role": "user"}, status=409, code="last_admin")
    assert http.get("/v1/me", root)["role"] == "admin"
    http.put("/v1/admin/accounts/alice/role", root, json={"role": "admin"})
    http.put("/v1/admin/accounts/rooty/role", root, json={"role": "user"})  # another admin is left
    assert http.get("/v1/me", root)["role"] == "user"
    http.get("/v1/admin/audit", root, status=403, code="forbidden")  # at once


def test_bad_input_is_4xx_and_changes_nothing(http: Http, root: User, alice: User) -> None:
    http.put("/v1/admin/accounts/nobody/role", root, json={"role": "admin"}, status=404)
    http.put("/v1/admin/accounts/alice/role", root, json={"role": "king"}, status=422)
    http.put("/v1/admin/registrations", root, json={"mode": "maybe"}, status=422)
    http.post("/v1/admin/invites", root, json={"uses": 0}, status=422)
    http.post("/v1/admin/invites", root, json={"uses": 1, "expires_days": -1}, status=422)
    http.post("/v1/admin/accounts/nobody/password", root, status=404)
    http.post("/v1/admin/accounts/alice/approve", root, status=404, code="not_pending")
    http.post("/v1/admin/accounts/nobody/reject", root, status=404)
    http.delete("/v1/admin/invites/12345", root, status=404)
    http.get("/v1/admin/accounts?role=king", root, status=422)
    assert http.get("/v1/me", alice)["role"] == "user"
    assert http.get("/v1/admin/registrations", root) == {"mode": "open"}
    assert http.get("/v1/admin/invites", root) == {"items": []}
    # Only the operator's promotion that made the admin: nothing refused was written down.
    assert [(e["actor"], e["action"]) for e in http.get("/v1/admin/audit", root)["items"]] == [
        ("operator", "account.role")]


def test_account_list_filters_and_pages(http: Http, root: User, mod: User, alice: User, bob: User) -> None:
    everyone = http.get("/v1/admin/accounts", mod)["items"]
    assert [a["handle"] for a in everyone] == ["bob", "alice", "mody", "rooty"]  # newest first
    assert [a["handle"] for a in http.get("/v1/admin/accounts?role=admin", mod)["items"]] == ["rooty"]
    assert [a["handle"] for a in http.get("/v1/admin/accounts?q=AL", mod)["items"]] == ["alice"]
    first = http.get("/v1/admin/accounts?limit=2", root)
    assert [a["handle"] for a in first["items"]] == ["bob", "alice"]
    rest = http.get(f"/v1/admin/accounts?limit=2&before={first['next_before']}", root)
    assert [a["handle"] for a in rest["items"]] == ["mody", "rooty"]
    assert http.get("/v1/admin/accounts?state=pending", root)["items"] == []


def test_closed_mode_refuses_sign_up(http: Http, root: User) -> None:
    assert http.put("/v1/admin/registrations", root, json={"mode": "closed"}) == {"mode": "closed"}
    http.post("/v1/accounts", json={"handle": "newbie", "password": PASSWORD}, status=403,
              code="registrations_closed")
    http.post("/v1/sessions", json={"handle": "newbie", "password": PASSWORD}, status=401)
    http.put("/v1/admin/registrations", root, json={"mode": "open"})
    http.sign_up("newbie")


def test_the_environment_lock_wins_over_the_stored_mode(tmp_path: Path) -> None:
    with TestClient(create_app(make_settings(tmp_path, registrations="closed"))) as client:
        gw = client.app.state.gateway  # type: ignore[attr-defined]
        admin.set_registration_mode(gw.store, gw.ids, admin.OPERATOR, "open")
        Http(client).post("/v1/accounts", json={"handle": "newbie", "password": PASSWORD}, status=403,
                          code="registrations_closed")


def test_approval_mode_end_to_end(http: Http, root: User, mod: User) -> None:
    http.put("/v1/admin/registrations", root, json={"mode": "approval"})
    pending = http.post("/v1/accounts", json={"handle": "newbie", "password": PASSWORD}, status=202)
    assert pending["pending"] is True and pending["handle"] == "newbie"
    error = http.post("/v1/sessions", json={"handle": "newbie", "password": PASSWORD}, status=403,
                      code="pending_approval")
    assert "approval" in error["message"]
    # A wrong password is not told the account is pending.
    http.post("/v1/sessions", json={"handle": "newbie", "password": "wrong password"}, status=401)
    listed = http.get("/v1/admin/accounts?state=pending", mod)["items"]
    assert [(a["handle"], a["state"]) for a in listed] == [("newbie", "pending")]
    assert http.post("/v1/admin/accounts/newbie/approve", mod, status=200)["state"] == "active"
    assert http.post("/v1/sessions", json={"handle": "newbie", "password": PASSWORD})["user"]["handle"] == "newbie"
    # Rejected: deleted, the handle free again.
    http.post("/v1/accounts", json={"handle": "spammer", "password": PASSWORD}, status=202)
    http.post("/v1/admin/accounts/spammer/reject", mod, status=204, json={"reason": "spam"})
    http.get("/v1/users/spammer", root, status=404)
    http.post("/v1/accounts", json={"handle": "spammer", "password": PASSWORD}, status=202)
    actions = [(e["actor"], e["action"], e["target"], e["reason"]) for e in http.get("/v1/admin/audit", root)["items"]]
    assert actions[:3] == [("mody", "account.reject", "spammer", "spam"), ("mody", "account.approve", "newbie", None),
                           ("rooty", "registrations.mode", "approval", None)]


def test_invite_mode_end_to_end(http: Http, root: User) -> None:
    http.put("/v1/admin/registrations", root, json={"mode": "invite"})
    http.post("/v1/accounts", json={"handle": "newbie", "password": PASSWORD}, status=403, code="invalid_invite")
    http.post("/v1/accounts", json={"handle": "newbie", "password": PASSWORD, "invite": "made-up"}, status=403,
              code="invalid_invite")
    made = http.post("/v1/admin/invites", root, json={"uses": 2, "expires_days": 7})
    assert (made["max_uses"], made["uses"], made["usable"]) == (2, 0, True) and made["expires_at"]
    for handle in ("first", "second"):
        session = http.post("/v1/accounts", json={"handle": handle, "password": PASSWORD, "invite": made["code"]})
        assert session["user"]["handle"] == handle
    http.post("/v1/accounts", json={"handle": "third", "password": PASSWORD, "invite": made["code"]}, status=403,
              code="invalid_invite")  # used up
    [listed] = http.get("/v1/admin/invites", root)["items"]
    assert (listed["id"], listed["uses"], listed["usable"]) == (made["id"], 2, False) and "code" not in listed
    other = http.post("/v1/admin/invites", root, json={})
    http.delete(f"/v1/admin/invites/{other['id']}", root)
    http.post("/v1/accounts", json={"handle": "third", "password": PASSWORD, "invite": other["code"]}, status=403,
              code="invalid_invite")  # revoked
    http.get("/v1/users/third", root, status=404)


def test_an_expired_invite_is_refused(http: Http, root: User, client: TestClient) -> None:
    gw = client.app.state.gateway  # type: ignore[attr-defined]
    made = admin.create_invite(gw.store, gw.ids, admin.OPERATOR, 5, 0.0000001)  # ~9 ms
    http.put("/v1/admin/registrations", root, json={"mode": "invite"})
    time.sleep(0.05)
    http.post("/v1/accounts", json={"handle": "late", "password": PASSWORD, "invite": made["code"]}, status=403,
              code="invalid_invite")


def test_a_password_reset_by_an_admin_forces_a_change(http: Http, root: User, alice: User) -> None:
    one_time = http.post("/v1/admin/accounts/alice/password", root, status=200)["password"]
    http.get("/v1/me", alice, status=401)  # every session revoked
    http.post("/v1/sessions", json={"handle": "alice", "password": PASSWORD}, status=401)
    session = http.post("/v1/sessions", json={"handle": "alice", "password": one_time})
    assert session["must_change_password"] is True and session["user"]["must_change_password"] is True
    limited = User("alice", alice.id, session["token"], one_time)
    assert http.get("/v1/me", limited)["must_change_password"] is True
    for method, url, body in [("GET", "/v1/timelines/home", None), ("GET", "/v1/timelines/public", None),
                              ("POST", "/v1/barks", {"text": "hi"}), ("GET", "/v1/users/rooty", None),
                              ("PATCH", "/v1/me", {"bio": "x"}), ("GET", "/v1/notifications", None)]:
        resp = http.client.request(method, url, json=body, headers=limited.headers)
        assert resp.status_code == 403 and resp.json()["error"]["code"] == "password_change_required", (url, resp.text)
    http.put("/v1/me/password", limited, status=204, json={"old_password": one_time, "new_password": "a new secret"})
    me = http.get("/v1/me", limited)
    assert me["must_change_password"] is False and http.get("/v1/timelines/home", limited)["items"] == []
    http.post("/v1/sessions", json={"handle": "alice", "password": "a new secret"})
    assert http.post("/v1/sessions", json={"handle": "alice", "password": "a new secret"})[
        "must_change_password"] is False
    [entry] = [e for e in http.get("/v1/admin/audit", root)["items"] if e["action"] == "account.reset_password"]
    assert (entry["actor"], entry["target"]) == ("rooty", "alice") and entry["created_at"].endswith("Z")


def test_a_restricted_session_may_log_out(http: Http, root: User, alice: User) -> None:
    one_time = http.post("/v1/admin/accounts/alice/password", root, status=200)["password"]
    session = http.post("/v1/sessions", json={"handle": "alice", "password": one_time})
    limited = User("alice", alice.id, session["token"], one_time)
    http.delete("/v1/sessions/current", limited)
    http.get("/v1/me", limited, status=401)


def test_the_audit_log_pages(http: Http, root: User) -> None:
    for mode in ("approval", "invite", "open"):
        http.put("/v1/admin/registrations", root, json={"mode": mode})
    first = http.get("/v1/admin/audit?limit=2", root)
    assert [e["target"] for e in first["items"]] == ["open", "invite"]
    rest = http.get(f"/v1/admin/audit?limit=2&before={first['next_before']}", root)
    assert [e["target"] for e in rest["items"]] == ["approval", "rooty"]  # and the operator's promotion


def test_a_refused_sign_up_does_not_use_up_the_invite(http: Http, root: User, alice: User) -> None:
    http.put("/v1/admin/registrations", root, json={"mode": "invite"})
    code = http.post("/v1/admin/invites", root, json={"uses": 1})["code"]
    http.post("/v1/accounts", json={"handle": "alice", "password": PASSWORD, "invite": code}, status=409)
    http.post("/v1/accounts", json={"handle": "newbie", "password": PASSWORD, "invite": code})
    [listed] = http.get("/v1/admin/invites", root)["items"]
    assert listed["uses"] == 1
