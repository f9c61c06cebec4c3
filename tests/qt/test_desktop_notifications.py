"""Desktop notifications against a real server, offscreen: the tray is a seam here (a notifier that records
the messages), the window is made inactive by activating another window, as a person switching to another
app. Mentions, replies and new followers from other accounts arrive live and are shown while the window is
inactive; reactions, muted accounts, an active window and the setting turned off show none; a click raises
the window on the thread; a burst is coalesced; the setting is remembered."""

from __future__ import annotations

import json

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QWindow
from PySide6.QtTest import QTest

import client_qt.tray
from client_qt.app import ClientApp
from tests.live.client import User
from tests.qt.ui import WAIT_MS, click, item, items, log_in, scroll_into_view


class RecordingNotifier(QObject):
    """Stands in for the tray icon: what it was asked to show."""

    messageClicked = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[str] = []

    def showMessage(self, title: str, text: str) -> None:
        assert title == "Barker"
        self.shown.append(text)


def recording(app: ClientApp) -> RecordingNotifier:
    notifier = RecordingNotifier()
    app.desktop.use(notifier)
    return notifier


def switch_away(qtbot, app: ClientApp) -> QWindow:
    """Another application's window takes the focus."""
    elsewhere = QWindow()
    elsewhere.resize(200, 200)
    elsewhere.show()
    elsewhere.requestActivate()
    qtbot.waitUntil(lambda: elsewhere.isActive() and not app.window.isActive(), timeout=WAIT_MS)
    return elsewhere


def arrived(qtbot, app: ClientApp, kind: str, handle: str) -> None:
    """The live notification is in the list (its desktop notification, if any, was decided as it came)."""
    qtbot.waitUntil(lambda: any(r["kind"] == kind and r["handle"] == handle for r in app.notifications.model.rows),
                    timeout=WAIT_MS)


def test_mentions_replies_and_followers_notify_while_the_window_is_inactive(qtbot, server, make_client) -> None:
    dana, eli, fox, gus = (User(server.base, h) for h in ("dana", "eli", "fox", "gus"))
    mine = dana.bark("a bark of dana's")
    dana.call("PUT", "/v1/me/mutes/gus")
    app = make_client(server.base)
    log_in(qtbot, app, server.base, "dana")
    notifier = recording(app)

    # The window in front: the user sees it arrive there, no desktop notification.
    qtbot.waitUntil(app.window.isActive, timeout=WAIT_MS)
    eli.bark("@dana while you look")
    arrived(qtbot, app, "mention", "eli")
    assert notifier.shown == []

    elsewhere = switch_away(qtbot, app)
    eli.bark("@dana " + "long words " * 20)
    eli.call("POST", f"/v1/barks/{mine['id']}/reactions", json={"emoji": "🐶"})  # no notification for these
    gus.bark("@dana from someone muted")  # the server keeps it from the stream
    fox.follow(dana)
    qtbot.waitUntil(lambda: len(notifier.shown) == 2, timeout=WAIT_MS)
    assert notifier.shown[0].startswith("@eli mentioned you: @dana long words long words")
    assert notifier.shown[0].endswith("…") and len(notifier.shown[0]) <= len("@eli mentioned you: ") + 101
    assert notifier.shown[1] == "@fox followed you"
    arrived(qtbot, app, "reaction", "eli")
    assert not any(r["handle"] == "gus" for r in app.notifications.model.rows)

    reply = eli.call("POST", "/v1/barks", json={"text": "a reply to you", "reply_to": mine["id"]})
    qtbot.waitUntil(lambda: len(notifier.shown) == 3, timeout=WAIT_MS)
    assert notifier.shown[2] == "@eli replied: a reply to you"

    # A click on it: the window comes to the front, on the reply's thread.
    notifier.messageClicked.emit()
    qtbot.waitUntil(lambda: app.window.isActive() and app.nav.page == "thread", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: any(r["barkId"] == reply["id"] for r in app.thread.model.rows), timeout=WAIT_MS)
    assert not elsewhere.isActive()


def test_the_setting_turns_them_off_and_is_remembered(qtbot, server, make_client, tmp_path) -> None:
    hana, ivo = User(server.base, "hana"), User(server.base, "ivo")
    config = tmp_path / "cfg"
    app = make_client(server.base, config=config)
    assert app.appearance.property("desktopNotifications")  # on by default
    log_in(qtbot, app, server.base, "hana")
    notifier = recording(app)
    app.nav.open("settings")
    switch = item(app, "desktopNotificationsSwitch")
    scroll_into_view(qtbot, switch)
    click(app, switch)
    qtbot.waitUntil(lambda: not app.appearance.property("desktopNotifications"), timeout=WAIT_MS)
    assert json.loads((config / "appearance.json").read_text())["desktop_notifications"] is False

    switch_away(qtbot, app)
    ivo.follow(hana)
    arrived(qtbot, app, "follow", "ivo")
    assert notifier.shown == []
    app.close()

    again = make_client(server.base, "again", config=config)
    assert not again.appearance.property("desktopNotifications")
    qtbot.waitUntil(lambda: again.session.loggedIn, timeout=WAIT_MS)
    again.nav.open("settings")
    qtbot.waitUntil(lambda: not item(again, "desktopNotificationsSwitch").property("checked"), timeout=WAIT_MS)

    # By keyboard: the switch takes Tab focus with the focus ring, and Space turns notifications back on.
    switch = item(again, "desktopNotificationsSwitch")
    again.window.requestActivate()
    qtbot.waitUntil(again.window.isActive, timeout=WAIT_MS)
    switch.forceActiveFocus(Qt.FocusReason.TabFocusReason)
    assert items(again, "focusRing", switch)
    QTest.keyClick(again.window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: again.appearance.property("desktopNotifications"), timeout=WAIT_MS)
    assert json.loads((config / "appearance.json").read_text())["desktop_notifications"] is True


def test_a_burst_shows_three_then_one_summary_that_opens_the_notifications(qtbot, server, make_client,
                                                                          monkeypatch) -> None:
    monkeypatch.setattr(client_qt.tray, "WINDOW_S", 0.2)
    User(server.base, "jo")
    kai = User(server.base, "kai")
    app = make_client(server.base)
    now = [1000.0]
    app.desktop.clock = lambda: now[0]  # the whole burst arrives in one instant
    log_in(qtbot, app, server.base, "jo")
    notifier = recording(app)
    switch_away(qtbot, app)
    for n in range(5):
        kai.bark(f"@jo number {n}")
    qtbot.waitUntil(lambda: sum(r["kind"] == "mention" for r in app.notifications.model.rows) == 5, timeout=WAIT_MS)
    assert [text.split(": ")[1] for text in notifier.shown] == ["@jo number 0", "@jo number 1", "@jo number 2"]

    now[0] += 1  # the burst's window has passed: what was held comes as one
    qtbot.waitUntil(lambda: len(notifier.shown) == 4, timeout=WAIT_MS)
    assert notifier.shown[3] == "2 new notifications"
    notifier.messageClicked.emit()
    qtbot.waitUntil(lambda: app.window.isActive() and app.nav.page == "notifications", timeout=WAIT_MS)
