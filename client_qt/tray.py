"""The tray icon (while logged in, where the desktop has a tray) and desktop notifications through it. What
earns a notification, its text and the coalescing of bursts are decided in client_qt/alerts.py; this only
asks the window whether it is active, shows the message, and opens what a click on it is about.

The notifier is a seam: the system tray icon, or anything with `showMessage(title, text)` and a
`messageClicked` signal (tests observe the messages offscreen, where no tray exists)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, QObject, QTimer, SignalInstance
from PySide6.QtGui import QIcon, QWindow
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon

from client_qt.alerts import BURST, WINDOW_S, Alert, Coalescer, wanted

ICON = Path(__file__).with_name("icon.svg")
TITLE = "Barker"


class Notifier(Protocol):
    messageClicked: SignalInstance

    def showMessage(self, title: str, text: str) -> None: ...


def app_icon() -> QIcon:
    return QIcon(str(ICON))


class DesktopNotifications(QObject):
    def __init__(self, window: Callable[[], QWindow], enabled: Callable[[], bool],
                 open_alert: Callable[[Alert], None]) -> None:
        super().__init__()
        self._window, self._enabled, self._open_alert = window, enabled, open_alert
        self._coalescer = Coalescer(BURST, WINDOW_S)
        self.clock = time.monotonic  # seconds (tests hold it still)
        self._last: Alert | None = None  # what a click on the message shown opens
        self._flush = QTimer(self, singleShot=True)
        self._flush.timeout.connect(self._show_held)
        self.notifier: Notifier | None = None
        self._tray: QSystemTrayIcon | None = None
        self._menu: QMenu | None = None

    def use(self, notifier: Notifier | None) -> None:
        """Show messages through this notifier (None: show none)."""
        if self.notifier is not None:
            self.notifier.messageClicked.disconnect(self._clicked)
        self.notifier = notifier
        if notifier is not None:
            notifier.messageClicked.connect(self._clicked)

    # -- the session ---------------------------------------------------------------------------------
    def start(self) -> None:
        """Logged in: the tray icon shows, where there is a tray (and a widgets application for its menu)."""
        if self._tray is None and QSystemTrayIcon.isSystemTrayAvailable() \
                and isinstance(QCoreApplication.instance(), QApplication):
            self._tray = self._make_tray()
            if self.notifier is None:  # else a test's, set before
                self.use(self._tray)
        if self._tray is not None:
            self._tray.show()

    def stop(self) -> None:
        """Logged out: no icon, nothing held, and a click on an old message opens nothing of the last user's."""
        self.quiet()
        self._last = None
        if self._tray is not None:
            self._tray.hide()

    def quiet(self) -> None:
        """The user looks at the window, or turned notifications off: what is held is no longer news."""
        self._coalescer.drop()
        self._flush.stop()

    # -- notifications -------------------------------------------------------------------------------
    def arrived(self, row: dict[str, Any]) -> None:
        """A new notification (a row of the notifications list) arrived live."""
        alert = wanted(row, enabled=self._enabled(), window_active=self._window().isActive())
        if alert is None or self.notifier is None:
            return
        shown = self._coalescer.offer(alert, self.clock())
        if shown:
            self._show(shown)
        self._schedule()

    def _show_held(self) -> None:
        if self._window().isActive() or not self._enabled():
            self.quiet()
            return
        alert = self._coalescer.flush(self.clock())
        if alert:
            self._show(alert)
        self._schedule()

    def _schedule(self) -> None:
        due = self._coalescer.due_at()
        if due is not None and not self._flush.isActive():
            self._flush.start(max(0, int((due - self.clock()) * 1000)))

    def _show(self, alert: Alert) -> None:
        if self.notifier is not None:
            self._last = alert
            self.notifier.showMessage(TITLE, alert.text)

    def _clicked(self) -> None:
        """The message was clicked: the window comes to the front, on what the message was about."""
        self.raise_window()
        if self._last is not None:
            self._open_alert(self._last)

    def raise_window(self) -> None:
        window = self._window()
        window.show()
        window.raise_()
        window.requestActivate()

    def _make_tray(self) -> QSystemTrayIcon:
        tray = QSystemTrayIcon(app_icon(), self)
        tray.setToolTip(TITLE)
        self._menu = QMenu()
        self._menu.addAction("Open Barker", self.raise_window)
        self._menu.addAction("Quit", QCoreApplication.quit)
        tray.setContextMenu(self._menu)
        tray.activated.connect(
            lambda reason: self.raise_window() if reason == QSystemTrayIcon.ActivationReason.Trigger else None)
        return tray
