"""Suspension through the moderators' view, QML against a real server: a moderator suspends a reported
account from its report (a reason required, after a confirmation; cancelling changes nothing), and the
suspended user's own client is logged out at once and cannot log in again (the server's message shown);
an account looked up by handle shows its state and is unsuspended and suspended from there; what the
server refuses (a moderator suspending an admin, an unknown handle) is shown, with nothing changed."""

from __future__ import annotations

import httpx2 as httpx

from tests.accounts import PASSWORD, as_admin, make_admin
from tests.live.client import User
from tests.qt.ui import WAIT_MS, click, item, items, log_in, prop, type_text


def open_moderation(qtbot, app) -> None:
    click(app, item(app, "nav_moderation"))
    qtbot.waitUntil(lambda: app.nav.page == "moderation", timeout=WAIT_MS)


def state_of(server, auth, handle: str) -> str:
    return str(as_admin(server, auth, "GET", f"/v1/admin/accounts/{handle}")["state"])


def mod_auth(server, handle: str) -> dict[str, str]:
    r = httpx.post(f"{server.base}/v1/sessions", json={"handle": handle, "password": PASSWORD})
    assert r.status_code == 201, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


def status(app) -> str:
    return str(prop(item(app, "moderationStatus"), "text"))


def test_a_reported_account_is_suspended_and_unsuspended(qtbot, server, make_client) -> None:
    ann = User(server.base, "ann")
    User(server.base, "bob")
    User(server.base, "mia")
    auth = make_admin(server, "root")
    as_admin(server, auth, "PUT", "/v1/admin/accounts/mia/role", {"role": "moderator"})
    filed = httpx.post(f"{server.base}/v1/reports", headers=ann.auth, json={"handle": "bob", "reason": "spam"})
    assert filed.status_code == 201, filed.text
    report = filed.json()["id"]

    spammer = make_client(server.base, "bob")
    log_in(qtbot, spammer, server.base, "bob")
    mod = make_client(server.base, "mia")
    log_in(qtbot, mod, server.base, "mia")
    open_moderation(qtbot, mod)
    qtbot.waitUntil(lambda: bool(items(mod, f"report_{report}")), timeout=WAIT_MS)

    # The dialog asks for a reason; cancelling it changes nothing.
    click(mod, item(mod, "suspendReportedUser", item(mod, f"report_{report}")))
    qtbot.waitUntil(lambda: bool(items(mod, "suspendConfirm")), timeout=WAIT_MS)
    assert prop(item(mod, "suspendExplanation"), "text").startswith("@bob cannot log in")
    assert not item(mod, "suspendConfirm").isEnabled()  # no reason yet
    type_text(mod, item(mod, "suspendReason"), "   ")
    assert not item(mod, "suspendConfirm").isEnabled()  # a blank one is none
    click(mod, item(mod, "suspendCancel"))
    qtbot.waitUntil(lambda: not items(mod, "suspendConfirm"), timeout=WAIT_MS)
    assert state_of(server, auth, "bob") == "active" and spammer.session.loggedIn

    click(mod, item(mod, "suspendReportedUser", item(mod, f"report_{report}")))
    qtbot.waitUntil(lambda: bool(items(mod, "suspendConfirm")), timeout=WAIT_MS)
    assert prop(item(mod, "suspendReason"), "text") == ""  # a fresh dialog
    type_text(mod, item(mod, "suspendReason"), "link farm")
    click(mod, item(mod, "suspendConfirm"))
    qtbot.waitUntil(lambda: status(mod) == "@bob is suspended.", timeout=WAIT_MS)
    assert state_of(server, auth, "bob") == "suspended"
    [entry] = as_admin(server, auth, "GET", "/v1/admin/audit?limit=1")["items"]
    assert (entry["actor"], entry["action"], entry["target"], entry["reason"]) == (
        "mia", "account.suspend", "bob", "link farm")

    # The suspended user's client is logged out at once (its stream closed), and cannot log in again.
    qtbot.waitUntil(lambda: not spammer.session.loggedIn, timeout=WAIT_MS)
    item(spammer, "loginHandle").setProperty("text", "bob")
    item(spammer, "loginPassword").setProperty("text", PASSWORD)
    click(spammer, item(spammer, "loginButton"))
    refused = httpx.post(f"{server.base}/v1/sessions", json={"handle": "bob", "password": PASSWORD})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "account_suspended"
    qtbot.waitUntil(lambda: prop(item(spammer, "loginError"), "text") == refused.json()["error"]["message"],
                    timeout=WAIT_MS)
    assert not spammer.session.loggedIn

    # Looked up by handle: its state, and Unsuspend.
    type_text(mod, item(mod, "accountLookupHandle"), "@bob")
    click(mod, item(mod, "accountLookup"))
    qtbot.waitUntil(lambda: "suspended" in prop(item(mod, "lookedUpSummary"), "text"), timeout=WAIT_MS)
    assert prop(item(mod, "lookedUpSummary"), "text").startswith("@bob (bob) · user · suspended")
    assert not items(mod, "suspendAccount")
    click(mod, item(mod, "unsuspendAccount"))
    qtbot.waitUntil(lambda: status(mod) == "@bob is active again.", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "· active ·" in prop(item(mod, "lookedUpSummary"), "text"), timeout=WAIT_MS)
    assert state_of(server, auth, "bob") == "active"
    assert items(mod, "suspendAccount") and not items(mod, "unsuspendAccount")
    click(spammer, item(spammer, "loginButton"))  # the same form: now it logs in
    qtbot.waitUntil(lambda: spammer.session.loggedIn, timeout=WAIT_MS)

    # ... and suspended again from there.
    click(mod, item(mod, "suspendAccount"))
    qtbot.waitUntil(lambda: bool(items(mod, "suspendConfirm")), timeout=WAIT_MS)
    type_text(mod, item(mod, "suspendReason"), "again")
    click(mod, item(mod, "suspendConfirm"))
    qtbot.waitUntil(lambda: "· suspended ·" in prop(item(mod, "lookedUpSummary"), "text"), timeout=WAIT_MS)
    assert state_of(server, auth, "bob") == "suspended"


