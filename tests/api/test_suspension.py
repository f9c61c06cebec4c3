"""Suspension (issue 19) over the real app and store: who may suspend whom, what a suspension does at once
(log-in refused with `account_suspended`, every session revoked, the profile gone for everyone but the
staff's admin API), unsuspension (log-in again; the old sessions stay revoked), bad input refused with
nothing changed, and each action in the audit log with who, what, when and why.

Hiding the suspended account's barks from timelines is the read statements' part: tests/api/
test_suspended_barks_hidden.py."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import PASSWORD, Http, User, call

ROUTES = [
    ("POST", "/v1/admin/accounts/{h}/suspend", {"reason": "spam"}),
    ("POST", "/v1/admin/accounts/{h}/unsuspend", None),
    ("GET", "/v1/admin/accounts/{h}", None),
    ("GET", "/v1/admin/accounts/{h}/barks", None),
]


def audit(http: Http, root: User) -> list[tuple[str, str, str, str | None]]:
    return [(e["actor"], e["action"], e["target"], e["reason"]) for e in http.get("/v1/admin/audit", root)["items"]]


def state(http: Http, staff: User, handle: str) -> str:
    return str(http.get(f"/v1/admin/accounts/{handle}", staff)["state"])


def suspend(http: Http, staff: User, handle: str, reason: str = "spam bot", **kw: Any) -> Any:
    return http.post(f"/v1/admin/accounts/{handle}/suspend", staff, json={"reason": reason}, **{"status": 200, **kw})


@pytest.mark.parametrize(("method", "url", "body"), ROUTES)
def test_anonymous_gets_401_and_a_user_403(http: Http, alice: User, bob: User, method: str, url: str,
                                           body: Any) -> None:
    resp = call(http, method, url, body, None, bob.handle)
    assert resp.status_code == 401 and resp.json()["error"]["code"] == "unauthorized"
    resp = call(http, method, url, body, alice, bob.handle)
    assert resp.status_code == 403 and resp.json()["error"]["code"] == "forbidden", resp.text
    assert http.get("/v1/me", bob)["handle"] == "bob"  # bob's session still works: nothing changed
    http.log_in("bob")


def test_a_moderator_suspends_a_user_at_once(http: Http, root: User, mod: User, alice: User, bob: User) -> None:
    http.put("/v1/me/following/alice", bob)
    barks = [http.bark(alice, f"bark {n}")["id"] for n in range(3)]
    second_session = http.log_in("alice")
    view = suspend(http, mod, "alice", reason="  selling followers  ")
    assert (view["handle"], view["state"], view["role"]) == ("alice", "suspended", "user")

    # Every session ends at once; log-in is refused with its own code, and no session is issued.
    for session in (alice, second_session):
        http.get("/v1/me", session, status=401)
    error = http.post("/v1/sessions", json={"handle": "alice", "password": PASSWORD}, status=403,
                      code="account_suspended")
    assert "suspended" in error["message"]
    http.post("/v1/sessions", json={"handle": "alice", "password": "wrong password"}, status=401,
              code="wrong_credentials")  # only whoever knows the password is told

    # Nobody sees the profile, its followers or can follow it: not another user, nor the staff outside the
    # admin API.
    for viewer in (bob, mod, root):
        http.get("/v1/users/alice", viewer, status=404, code="not_found")
        http.get("/v1/users/alice/followers", viewer, status=404)
        http.get("/v1/users/alice/following", viewer, status=404)
    http.put("/v1/me/following/alice", root, status=404)
    assert http.get("/v1/users/bob", mod)["handle"] == "bob"  # others as before

    # The staff still see all of it on the admin API.
    for staff in (mod, root):
        seen = http.get("/v1/admin/accounts/alice", staff)
        assert (seen["handle"], seen["state"], seen["role"], seen["barks_count"]) == ("alice", "suspended", "user", 3)
        assert seen["followers_count"] == 1
        assert http.ids("/v1/admin/accounts/alice/barks", staff) == barks[::-1]
        pages = http.walk("/v1/admin/accounts/alice/barks", staff, limit=2)
        assert [[b["id"] for b in page] for page in pages] == [barks[:0:-1], barks[:1]]
    assert [a["handle"] for a in http.get("/v1/admin/accounts?state=suspended", mod)["items"]] == ["alice"]
    assert "alice" not in [a["handle"] for a in http.get("/v1/admin/accounts?state=active", mod)["items"]]

    [entry] = http.get("/v1/admin/audit", root)["items"][:1]
    assert (entry["actor"], entry["action"], entry["target"], entry["reason"]) == (
        "mody", "account.suspend", "alice", "selling followers")  # who, what, why
    assert entry["created_at"].startswith("20")  # when


def test_unsuspension_lets_the_account_log_in_again_but_brings_no_session_back(http: Http, root: User, mod: User,
                                                                               alice: User, bob: User) -> None:
    suspend(http, mod, "alice")
    view = http.post("/v1/admin/accounts/alice/unsuspend", mod, json={"reason": "appeal granted"}, status=200)
    assert view["state"] == "active"
    http.get("/v1/me", alice, status=401)  # the old session stays revoked
    again = http.log_in("alice")
    assert http.get("/v1/me", again)["handle"] == "alice"
    assert http.get("/v1/users/alice", bob)["handle"] == "alice"
    http.put("/v1/me/following/alice", bob)
    assert audit(http, root)[:2] == [("mody", "account.unsuspend", "alice", "appeal granted"),
                                     ("mody", "account.suspend", "alice", "spam bot")]
    suspend(http, root, "alice")
    http.post("/v1/admin/accounts/alice/unsuspend", root, status=200)  # the reason is optional here
    assert audit(http, root)[0] == ("rooty", "account.unsuspend", "alice", None)


def test_only_someone_who_outranks_the_account_suspends_it(http: Http, client: Any, root: User, mod: User,
                                                           alice: User) -> None:
    from tests.api.conftest import promote

    other_mod, other_admin = http.sign_up("kim"), http.sign_up("lee")
    promote(client, other_mod, "moderator")
    promote(client, other_admin, "admin")
    for actor, target in ((mod, "rooty"), (mod, "kim"), (root, "lee")):
        error = suspend(http, actor, target, status=403, code="forbidden")
        assert "cannot suspend" in error["message"]
    for staff in (mod, root):  # nobody suspends themselves
        suspend(http, staff, staff.handle, status=422, code="cannot_suspend_self")
        http.post(f"/v1/admin/accounts/{staff.handle}/unsuspend", staff, status=422, code="cannot_suspend_self")
    for handle in ("rooty", "mody", "kim", "lee"):
        assert state(http, root, handle) == "active"
    assert [e for e in audit(http, root) if e[1] != "account.role"] == []  # nothing refused was written down

    assert suspend(http, root, "kim")["state"] == "suspended"  # an admin outranks a moderator
    http.post("/v1/admin/accounts/kim/unsuspend", mod, status=403, code="forbidden")  # a moderator does not
    assert state(http, root, "kim") == "suspended"
    assert suspend(http, mod, "alice")["state"] == "suspended"


def test_bad_input_is_4xx_and_changes_nothing(http: Http, root: User, mod: User, alice: User) -> None:
    suspend(http, mod, "nobody", status=404, code="not_found")
    http.post("/v1/admin/accounts/nobody/unsuspend", mod, status=404, code="not_found")
    http.get("/v1/admin/accounts/nobody", mod, status=404)
    http.get("/v1/admin/accounts/nobody/barks", mod, status=404)
    for body in ({}, None, {"reason": None}, {"reason": ""}, {"reason": "x" * 501}, {"reason": "x", "extra": 1}):
        http.post("/v1/admin/accounts/alice/suspend", mod, json=body, status=422)
    suspend(http, mod, "alice", reason=" \n\t ", status=422, code="reason_required")
    http.post("/v1/admin/accounts/alice/unsuspend", mod, json={"reason": "x" * 501}, status=422)
    http.post("/v1/admin/accounts/alice/unsuspend", mod, status=409, code="not_suspended")
    http.get("/v1/admin/accounts?state=gone", mod, status=422)
    http.get("/v1/admin/accounts/alice/barks?limit=0", mod, status=422)
    assert state(http, mod, "alice") == "active"
    assert http.get("/v1/me", alice)["handle"] == "alice"  # the session lives on
    assert [e for e in audit(http, root) if e[1] != "account.role"] == []

    suspend(http, mod, "alice")
    suspend(http, mod, "alice", status=409, code="already_suspended")
    assert len([e for e in audit(http, root) if e[1] == "account.suspend"]) == 1


def test_a_pending_account_is_hidden_and_not_suspended(http: Http, root: User, mod: User, bob: User) -> None:
    http.put("/v1/admin/registrations", root, json={"mode": "approval"})
    http.post("/v1/accounts", json={"handle": "newbie", "password": PASSWORD}, status=202)
    http.get("/v1/users/newbie", bob, status=404, code="not_found")
    http.put("/v1/me/following/newbie", bob, status=404)
    assert state(http, mod, "newbie") == "pending"
    suspend(http, mod, "newbie", status=409, code="not_active")  # approve or reject it instead
    http.post("/v1/sessions", json={"handle": "newbie", "password": PASSWORD}, status=403, code="pending_approval")
    assert [a["handle"] for a in http.get("/v1/admin/accounts?state=pending", mod)["items"]] == ["newbie"]
    http.post("/v1/admin/accounts/newbie/approve", mod, status=200)
    assert http.get("/v1/users/newbie", bob)["handle"] == "newbie"
