"""The account states the server can answer with, through QML: a password reset by an admin (the client
shows only the change-password screen until it is changed, after log-in or on a restored session), and the
registration modes at sign-up (approval, invite, closed): a clear message, and nothing typed is lost.

The states are made as an operator makes them: the first admin with `barker admin`, then the admin API."""

from __future__ import annotations

import json
from pathlib import Path

import httpx2 as httpx
import pytest

from tests.accounts import PASSWORD, as_admin, make_admin
from tests.live.client import User
from tests.qt.ui import WAIT_MS, click, item, items, log_in, prop, type_text
from tests.servers import Server

NEW_PASSWORD = "a brand new secret"


@pytest.fixture(scope="module")
def admin_auth(server: Server) -> dict[str, str]:
    return make_admin(server, "chief")


@pytest.fixture
def mode(server: Server, admin_auth: dict[str, str]):
    """mode(name) sets the registration mode; it is open again after the test."""
    def set_mode(name: str) -> None:
        as_admin(server, admin_auth, "PUT", "/v1/admin/registrations", {"mode": name})
    yield set_mode
    set_mode("open")


def reset_password(server: Server, admin_auth: dict[str, str], handle: str) -> str:
    return as_admin(server, admin_auth, "POST", f"/v1/admin/accounts/{handle}/password")["password"]


def only_the_change_screen(app) -> bool:
    return bool(items(app, "forcedChangeButton")) and not items(app, "nav_home") and not items(app, "loginButton")


def fill_sign_up(app, server_url: str, handle: str, invite: str = "") -> None:
    click(app, item(app, "signupToggle"))
    item(app, "loginServer").setProperty("text", server_url)
    type_text(app, item(app, "loginHandle"), handle)
    type_text(app, item(app, "loginPassword"), PASSWORD)
    if invite:
        type_text(app, item(app, "loginInvite"), invite)


def form(app) -> tuple[str, str, str]:
    return tuple(prop(item(app, n), "text") for n in ("loginHandle", "loginPassword", "loginInvite"))  # type: ignore[return-value]


def test_after_an_admin_reset_log_in_leads_only_to_the_password_change(qtbot, server, make_client,
                                                                         admin_auth) -> None:
    User(server.base, "lea")
    one_time = reset_password(server, admin_auth, "lea")
    app = make_client(server.base)
    item(app, "loginServer").setProperty("text", server.base)
    type_text(app, item(app, "loginHandle"), "lea")
    type_text(app, item(app, "loginPassword"), one_time)
    click(app, item(app, "loginButton"))
    qtbot.waitUntil(lambda: only_the_change_screen(app), timeout=WAIT_MS)
    assert "reset your password" in prop(item(app, "forcedChangeInfo"), "text")
    assert app.stream.state == "offline"

    # A wrong one-time password: the server's message, still held.
    type_text(app, item(app, "forcedOld"), "not it at all")
    type_text(app, item(app, "forcedNew"), NEW_PASSWORD)
    type_text(app, item(app, "forcedRepeat"), NEW_PASSWORD)
    click(app, item(app, "forcedChangeButton"))
    qtbot.waitUntil(lambda: prop(item(app, "forcedError"), "text") != "", timeout=WAIT_MS)
    assert prop(item(app, "forcedError"), "text") == "the old password is wrong"
    assert only_the_change_screen(app)

    item(app, "forcedOld").setProperty("text", "")
    type_text(app, item(app, "forcedOld"), one_time)
    click(app, item(app, "forcedChangeButton"))
    qtbot.waitUntil(lambda: app.stream.state == "live" and app.home.loaded, timeout=WAIT_MS)
    assert items(app, "nav_home") and not items(app, "forcedChangeButton")
    assert not app.session.mustChangePassword
    r = httpx.post(f"{server.base}/v1/sessions", json={"handle": "lea", "password": NEW_PASSWORD})
    assert r.status_code == 201 and r.json()["must_change_password"] is False


