"""The layout follows the window's width (issue 20, a responsive layout): below 800 px the side bar shows icons
only, each still named (its text: the tooltip and the accessible name) and reachable by Tab with a ring."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest

from tests.live.client import User
from tests.qt.ui import WAIT_MS, click, item, items, log_in, prop, set_width

PAGES = ["home", "profile", "nearby", "suggestions", "search", "notifications", "bookmarks", "settings"]


def test_the_side_bar_shows_icons_only_in_a_narrow_window(qtbot, server, make_client) -> None:
    User(server.base, "narrow")
    app = make_client(server.base)
    log_in(qtbot, app, server.base, "narrow")
    app.window.requestActivate()
    qtbot.waitUntil(lambda: QGuiApplication.focusWindow() is app.window, timeout=WAIT_MS)
    for width, labelled in ((600, False), (1000, True)):
        set_width(qtbot, app, width)
        bar = item(app, "sideBar")
        qtbot.waitUntil(lambda b=bar, lab=labelled: (prop(b, "width") > 150) == lab, timeout=WAIT_MS)
        for page in PAGES:
            entry = item(app, f"nav_{page}")
            assert prop(entry, "text") == page.capitalize()  # its accessible name and tooltip
            assert bool(items(app, "navLabel", entry)) == labelled
        assert bool(items(app, "sideName")) == labelled

        # The pages open by a click, and by the keyboard: Tab from one entry to the next, with a ring, Space.
        click(app, item(app, "nav_search"))
        qtbot.waitUntil(lambda: app.nav.page == "search", timeout=WAIT_MS)
        item(app, "nav_nearby").forceActiveFocus(Qt.FocusReason.TabFocusReason)
        QTest.keyClick(app.window, Qt.Key.Key_Tab)
        assert app.window.activeFocusItem() is item(app, "nav_suggestions")
        assert items(app, "focusRing", item(app, "nav_suggestions"))
        tip = item(app, "nav_suggestions").findChild(QObject, "navTip")  # named beside the icon, if only an icon
        qtbot.waitUntil(lambda t=tip, lab=labelled: prop(t, "visible") != lab, timeout=WAIT_MS)
        assert prop(tip, "text") == "Suggestions"
        QTest.keyClick(app.window, Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: app.nav.page == "suggestions", timeout=WAIT_MS)
