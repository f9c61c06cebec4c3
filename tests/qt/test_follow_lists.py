"""Followers and following on a profile, through QML against a real server: the counts open the lists (by click,
or by keyboard), named in the top bar; the list pages in as it scrolls, leaves out whoever a block hides, and a
row opens that profile; back returns to the profile."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest

from tests.live.client import User
from tests.qt.ui import WAIT_MS, click, item, items, log_in, prop

Key = Qt.Key


def handles(app) -> list[str]:
    return [r["handle"] for r in app.follows.model.rows]


def test_followers_page_in_leave_out_blocked_people_and_rows_open_profiles(qtbot, server, make_client) -> None:
    jo, ivy = User(server.base, "jo"), User(server.base, "ivy")
    fans = [User(server.base, f"fan{i:02}") for i in range(24)]
    for fan in fans:
        fan.follow(ivy)
    jo.call("PUT", "/v1/me/blocks/fan03")  # the server leaves fan03 out of what jo sees
    app = make_client(server.base)
    log_in(qtbot, app, server.base, "jo")
    app.nav.openProfile("ivy")
    qtbot.waitUntil(lambda: bool(items(app, "profileFollowers"))
                    and prop(item(app, "profileFollowers"), "text") == "<b>24</b> followers", timeout=WAIT_MS)

    click(app, item(app, "profileFollowers"))
    qtbot.waitUntil(lambda: app.nav.page == "people" and len(handles(app)) == 20, timeout=WAIT_MS)
    assert prop(item(app, "pageTitle"), "text") == "Followers of @ivy"
    assert handles(app)[0] == "fan23"  # the most recent first
    assert app.follows.hasMore
    item(app, "followsList").setProperty("contentY", 100_000)  # scrolled to the end: the rest come
    qtbot.waitUntil(lambda: not app.follows.hasMore and not app.follows.loading, timeout=WAIT_MS)
    assert sorted(handles(app)) == sorted(f"fan{i:02}" for i in range(24) if i != 3)

    click(app, item(app, "backButton"))
    qtbot.waitUntil(lambda: app.nav.page == "profile" and app.profile.handle == "ivy", timeout=WAIT_MS)
    click(app, item(app, "profileFollowers"))
    qtbot.waitUntil(lambda: bool(items(app, "user_fan23")), timeout=WAIT_MS)
    click(app, item(app, "user_fan23"))
    qtbot.waitUntil(lambda: app.nav.page == "profile" and app.profile.handle == "fan23", timeout=WAIT_MS)


def test_following_opens_by_keyboard_and_says_when_it_is_empty(qtbot, server, make_client) -> None:
    User(server.base, "kai")
    lea, max_ = User(server.base, "lea"), User(server.base, "max")
    lea.follow(max_)
    app = make_client(server.base)
    app.window.requestActivate()  # keys reach only the active window
    qtbot.waitUntil(lambda: QGuiApplication.focusWindow() is app.window, timeout=WAIT_MS)
    log_in(qtbot, app, server.base, "kai")
    app.nav.openProfile("lea")
    qtbot.waitUntil(lambda: bool(items(app, "profileFollowing"))
                    and prop(item(app, "profileFollowing"), "text") == "<b>1</b> following", timeout=WAIT_MS)
    count = item(app, "profileFollowing")
    count.forceActiveFocus(Qt.FocusReason.TabFocusReason)
    assert items(app, "focusRing", count)  # a visible focus ring
    QTest.keyClick(app.window, Key.Key_Return)
    qtbot.waitUntil(lambda: app.nav.page == "people" and handles(app) == ["max"], timeout=WAIT_MS)
    assert prop(item(app, "pageTitle"), "text") == "People @lea follows"
    qtbot.waitUntil(lambda: bool(items(app, "user_max")), timeout=WAIT_MS)
    QTest.keyClick(app.window, Key.Key_J)  # the first person, ringed; Enter opens the profile
    qtbot.waitUntil(lambda: bool(items(app, "currentRing", item(app, "user_max"))), timeout=WAIT_MS)
    QTest.keyClick(app.window, Key.Key_Return)
    qtbot.waitUntil(lambda: app.nav.page == "profile" and app.profile.handle == "max", timeout=WAIT_MS)

    app.nav.openProfile("kai")
    qtbot.waitUntil(lambda: app.profile.handle == "kai" and bool(items(app, "profileFollowers")), timeout=WAIT_MS)
    click(app, item(app, "profileFollowers"))
    qtbot.waitUntil(lambda: app.nav.page == "people" and not app.follows.loading, timeout=WAIT_MS)
    assert handles(app) == [] and app.follows.message == "Nobody follows @kai yet."
    assert prop(item(app, "pageTitle"), "text") == "Followers of @kai"