def test_a_restored_session_that_must_change_the_password_is_held(qtbot, server, make_client, admin_auth,
                                                                   tmp_path: Path) -> None:
    User(server.base, "max")
    one_time = reset_password(server, admin_auth, "max")
    session = httpx.post(f"{server.base}/v1/sessions", json={"handle": "max", "password": one_time}).json()
    config = tmp_path / "cfg"
    config.mkdir()
    (config / "session.json").write_text(json.dumps({"server_url": server.base, "token": session["token"],
                                                     "handle": "max"}))
    app = make_client("", "restored", config)
    qtbot.waitUntil(lambda: only_the_change_screen(app), timeout=WAIT_MS)
    assert app.session.loggedIn and app.stream.state == "offline"

    type_text(app, item(app, "forcedOld"), one_time)
    type_text(app, item(app, "forcedNew"), NEW_PASSWORD)
    type_text(app, item(app, "forcedRepeat"), NEW_PASSWORD + "!")
    assert prop(item(app, "forcedMismatch"), "visible")
    assert not item(app, "forcedChangeButton").isEnabled()
    item(app, "forcedRepeat").setProperty("text", NEW_PASSWORD)
    click(app, item(app, "forcedChangeButton"))
    qtbot.waitUntil(lambda: app.stream.state == "live" and app.home.loaded, timeout=WAIT_MS)
    assert items(app, "nav_home")
    me = httpx.get(f"{server.base}/v1/me", headers={"Authorization": f"Bearer {session['token']}"}).json()
    assert me["must_change_password"] is False


def test_sign_up_in_approval_mode_says_it_waits_for_a_moderator(qtbot, server, make_client, admin_auth,
                                                                 mode) -> None:
    mode("approval")
    app = make_client(server.base)
    fill_sign_up(app, server.base, "nell")
    click(app, item(app, "loginButton"))
    qtbot.waitUntil(lambda: prop(item(app, "loginInfo"), "text") != "", timeout=WAIT_MS)
    assert "waits for a moderator" in prop(item(app, "loginInfo"), "text")
    assert not app.session.loggedIn
    assert form(app) == ("nell", PASSWORD, "")  # nothing typed is lost

    click(app, item(app, "signupToggle"))  # log in: not yet
    click(app, item(app, "loginButton"))
    qtbot.waitUntil(lambda: prop(item(app, "loginError"), "text") != "", timeout=WAIT_MS)
    assert prop(item(app, "loginError"), "text") == "this account waits for a moderator's approval"
    assert not app.session.loggedIn

    as_admin(server, admin_auth, "POST", "/v1/admin/accounts/nell/approve")
    click(app, item(app, "loginButton"))
    qtbot.waitUntil(lambda: app.session.loggedIn and app.home.loaded, timeout=WAIT_MS)


def test_sign_up_with_an_invite_code(qtbot, server, make_client, admin_auth, mode) -> None:
    mode("invite")
    app = make_client(server.base)
    fill_sign_up(app, server.base, "otto", invite="not-a-real-code")
    click(app, item(app, "loginButton"))
    qtbot.waitUntil(lambda: prop(item(app, "loginError"), "text") != "", timeout=WAIT_MS)
    assert "invite code is not valid" in prop(item(app, "loginError"), "text")
    assert form(app) == ("otto", PASSWORD, "not-a-real-code")

    code = as_admin(server, admin_auth, "POST", "/v1/admin/invites", {"uses": 1})["code"]
    item(app, "loginInvite").setProperty("text", "")
    type_text(app, item(app, "loginInvite"), code)
    click(app, item(app, "loginButton"))
    qtbot.waitUntil(lambda: app.session.loggedIn, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: app.stream.state == "live" and app.home.loaded, timeout=WAIT_MS)
    assert app.session.handle == "otto"


def test_closed_registrations_are_a_clear_message(qtbot, server, make_client, mode) -> None:
    mode("closed")
    app = make_client(server.base)
    fill_sign_up(app, server.base, "pia")
    click(app, item(app, "loginButton"))
    qtbot.waitUntil(lambda: prop(item(app, "loginError"), "text") != "", timeout=WAIT_MS)
    assert prop(item(app, "loginError"), "text") == "registrations are closed on this server"
    assert form(app) == ("pia", PASSWORD, "") and not app.session.loggedIn


def test_an_ordinary_log_in_is_not_held(qtbot, server, make_client) -> None:
    User(server.base, "quin")
    app = make_client(server.base)
    log_in(qtbot, app, server.base, "quin")
    assert not app.session.mustChangePassword and not items(app, "forcedChangeButton")
