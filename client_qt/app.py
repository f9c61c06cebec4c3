"""The application: controllers wired together and exposed to QML as context properties.

`ClientApp` is one client window with its own session (tests run two side by side); `main()` makes the
QGuiApplication and one ClientApp."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from PySide6.QtCore import Property, QObject, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtQml import QQmlApplicationEngine
from PySide6.QtQuick import QQuickItem, QQuickWindow
from PySide6.QtQuickControls2 import QQuickStyle
from PySide6.QtWidgets import QApplication
from shiboken6 import delete, getCppPointer, isValid, wrapInstance

from client_qt.alerts import Alert
from client_qt.api import Api, ApiError
from client_qt.appearance import Appearance
from client_qt.compose import Compose
from client_qt.confirm import Confirm
from client_qt.links import Links
from client_qt.moderation import Moderation
from client_qt.nearby import Nearby
from client_qt.notifications import NEWEST, Notifications
from client_qt.people import Follows, Search, Social, Suggestions
from client_qt.profile import Profile
from client_qt.reports import Reports
from client_qt.safety import AccountList, Safety
from client_qt.session import Session, SessionFile, config_dir
from client_qt.settings import Settings
from client_qt.stream import Stream
from client_qt.tags import TagView, Trending
from client_qt.thread import Thread
from client_qt.timeline import BarkActions, Timeline
from client_qt.tray import DesktopNotifications, app_icon
from client_qt.viewer import Viewer

QML_DIR = Path(__file__).with_name("qml")
PAGES = ("home", "profile", "nearby", "suggestions", "search", "notifications", "bookmarks", "thread", "tag",
         "settings", "moderation", "people")
NOTICE_MS = 6000
ACTION_NOTICE_MS = 10_000  # time to read it and reach for Undo
CLOCK_MS = 30_000


class Navigator(QObject):
    """Which page is shown; opening a page refreshes what it shows."""

    changed = Signal()
    opened = Signal(str)
    profileRequested = Signal(str)
    threadRequested = Signal(object)  # a bark id (past 2^31: not a C int)
    tagRequested = Signal(str)
    peopleRequested = Signal(str, str)  # (handle, "followers" | "following")

    def __init__(self) -> None:
        super().__init__()
        self._page = "home"
        self._came_from = "home"  # where the back button of a thread, a tag or a list of people goes

    page = Property(str, lambda self: self._page, notify=changed)
    pageIndex = Property(int, lambda self: PAGES.index(self._page), notify=changed)

    @Slot(str)
    def open(self, page: str) -> None:
        if page in PAGES:
            if self._page not in ("thread", "tag"):
                self._came_from = self._page
            self._page = page
            self.changed.emit()
            self.opened.emit(page)

    @Slot()
    def back(self) -> None:
        self.open(self._came_from)

    @Slot(str)
    def openProfile(self, handle: str) -> None:
        self.profileRequested.emit(handle)
        self.open("profile")

    @Slot("QVariant")
    def openThread(self, bark_id: float) -> None:
        """Bark ids go past 2^31: QML passes them as numbers (doubles, exact below 2^53)."""
        self.threadRequested.emit(int(bark_id))
        self.open("thread")

    @Slot(str, str)
    def openPeople(self, handle: str, which: str) -> None:
        """Someone's followers, or the people they follow."""
        if which in ("followers", "following"):
            self.peopleRequested.emit(handle, which)
            self.open("people")

    @Slot(str)
    def openTag(self, tag: str) -> None:
        self.tagRequested.emit(tag)
        self.open("tag")


class Notices(QObject):
    """App-wide messages (a failed reaction, the server unreachable), each shown for a few seconds. One may
    offer an action ("Undo" after an unblock), kept a little longer; a newer message replaces it."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._text, self._action_text = "", ""
        self._action: Callable[[], None] | None = None
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(lambda: self.show(""))

    text = Property(str, lambda self: self._text, notify=changed)
    actionText = Property(str, lambda self: self._action_text, notify=changed)

    @Slot(str)
    def show(self, text: str) -> None:
        self.offer(text, "", None)

    def offer(self, text: str, action_text: str, action: Callable[[], None] | None) -> None:
        self._text, self._action_text, self._action = text, action_text if action else "", action
        self.changed.emit()
        if text:
            self._timer.start(ACTION_NOTICE_MS if action else NOTICE_MS)

    @Slot()
    def act(self) -> None:
        """The notice's action was clicked: it runs once, and the notice goes."""
        action = self._action
        self.show("")
        if action:
            action()


