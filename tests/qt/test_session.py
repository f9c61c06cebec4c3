"""Log-in, the remembered session (0600 in the config dir), log-out, and errors shown rather than raised."""

from __future__ import annotations

import json
import stat

import httpx2 as httpx

from tests.live.client import User
from tests.qt.ui import WAIT_MS, click, confirm, item, items, log_in, prop, type_text
from tests.servers import free_port


def test_token_is_remembered_with_mode_0600_and_log_out_forgets_and_revokes_it(qtbot, server, make_client,
                                                                                 tmp_path) -> None:
    User(server.base, "dora")
    config = tmp_path / "cfg"
    first = make_client(server.base, "first", config)
    log_in(qtbot, first, server.base, "dora")
    saved = config / "session.json"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    token = json.loads(saved.read_text())["token"]
    assert token == first.api.token
    first.close()

    # A second run with the same config directory carries on as dora, without the log-in screen.
    again = make_client("", "again", config)
    assert again.session.loggedIn and again.session.handle == "dora"
    qtbot.waitUntil(lambda: again.stream.state == "live" and again.home.loaded, timeout=WAIT_MS)
    assert not items(again, "loginButton")

    click(again, item(again, "logoutButton"))
    confirm(qtbot, again, "Log out of @dora?")
    qtbot.waitUntil(lambda: not again.session.loggedIn, timeout=WAIT_MS)
    assert "token" not in json.loads(saved.read_text())
    assert json.loads(saved.read_text())["server_url"] == server.base  # the server is still remembered
    assert again.stream.state == "offline" and again.home.model.rows == []
    qtbot.waitUntil(lambda: httpx.get(f"{server.base}/v1/me", headers={"Authorization": f"Bearer {token}"})
                    .status_code == 401, timeout=WAIT_MS)


def test_wrong_password_is_shown_on_the_log_in_screen(qtbot, server, make_client) -> None:
    User(server.base, "eve")
    app = make_client(server.base)
    type_text(app, item(app, "loginHandle"), "eve")
    type_text(app, item(app, "loginPassword"), "not the password")
    click(app, item(app, "loginButton"))
    qtbot.waitUntil(lambda: prop(item(app, "loginError"), "text") != "", timeout=WAIT_MS)
    assert not app.session.loggedIn
    assert "password" in prop(item(app, "loginError"), "text").lower()
    assert prop(item(app, "loginPassword"), "text") == "not the password"  # nothing typed is lost


def test_an_unreachable_server_is_a_message_not_a_crash(qtbot, make_client) -> None:
    nowhere = f"http://127.0.0.1:{free_port()}"
    app = make_client(nowhere)
    app.session.logIn(nowhere, "someone", "whatever1")
    qtbot.waitUntil(lambda: not app.session.busy, timeout=WAIT_MS)
    # A sentence, not Qt's or Python's own words for a refused connection.
    assert prop(item(app, "loginError"), "text") == f"Can't reach the server at {nowhere}: nothing answers there."


def test_a_revoked_token_returns_to_the_log_in_screen_with_a_reason(qtbot, server, make_client) -> None:
    User(server.base, "fay")
    app = make_client(server.base)
    log_in(qtbot, app, server.base, "fay")
    httpx.delete(f"{server.base}/v1/sessions/current", headers={"Authorization": f"Bearer {app.api.token}"})
    app.home.reload()
    qtbot.waitUntil(lambda: not app.session.loggedIn, timeout=WAIT_MS)
    assert "log in again" in prop(item(app, "loginError"), "text")


def test_log_out_clears_the_password_so_log_in_does_not_let_the_next_person_in(qtbot, server, make_client) -> None:
    User(server.base, "gil")
    app = make_client(server.base)
    log_in(qtbot, app, server.base, "gil")
    click(app, item(app, "logoutButton"))
    confirm(qtbot, app, "Log out of @gil?")
    qtbot.waitUntil(lambda: bool(items(app, "loginButton")), timeout=WAIT_MS)
    assert prop(item(app, "loginHandle"), "text") == "gil"  # the handle is no secret: it stays to save typing
    assert prop(item(app, "loginPassword"), "text") == ""
    assert not item(app, "loginButton").isEnabled()  # pressing "Log in" cannot bring gil's session back
    app.session.logIn(server.base, "gil", prop(item(app, "loginPassword"), "text"))  # as Enter in the field would
    qtbot.waitUntil(lambda: not app.session.busy, timeout=WAIT_MS)
    assert not app.session.loggedIn


def test_a_server_address_that_is_not_one_is_named_in_a_clear_message(qtbot, server, make_client) -> None:
    User(server.base, "hugo")
    app = make_client(server.base)
    type_text(app, item(app, "loginHandle"), "hugo")
    type_text(app, item(app, "loginPassword"), "correct horse")
    for garbage in ("::::", "http://", "my server", "ftp://files.example"):
        item(app, "loginServer").setProperty("text", garbage)
        click(app, item(app, "loginButton"))
        qtbot.waitUntil(lambda: not app.session.busy, timeout=WAIT_MS)
        assert prop(item(app, "loginError"), "text") == (
            f"“{garbage}” is not a server address: write it like https://barker.example or 127.0.0.1:8000.")
        assert not app.session.loggedIn
    item(app, "loginServer").setProperty("text", server.base.removeprefix("http://"))  # no scheme: http is meant
    click(app, item(app, "loginButton"))
    qtbot.waitUntil(lambda: app.session.loggedIn, timeout=WAIT_MS)


def test_a_log_in_error_is_shown_once(qtbot, make_client) -> None:
    nowhere = f"http://127.0.0.1:{free_port()}"
    app = make_client(nowhere)
    type_text(app, item(app, "loginHandle"), "someone")
    type_text(app, item(app, "loginPassword"), "whatever1")
    click(app, item(app, "loginButton"))
    qtbot.waitUntil(lambda: prop(item(app, "loginError"), "text") != "", timeout=WAIT_MS)
    # A sentence, not Qt's or Python's own words for a refused connection.
    assert prop(item(app, "loginError"), "text") == f"Can't reach the server at {nowhere}: nothing answers there."
    qtbot.wait(100)
    assert not items(app, "notice")  # not again in the app-wide notice below the form
