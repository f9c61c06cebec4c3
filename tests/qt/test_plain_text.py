"""User text is shown as typed, never read as markup (issue 20, item 4: a bio of `<h1>VERIFIED ACCOUNT</h1>`
showed as a heading, a display name of `<img src=…>` as nothing).

Accounts whose display name, bio and barks are markup are made to appear in every view that shows user text
(my barks on Home, a thread, its reply box and the report dialog, my profile and another's, search,
suggestions, nearby, notifications, a tag, bookmarks, the moderation queue and account lookup, the blocked and
muted lists); in each, the whole item tree (popups included) is walked and every text item that holds the raw
markup must be plain text. Rich text is allowed only with the markup escaped (the safe path of bark bodies and
notification lines), so that it shows literally. (No followers or following lists in the client yet.)"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtQml import QQmlExpression
from PySide6.QtQuick import QQuickItem

from client_qt.app import ClientApp
from tests.accounts import as_admin, make_admin
from tests.live.client import User
from tests.qt.ui import WAIT_MS, click, item, items, log_in

NAME = "<img src=x>"
BIO = "<h1>VERIFIED ACCOUNT</h1><b>x</b>"
RAW = (NAME, "<h1>VERIFIED ACCOUNT</h1>")
ESCAPED = ("&lt;img src=x&gt;", "&lt;h1&gt;VERIFIED ACCOUNT&lt;/h1&gt;")
PLAIN_TEXT = 0  # Text.PlainText (RichText 1, AutoText 2, MarkdownText 3, StyledText 4)


def walk(root: QQuickItem) -> Iterator[QQuickItem]:
    yield root
    for child in root.childItems():
        yield from walk(child)


def text_format(app: ClientApp, node: QQuickItem) -> int | None:
    """The item's textFormat as a number (read in QML: PySide cannot convert the enum); None for an item that has
    none (a TextInput is always plain)."""
    if node.metaObject().indexOfProperty("textFormat") < 0:
        return None
    value, undefined = QQmlExpression(app.engine.rootContext(), node, "textFormat").evaluate()
    assert not undefined, describe(node)
    return int(value)


def user_texts(app: ClientApp) -> list[tuple[QQuickItem, str, int]]:
    """Every text item of the window (popups included) whose text holds the markup, raw or escaped."""
    found = []
    for node in walk(app.window.contentItem()):
        fmt = text_format(app, node)
        text = node.property("text") if fmt is not None else None
        if isinstance(text, str) and any(s in text for s in RAW + ESCAPED):
            found.append((node, text, fmt))
    return found


def describe(node: QQuickItem) -> str:
    names = []
    while node is not None:
        if node.objectName():
            names.append(node.objectName())
        node = node.parentItem()
    return "/".join(reversed(names)) or "?"


def within(node: QQuickItem, name: str) -> bool:
    while node is not None and node.objectName() != name:
        node = node.parentItem()
    return node is not None


def check_view(qtbot, app: ClientApp, view: str, shown_in: str = "pages") -> None:
    """Once the view (by default the page shown, not the side bar, which names me on every page) shows the markup,
    so that it is looked at: no item holds the raw markup as rich text."""
    qtbot.waitUntil(lambda: any(node.isVisible() and within(node, shown_in) for node, _, _ in user_texts(app)),
                    timeout=WAIT_MS)  # its delegates are made after the model is filled
    read_as_markup = [f"{describe(node)} (textFormat {fmt}): {text!r}" for node, text, fmt in user_texts(app)
                      if fmt != PLAIN_TEXT and any(raw in text for raw in RAW)]
    assert not read_as_markup, f"{view}: user text read as markup:\n" + "\n".join(read_as_markup)


def markup_account(server, handle: str) -> User:
    user = User(server.base, handle)
    user.call("PATCH", "/v1/me", json={"display_name": NAME, "bio": BIO})
    return user


def test_every_label_that_shows_user_text_shows_it_as_plain_text(qtbot, server, make_client) -> None:
    me, other = markup_account(server, "markup_me"), markup_account(server, "markup_other")
    blocked, muted = markup_account(server, "markup_blocked"), markup_account(server, "markup_muted")
    friend = User(server.base, "markup_friend")
    as_admin(server, make_admin(server, "markup_boss"), "PUT", "/v1/admin/accounts/markup_me/role",
             {"role": "moderator"})
    mine = me.bark(f"my bark {NAME} #markuptag")  # bark text is user text too
    their = other.call("POST", "/v1/barks", json={"text": f"{BIO} to @markup_me #markuptag", "reply_to": mine["id"]})
    other.follow(me)  # a follower notification
    me.follow(friend)
    friend.follow(other)  # other is suggested to me
    me.call("PUT", f"/v1/barks/{their['id']}/bookmark")
    for user, lon in ((me, 13.40), (other, 13.41)):
        user.call("PUT", "/v1/me/location", json={"lat": 52.52, "lon": lon})
    me.call("PUT", f"/v1/me/blocks/{blocked.handle}")
    me.call("PUT", f"/v1/me/mutes/{muted.handle}")
    friend.call("POST", "/v1/reports", json={"handle": other.handle, "reason": "spam", "text": NAME,
                                             "bark_ids": [their["id"]]})

    app = make_client(server.base)
    log_in(qtbot, app, server.base, me.handle)
    qtbot.waitUntil(lambda: app.home.model.count > 0, timeout=WAIT_MS)
    check_view(qtbot, app, "home")

    app.nav.openThread(mine["id"])
    qtbot.waitUntil(lambda: len(app.thread.model.rows) == 2, timeout=WAIT_MS)
    app.compose.replyTo(their["id"], other.handle, their["text"])  # the reply box quotes it
    qtbot.waitUntil(lambda: any(n.objectName() == "replyContextText" and n.isVisible()
                                for n in walk(app.window.contentItem())), timeout=WAIT_MS)
    check_view(qtbot, app, "thread")
    app.compose.cancelReply()
    app.reports.reportBark(other.handle, their["id"], their["text"])  # a dialog, over the window
    qtbot.waitUntil(lambda: bool(items(app, "reportSend")), timeout=WAIT_MS)
    check_view(qtbot, app, "report dialog", shown_in="reportedBark")
    click(app, item(app, "reportCancel"))
    qtbot.waitUntil(lambda: not items(app, "reportSend"), timeout=WAIT_MS)

    app.nav.openProfile(me.handle)
    qtbot.waitUntil(lambda: app.profile.barks.model.count > 0, timeout=WAIT_MS)
    check_view(qtbot, app, "my profile")
    app.nav.openProfile(other.handle)
    qtbot.waitUntil(lambda: app.profile.user.get("bio") == BIO, timeout=WAIT_MS)
    check_view(qtbot, app, "their profile")

    app.nav.open("search")
    app.search.setProperty("query", "markup_other")
    qtbot.waitUntil(lambda: app.search.model.count == 1 and not app.search.loading, timeout=WAIT_MS)
    check_view(qtbot, app, "search")

    app.nav.open("suggestions")
    qtbot.waitUntil(lambda: any(r["handle"] == other.handle for r in app.suggestions.model.rows), timeout=WAIT_MS)
    check_view(qtbot, app, "suggestions")

    app.nav.open("nearby")
    qtbot.waitUntil(lambda: any(r["handle"] == other.handle for r in app.nearby.model.rows), timeout=WAIT_MS)
    check_view(qtbot, app, "nearby")

    app.nav.open("notifications")
    qtbot.waitUntil(lambda: {r["kind"] for r in app.notifications.model.rows} >= {"reply", "follow"},
                    timeout=WAIT_MS)
    check_view(qtbot, app, "notifications")

    app.nav.openTag("markuptag")
    qtbot.waitUntil(lambda: app.tag.barks.model.count == 2, timeout=WAIT_MS)
    check_view(qtbot, app, "tag")

    app.nav.open("bookmarks")
    qtbot.waitUntil(lambda: app.bookmarks.model.count == 1, timeout=WAIT_MS)
    check_view(qtbot, app, "bookmarks")

    app.nav.open("moderation")
    qtbot.waitUntil(lambda: len(app.moderation.property("queue")) == 1, timeout=WAIT_MS)
    app.moderation.lookup(other.handle)
    qtbot.waitUntil(lambda: app.moderation.property("account").get("handle") == other.handle, timeout=WAIT_MS)
    check_view(qtbot, app, "moderation")

    app.nav.open("settings")
    qtbot.waitUntil(lambda: app.blocked.property("model").count == 1 and app.muted.property("model").count == 1,
                    timeout=WAIT_MS)
    check_view(qtbot, app, "settings (blocked and muted)")