def use_style() -> None:
    """Material, unless QT_QUICK_CONTROLS_STYLE says otherwise; only before the first QML is loaded."""
    global _style_chosen
    if not _style_chosen and not os.environ.get("QT_QUICK_CONTROLS_STYLE"):
        QQuickStyle.setStyle("Fusion")
    _style_chosen = True


_style_chosen = False


class ClientApp(QObject):
    def __init__(self, config: Path | None = None, server_url: str | None = None) -> None:
        super().__init__()
        self.api = Api(self)
        self.notices = Notices()
        self.nav = Navigator()
        self.viewer = Viewer(self.api.media_url)
        config = config or config_dir()
        self.session = Session(self.api, SessionFile(config), server_url)
        self.appearance = Appearance(config)
        me = self.session._get_handle
        self.stream = Stream()
        self.actions = BarkActions(self.api, self.notices.show, me)
        self.social = Social(self.api, self.notices.show)
        self.home = Timeline(self.api, lambda: "/v1/timelines/home")
        self.compose = Compose(self.api, self._posted)
        self.profile = Profile(self.api, self.social, me, self.session.set_me)
        self.thread = Thread(self.api)
        self.tag = TagView(self.api)
        self.trending = Trending(self.api)
        self.bookmarks = Timeline(self.api, lambda: "/v1/me/bookmarks")
        self.links = Links(self.nav.openProfile, self.nav.openTag, self.notices.show)
        self.nearby = Nearby(self.api, self.social)
        self.suggestions = Suggestions(self.api, self.social, self.notices.offer)
        self.search = Search(self.api, self.social)
        self.follows = Follows(self.api, self.social)
        self.actions.timelines = [self.home, self.profile.barks, self.thread, self.tag.barks, self.bookmarks,
                                  self.search.barks]
        self.actions.home, self.actions.bookmarks = self.home, self.bookmarks
        self.notifications = Notifications(self.api, self.actions)
        self.settings = Settings(self.api, self.session.account_deleted)
        self.reports = Reports(self.api)
        self.moderation = Moderation(self.api)
        self.safety = Safety(self.api, self.social, self.notices, self._hide_author, self._unhide_author)
        self.blocked = AccountList(self.api, self.safety, "block")
        self.muted = AccountList(self.api, self.safety, "mute")
        self.desktop = DesktopNotifications(lambda: self.window, lambda: self.appearance.desktopNotifications,
                                            self._open_alert)
        self.confirm = Confirm(self.actions, self.social, self.nearby, self.session, self.moderation)
        self._wire()
        use_style()
        self._window: QQuickWindow | None = None
        self._closed = False
        self.engine = QQmlApplicationEngine()
        context = self.engine.rootContext()
        for name in ("session", "appearance", "nav", "notices", "viewer", "stream", "home", "compose", "actions",
                     "social", "profile", "nearby", "suggestions", "search", "notifications", "thread", "tag",
                     "trending", "bookmarks", "links", "settings", "reports", "moderation", "safety", "blocked",
                     "muted", "confirm", "follows"):
            context.setContextProperty(name, getattr(self, name))
        self.engine.load(QUrl.fromLocalFile(str(QML_DIR / "Main.qml")))
        if not self.engine.rootObjects():
            raise RuntimeError("the QML user interface failed to load (see the messages above)")
        self.window.setIcon(app_icon())
        self.window.activeChanged.connect(self._attention)
        self.session.restore()

    def _wire(self) -> None:
        self.session.started.connect(self.start)
        self.session.ended.connect(self.stop)
        self.session.held.connect(self.stream.stop)  # until the password is changed, nothing else runs
        self.stream.event.connect(self._on_event)
        self.stream.caughtUp.connect(self._caught_up)
        self.stream.gap.connect(self.home.reload)
        self.social.unfollowed.connect(self.home.model.remove_unfollowed)
        self.stream.unauthorized.connect(self.session.expire)
        self.nav.opened.connect(self._page_opened)
        self.nav.profileRequested.connect(self.profile.open)
        self.nav.threadRequested.connect(self.thread.open)
        self.nav.tagRequested.connect(self.tag.open)
        self.nav.peopleRequested.connect(self.follows.open)
        self.profile.authorChanged.connect(lambda user: [t.model.update_author(user) for t in self.actions.timelines])
        self.api.reachableChanged.connect(self._reachability)
        self.stream.stateChanged.connect(self._stream_state)
        self.notifications.arrived.connect(self.desktop.arrived)
        self.appearance.changed.connect(self._attention)
        self._clock = QTimer(self, interval=CLOCK_MS)
        self._clock.timeout.connect(lambda: [m.tick() for m in [t.model for t in self.actions.timelines]
                                             + [self.notifications.model]])
        self._clock.start()

    @property
    def window(self) -> QQuickWindow:
        """The QML root window, as a QQuickWindow (to grab images). Some PySide versions hand it back as a
        plain QWindow: then it is cast, once, and the cast is kept (a temporary one would delete the window)."""
        if self._window is None:
            root = self.engine.rootObjects()[0]
            self._window = root if isinstance(root, QQuickWindow) else wrapInstance(getCppPointer(root)[0],
                                                                                     QQuickWindow)
        return self._window

    def items(self, name: str, within: QQuickItem | None = None) -> list[QQuickItem]:
        """The visible items with this objectName, in the visual tree (list delegates and popups included):
        for tests and the screenshot script, which drive the interface as a person would."""
        def walk(root: QQuickItem) -> Iterator[QQuickItem]:
            yield root
            for child in root.childItems():
                yield from walk(child)
        return [i for i in walk(within or self.window.contentItem()) if i.objectName() == name and i.isVisible()]

    # -- a session's life ----------------------------------------------------------------------------
    def start(self) -> None:
        """Logged in: load the timeline and the notifications; read where the stream is now, then follow it
        from there."""
        self.nav.open("home")
        self.desktop.start()
        self.home.reload()
        self.notifications.load()
        self.api.get(NEWEST, self._stream_position, self._stream_unknown, limit=1)

    def stop(self) -> None:
        """Logged out: nothing of the last user's stays on screen."""
        self.stream.stop()
        self.desktop.stop()
        for controller in (self.home, self.profile, self.nearby, self.suggestions, self.search,
                           self.notifications, self.thread, self.tag, self.trending, self.bookmarks, self.settings,
                           self.reports, self.moderation, self.safety, self.blocked, self.muted, self.confirm,
                           self.follows):
            controller.clear()
        self.compose.clear()
        self.notices.show("")  # an Undo acts for the session that offered it, never the next one
        self.viewer.close()
        self.links.cancel()

    def _held(self) -> bool:
        """Logged in, but the server answers nothing until the password is changed (the socket would be
        refused, and its refusal would end the session)."""
        return self.session.mustChangePassword

    def _stream_position(self, page: dict[str, Any]) -> None:
        if self.session.loggedIn and not self._held():
            self.stream.start(self.api.base_url, self.api.token, page["last_seq"])

    def _stream_unknown(self, error: ApiError) -> None:
        """Offline at start: the stream keeps trying "from now", and reloads once it connects."""
        if self.session.loggedIn and error.status != 401 and not self._held():
            self.stream.start(self.api.base_url, self.api.token, None)

    def _caught_up(self, seq: int, resumed: bool) -> None:
        if not resumed:
            self.notifications.load()
        if not resumed or not self.home.loaded:
            self.home.reload()

    def _on_event(self, event: dict[str, Any]) -> None:
        if event["type"] == "bark":
            self.home.model.add(event["bark"])
        self.notifications.on_event(event)

    def _posted(self, bark: dict[str, Any]) -> None:
        """My new bark: a reply goes into the thread shown (and its parent counts it); a bark to home."""
        if not bark["reply_to"]:
            self.home.model.add(bark)
            self.home.posted.emit()
            return
        self.actions.refresh(bark["reply_to"]["id"])
        if self.nav.page == "thread":
            self.thread.reload()

    def _hide_author(self, handle: str, block: bool) -> None:
        """I blocked or muted `handle`: what the server now hides from me leaves the screen at once. A mute
        leaves profiles (theirs is visited on purpose) and bookmarks as they are, as the server does."""
        lists = [self.home, self.tag.barks, self.search.barks] + ([self.bookmarks, self.profile.barks] if block else [])
        for timeline in lists:
            timeline.model.hide_author(handle)
        self.thread.model.hide_author(handle, keep_place=True)
        self.notifications.load()  # their notifications go, and the unread count with them

    def _unhide_author(self, handle: str, block: bool) -> None:
        """I unblocked or unmuted `handle` (the server has it): the lists their hiding took barks from load again,
        so their barks are back without a manual reload. Only lists in use (loaded or loading): one never opened
        loads when it opens. Their own profile reloads its barks itself once it sees the block gone."""
        lists: list[Timeline | Thread] = [self.home, self.tag.barks, self.search.barks, self.thread]
        for timeline in lists + ([self.bookmarks, self.profile.barks] if block else []):
            if timeline.loaded or timeline.loading:
                timeline.reload()
        self.notifications.load()  # and their notifications

    def _page_opened(self, page: str) -> None:
        self.notifications.setViewing(page == "notifications")
        if page == "nearby":
            self.nearby.refresh()
        elif page == "suggestions":
            self.suggestions.refresh()
        elif page == "search":
            self.trending.refresh()
        elif page == "bookmarks":
            self.bookmarks.reload()
        elif page == "settings":
            self.reports.loadMine()
            self.blocked.load()
            self.muted.load()
        elif page == "moderation":
            self.moderation.load()

    def _attention(self) -> None:
        """The window became active, or desktop notifications were turned off: held ones are dropped."""
        if self.window.isActive() or not self.appearance.desktopNotifications:
            self.desktop.quiet()

    def _open_alert(self, alert: Alert) -> None:
        """A desktop notification was clicked: its thread, the follower's profile, or the notifications."""
        if alert.page == "thread":
            self.nav.openThread(alert.subject)
        elif alert.page == "profile":
            self.nav.openProfile(str(alert.subject))
        else:
            self.nav.open("notifications")

    def _reachability(self) -> None:
        # Logged out, the log-in form says it already, under the button that failed: not twice.
        if not self.api.reachable and self.session.loggedIn:
            self.notices.show(self._unreachable_notice())
        elif self.api.reachable and self.notices.text == self._unreachable_notice():
            self.notices.show("")

    def _unreachable_notice(self) -> str:
        return f"Can't reach the server at {self.api.base_url}. Retrying as you go."

    def _stream_state(self) -> None:
        """The stream is live: the server is back, whatever the last REST request said (the views' errors
        that only said it was unreachable go: Controller._reachability_changed)."""
        if self.stream.state == "live":
            self.api.set_reachable(True)

    def close(self) -> None:
        if self._closed:  # a test may close a client before its fixture does
            return
        self._closed = True
        self.stream.stop()
        self.desktop.stop()
        self.api.forget_pending()
        # The system's colour scheme outlives this client (it is the application's): a change after the window
        # is gone must not reach it.
        self.appearance.changed.disconnect(self._attention)
        if isValid(self.engine):  # the window goes first, so no binding outlives the controllers it reads
            self.window.activeChanged.disconnect(self._attention)
            delete(self.engine)


def name_application() -> None:
    """The application's name (its config directory, ~/.config/barker). No display name: the platform would
    append it to every window title ("Barker — @demo — Barker"), and the title already names the app."""
    QGuiApplication.setApplicationName("barker")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="barker client", description="Barker's desktop client")
    parser.add_argument("--server", help="the Barker server (default: the last one used, BARKER_SERVER_URL, "
                                         "or http://127.0.0.1:8000)")
    args = parser.parse_args(argv)
    name_application()
    app = QGuiApplication.instance() or QApplication(sys.argv[:1])  # widgets: the tray icon's menu
    app.setWindowIcon(app_icon())
    client = ClientApp(server_url=args.server)
    code = app.exec()
    client.close()
    return code