def test_what_the_server_refuses_is_shown_and_changes_nothing(qtbot, server, make_client) -> None:
    User(server.base, "max")
    auth = make_admin(server, "boss")
    as_admin(server, auth, "PUT", "/v1/admin/accounts/max/role", {"role": "moderator"})
    mod = make_client(server.base, "max")
    log_in(qtbot, mod, server.base, "max")
    open_moderation(qtbot, mod)

    type_text(mod, item(mod, "accountLookupHandle"), "nobody")
    click(mod, item(mod, "accountLookup"))
    qtbot.waitUntil(lambda: status(mod) == "no such user", timeout=WAIT_MS)
    assert not items(mod, "lookedUpAccount")

    item(mod, "accountLookupHandle").setProperty("text", "boss")
    click(mod, item(mod, "accountLookup"))
    qtbot.waitUntil(lambda: "· admin · active" in prop(item(mod, "lookedUpSummary"), "text"), timeout=WAIT_MS)
    click(mod, item(mod, "suspendAccount"))
    qtbot.waitUntil(lambda: bool(items(mod, "suspendConfirm")), timeout=WAIT_MS)
    type_text(mod, item(mod, "suspendReason"), "coup")
    click(mod, item(mod, "suspendConfirm"))
    refused = httpx.post(f"{server.base}/v1/admin/accounts/boss/suspend", headers=mod_auth(server, "max"),
                         json={"reason": "coup"})
    assert refused.status_code == 403
    qtbot.waitUntil(lambda: status(mod) == refused.json()["error"]["message"], timeout=WAIT_MS)
    assert state_of(server, auth, "boss") == "active"
    assert "· admin · active" in prop(item(mod, "lookedUpSummary"), "text")
