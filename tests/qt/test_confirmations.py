"""What cannot be undone asks first, in the one confirmation dialog (ConfirmDialog.qml), against a real server:
deleting a bark, unfollowing (from a profile or a list of people), stopping sharing my location and logging out.
The keyboard starts on Cancel; Escape or Cancel leaves the server as it was; Tab then Enter does it."""

from __future__ import annotations

import httpx2 as httpx
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest

from tests.live.client import User
from tests.qt.ui import WAIT_MS, click, confirm, item, items, log_in, prop

Key = Qt.Key


def focused(app) -> str:
    node = app.window.activeFocusItem()
    return node.objectName() if node is not None else ""


def asked(qtbot, app, title: str) -> None:
    """The dialog is open, asks `title`, and the keyboard is on Cancel (with its focus ring: Tab-like focus)."""
    qtbot.waitUntil(lambda: bool(items(app, "confirmCancel")) and focused(app) == "confirmCancel", timeout=WAIT_MS)
    assert app.confirm.property("title") == title
    assert items(app, "focusRing", item(app, "confirmCancel"))


def cancel(qtbot, app) -> None:
    click(app, item(app, "confirmCancel"))
    qtbot.waitUntil(lambda: not items(app, "confirmCancel"), timeout=WAIT_MS)


def following(user: User, handle: str) -> bool:
    return user.call("GET", f"/v1/users/{handle}")["following"]


def test_deleting_a_bark_asks_first_escape_cancels_and_enter_on_delete_deletes(qtbot, server, make_client) -> None:
    ann = User(server.base, "ann")
    said = ann.bark("a bark worth keeping?")
    app = make_client(server.base)
    app.window.requestActivate()  # keys reach only the active window
    qtbot.waitUntil(lambda: QGuiApplication.focusWindow() is app.window, timeout=WAIT_MS)
    log_in(qtbot, app, server.base, "ann")
    card = f"bark_{said['id']}"
    qtbot.waitUntil(lambda: bool(items(app, card)), timeout=WAIT_MS)

    def on_server() -> int:
        return httpx.get(f"{server.base}/v1/barks/{said['id']}", headers=ann.auth).status_code

    click(app, item(app, "deleteButton", item(app, card)))
    asked(qtbot, app, "Delete this bark?")
    assert "This can't be undone." in prop(item(app, "confirmText"), "text")
    QTest.keyClick(app.window, Key.Key_Return)  # Enter on Cancel: nothing is deleted
    qtbot.waitUntil(lambda: not items(app, "confirmCancel"), timeout=WAIT_MS)
    assert on_server() == 200

    click(app, item(app, "deleteButton", item(app, card)))
    asked(qtbot, app, "Delete this bark?")
    QTest.keyClick(app.window, Key.Key_Escape)
    qtbot.waitUntil(lambda: not items(app, "confirmCancel"), timeout=WAIT_MS)
    assert on_server() == 200 and items(app, card)

    click(app, item(app, "deleteButton", item(app, card)))
    asked(qtbot, app, "Delete this bark?")
    QTest.keyClick(app.window, Key.Key_Tab)
    assert focused(app) == "confirmAccept"
    QTest.keyClick(app.window, Key.Key_Return)
    qtbot.waitUntil(lambda: on_server() == 404, timeout=WAIT_MS)
    assert not items(app, "confirmAccept")


def test_unfollowing_asks_first_from_a_profile_and_from_a_list(qtbot, server, make_client) -> None:
    cid, dee = User(server.base, "cid"), User(server.base, "dee")
    cid.follow(dee)
    app = make_client(server.base)
    log_in(qtbot, app, server.base, "cid")
    app.nav.openProfile("dee")
    qtbot.waitUntil(lambda: bool(items(app, "profileFollow")) and prop(item(app, "profileFollow"), "text")
                    == "Unfollow", timeout=WAIT_MS)
    click(app, item(app, "profileFollow"))
    asked(qtbot, app, "Unfollow @dee?")
    cancel(qtbot, app)
    assert following(cid, "dee") and prop(item(app, "profileFollow"), "text") == "Unfollow"
    click(app, item(app, "profileFollow"))
    confirm(qtbot, app, "Unfollow @dee?")
    qtbot.waitUntil(lambda: not following(cid, "dee"), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: prop(item(app, "profileFollow"), "text") == "Follow", timeout=WAIT_MS)

    click(app, item(app, "profileFollow"))  # following asks nothing
    qtbot.waitUntil(lambda: following(cid, "dee"), timeout=WAIT_MS)
    assert not items(app, "confirmDialog")
    app.search.setProperty("query", "dee")
    app.nav.open("search")
    qtbot.waitUntil(lambda: bool(items(app, "user_dee")), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: prop(item(app, "followButton", item(app, "user_dee")), "text") == "Following",
                    timeout=WAIT_MS)
    click(app, item(app, "followButton", item(app, "user_dee")))
    asked(qtbot, app, "Unfollow @dee?")
    cancel(qtbot, app)
    assert following(cid, "dee")
    click(app, item(app, "followButton", item(app, "user_dee")))
    confirm(qtbot, app, "Unfollow @dee?")
    qtbot.waitUntil(lambda: not following(cid, "dee"), timeout=WAIT_MS)


def test_stopping_sharing_and_logging_out_ask_first(qtbot, server, make_client) -> None:
    eve = User(server.base, "eve")
    eve.call("PUT", "/v1/me/location", json={"lat": 52.52, "lon": 13.40})
    app = make_client(server.base)
    app.window.requestActivate()  # keys reach only the active window
    qtbot.waitUntil(lambda: QGuiApplication.focusWindow() is app.window, timeout=WAIT_MS)
    log_in(qtbot, app, server.base, "eve")
    app.nav.open("nearby")
    qtbot.waitUntil(lambda: app.nearby.sharing and bool(items(app, "nearbyClear")), timeout=WAIT_MS)

    def sharing() -> bool:
        return httpx.get(f"{server.base}/v1/me/location", headers=eve.auth).status_code == 200

    item(app, "nearbyClear").forceActiveFocus(Qt.FocusReason.TabFocusReason)  # by keyboard: Tab there, Space
    QTest.keyClick(app.window, Key.Key_Space)
    asked(qtbot, app, "Stop sharing your location?")
    cancel(qtbot, app)
    assert sharing() and app.nearby.sharing
    item(app, "nearbyClear").forceActiveFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClick(app.window, Key.Key_Space)
    confirm(qtbot, app, "Stop sharing your location?")
    qtbot.waitUntil(lambda: not app.nearby.sharing, timeout=WAIT_MS)
    assert not sharing()

    click(app, item(app, "logoutButton"))
    asked(qtbot, app, "Log out of @eve?")
    cancel(qtbot, app)
    assert app.session.loggedIn
    assert httpx.get(f"{server.base}/v1/me", headers={"Authorization": f"Bearer {app.api.token}"}).status_code == 200
    click(app, item(app, "logoutButton"))
    confirm(qtbot, app, "Log out of @eve?")
    qtbot.waitUntil(lambda: bool(items(app, "loginButton")), timeout=WAIT_MS)
