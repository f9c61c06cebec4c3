"""The settings page through QML against a real server: the role, exporting my data to a zip (off the UI
thread, with its status shown), and deleting my account with the password (wrong: the server's message, and
nothing deleted; right: back to the log-in screen, and the account is gone)."""

from __future__ import annotations

import json
import re
import zipfile

import httpx2 as httpx

from tests.accounts import as_admin, make_admin
from tests.live.client import User
from tests.qt.ui import WAIT_MS, click, item, items, log_in, prop, scroll_into_view, type_text


def open_settings(qtbot, app) -> None:
    click(app, item(app, "nav_settings"))
    qtbot.waitUntil(lambda: app.nav.page == "settings", timeout=WAIT_MS)


def test_the_settings_page_shows_my_role(qtbot, server, make_client) -> None:
    User(server.base, "gus")
    auth = make_admin(server, "boss")
    as_admin(server, auth, "PUT", "/v1/admin/accounts/gus/role", {"role": "moderator"})
    app = make_client(server.base)
    log_in(qtbot, app, server.base, "gus")
    open_settings(qtbot, app)
    qtbot.waitUntil(lambda: prop(item(app, "settingsRole"), "text") == "moderator", timeout=WAIT_MS)

    other = make_client(server.base, "boss")
    log_in(qtbot, other, server.base, "boss")
    open_settings(qtbot, other)
    qtbot.waitUntil(lambda: prop(item(other, "settingsRole"), "text") == "admin", timeout=WAIT_MS)


def test_export_saves_my_data_as_a_zip_and_says_where(qtbot, server, make_client, tmp_path) -> None:
    hal = User(server.base, "hal")
    hal.bark("first words, exported")
    app = make_client(server.base)
    log_in(qtbot, app, server.base, "hal")
    open_settings(qtbot, app)
    target = tmp_path / "out" / "hal.zip"
    target.parent.mkdir()
    app.settings.setProperty("exportPath", str(target))
    click(app, item(app, "exportButton"))
    qtbot.waitUntil(lambda: app.settings.property("exportState") != "running", timeout=WAIT_MS * 3)
    assert app.settings.property("exportState") == "done", prop(item(app, "exportStatus"), "text")
    assert str(target) in prop(item(app, "exportStatus"), "text")
    with zipfile.ZipFile(target) as archive:
        blob = "".join(archive.read(n).decode(errors="replace") for n in archive.namelist() if n.endswith(".json"))
    assert "first words, exported" in blob
    assert "hal" in blob
    assert [p.name for p in target.parent.iterdir()] == ["hal.zip"]  # no temporary file left behind


def test_a_failed_export_shows_the_server_message_and_leaves_no_file(qtbot, server, make_client, tmp_path) -> None:
    User(server.base, "ida")
    app = make_client(server.base)
    log_in(qtbot, app, server.base, "ida")
    open_settings(qtbot, app)
    # The server allows a few exports an hour: past them it answers 429 with a message.
    seen = ""
    for n in range(10):
        target = tmp_path / f"ida-{n}.zip"
        app.settings.setProperty("exportPath", str(target))
        click(app, item(app, "exportButton"))
        qtbot.waitUntil(lambda: app.settings.property("exportState") != "running", timeout=WAIT_MS * 3)
        if app.settings.property("exportState") == "error":
            seen = prop(item(app, "exportStatus"), "text")
            assert not target.exists()
            break
        assert zipfile.is_zipfile(target)
    assert seen, "the export limit never answered"
    direct = httpx.get(f"{server.base}/v1/me/export", headers={"Authorization": f"Bearer {app.api.token}"})
    assert direct.status_code == 429
    # The server's message, as the server wrote it for the client's request. It ends with a countdown ("try
    # again in 3542 seconds"), which may have ticked between that request and this one: the words must be the
    # same, and the client, which asked first in the same window, was told to wait at least as long.
    countdown = re.compile(r"(.+; try again in )(\d+)( seconds)")
    shown, now = countdown.fullmatch(seen), countdown.fullmatch(json.loads(direct.content)["error"]["message"])
    assert shown and now, (seen, direct.text)
    assert (shown[1], shown[3]) == (now[1], now[3])
    assert int(shown[2]) >= int(now[2])
    assert not list(tmp_path.glob(".barker-export-*"))


def test_deleting_my_account_needs_the_password_and_logs_out(qtbot, server, make_client) -> None:
    jo, kim = User(server.base, "jo"), User(server.base, "kim")
    app = make_client(server.base)
    log_in(qtbot, app, server.base, "jo")
    token = app.api.token
    open_settings(qtbot, app)
    scroll_into_view(qtbot, item(app, "deleteAccountButton"))  # the last card, below the fold
    click(app, item(app, "deleteAccountButton"))
    qtbot.waitUntil(lambda: bool(items(app, "deletePassword")), timeout=WAIT_MS)
    lost = prop(item(app, "deleteWhatIsLost"), "text")
    assert "bark" in lost and "cannot be undone" in lost

    type_text(app, item(app, "deletePassword"), "not my password")
    click(app, item(app, "deleteConfirm"))
    qtbot.waitUntil(lambda: prop(item(app, "deleteError"), "text") != "", timeout=WAIT_MS)
    assert prop(item(app, "deleteError"), "text") == "the password is wrong"
    assert app.session.loggedIn
    assert httpx.get(f"{server.base}/v1/users/jo", headers=kim.auth).status_code == 200  # nothing deleted

    item(app, "deletePassword").setProperty("text", "")
    type_text(app, item(app, "deletePassword"), "correct horse")
    click(app, item(app, "deleteConfirm"))
    qtbot.waitUntil(lambda: not app.session.loggedIn, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: bool(items(app, "loginButton")), timeout=WAIT_MS)
    assert prop(item(app, "loginInfo"), "text") == "Your account was deleted."
    assert not items(app, "deletePassword")  # the dialog closed (a Popup itself is never among the items)
    assert httpx.get(f"{server.base}/v1/users/jo", headers=kim.auth).status_code == 404
    for auth in ({"Authorization": f"Bearer {token}"}, jo.auth):  # the client's session and every other
        assert httpx.get(f"{server.base}/v1/me", headers=auth).status_code == 401
