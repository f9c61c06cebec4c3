"""Every page the side bar opens names itself in the top bar (the moderation page once kept the title of the
page before it, and QML warned of an undefined title)."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication

from client_qt.app import PAGES, name_application
from tests.accounts import as_admin, make_admin
from tests.live.client import User
from tests.qt.ui import WAIT_MS, item, log_in, prop

NEEDS_A_SUBJECT = {"thread", "tag", "people"}  # opened from a bark, a tag or a profile, with their own title


def test_each_page_has_its_own_title(qtbot, server, make_client) -> None:
    User(server.base, "mona")
    as_admin(server, make_admin(server, "boss"), "PUT", "/v1/admin/accounts/mona/role", {"role": "moderator"})
    app = make_client(server.base)
    log_in(qtbot, app, server.base, "mona")
    seen = {}
    for page in PAGES:
        if page in NEEDS_A_SUBJECT:
            continue
        app.nav.open(page)
        qtbot.waitUntil(lambda page=page: app.nav.page == page, timeout=WAIT_MS)
        seen[page] = prop(item(app, "pageTitle"), "text")
    assert all(seen.values()), seen
    assert len(set(seen.values())) == len(seen), seen
    assert seen["moderation"] == "Moderation"


def title_shown(title: str) -> str:
    """The title a window manager shows, composed as Qt's platform windows do (QPlatformWindow::
    formatWindowTitle): the application's display name, when one was set, is appended unless the title
    already ends with it. (Offscreen windows show no title bar: the rule is applied here.) Unset, Qt reports
    the application name as the display name."""
    display = QGuiApplication.applicationDisplayName()
    if display == QGuiApplication.applicationName() or title.endswith(display):
        return title
    return f"{title} — {display}" if title else display


def test_the_window_title_names_the_app_and_me_once(qtbot, server, make_client) -> None:
    User(server.base, "demo")
    name_application()
    app = make_client(server.base)
    assert title_shown(app.window.title()) == "Barker"
    log_in(qtbot, app, server.base, "demo")
    assert title_shown(app.window.title()) == "Barker — @demo"


def test_the_window_title_counts_unread_notifications_live_and_clears_when_read(qtbot, server, make_client) -> None:
    lou, max_ = User(server.base, "lou"), User(server.base, "max")
    max_.bark("@lou before you came")  # unread at log-in: counted from the server
    name_application()
    app = make_client(server.base)
    log_in(qtbot, app, server.base, "lou")
    qtbot.waitUntil(lambda: title_shown(app.window.title()) == "(1) Barker — @lou", timeout=WAIT_MS)
    max_.follow(lou)  # live
    User(server.base, "ned").bark("@lou hello")
    qtbot.waitUntil(lambda: title_shown(app.window.title()) == "(3) Barker — @lou", timeout=WAIT_MS)
    app.nav.open("notifications")  # read
    qtbot.waitUntil(lambda: lou.call("GET", "/v1/notifications/unread_count")["unread_count"] == 0, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: app.notifications.unread == 0 and not app.notifications.loading, timeout=WAIT_MS)
    assert title_shown(app.window.title()) == "Barker — @lou"
