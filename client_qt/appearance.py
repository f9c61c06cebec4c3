"""The user's preferences for this computer, remembered in the config directory (appearance.json, apart from
session.json: logging out forgets the session, not these): light or dark ("system", the default, "light" or
"dark") and whether new mentions, replies and followers are shown as desktop notifications (on by default);
and whether the window is dark now. "system" follows the system's colour scheme, live (Qt's style hints); where
the platform does not tell its scheme, the system palette says it (light text on a dark window: dark)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import Property, QEvent, QObject, Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication, QPalette

FILE_NAME = "appearance.json"
CHOICES = ("system", "light", "dark")


def system_is_dark() -> bool:
    scheme = QGuiApplication.styleHints().colorScheme()
    if scheme != Qt.ColorScheme.Unknown:
        return scheme == Qt.ColorScheme.Dark
    palette = QGuiApplication.palette()
    return (palette.color(QPalette.ColorRole.WindowText).lightness()
            > palette.color(QPalette.ColorRole.Window).lightness())


class Appearance(QObject):
    changed = Signal()

    def __init__(self, directory: Path) -> None:
        super().__init__()
        self.path = directory / FILE_NAME
        saved = self._load()
        theme = saved.get("theme")
        self._choice = theme if theme in CHOICES else "system"
        self._desktop_notifications = saved.get("desktop_notifications") is not False
        self._system_dark = system_is_dark()
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._system_changed)
        app = QGuiApplication.instance()
        if app is not None:
            app.installEventFilter(self)  # a new system palette (a platform that tells no scheme)

    def _get_choice(self) -> str:
        return self._choice

    def _set_choice(self, choice: str) -> None:
        if choice not in CHOICES or choice == self._choice:
            return
        self._choice = choice
        self._save()
        self.changed.emit()

    def _get_dark(self) -> bool:
        return self._system_dark if self._choice == "system" else self._choice == "dark"

    def _get_desktop_notifications(self) -> bool:
        return self._desktop_notifications

    def _set_desktop_notifications(self, on: bool) -> None:
        if on != self._desktop_notifications:
            self._desktop_notifications = on
            self._save()
            self.changed.emit()

    choice = Property(str, _get_choice, _set_choice, notify=changed)
    dark = Property(bool, _get_dark, notify=changed)
    desktopNotifications = Property(bool, _get_desktop_notifications, _set_desktop_notifications, notify=changed)

    @Slot(Qt.ColorScheme)
    def _system_changed(self, scheme: Qt.ColorScheme) -> None:
        self._follow(scheme == Qt.ColorScheme.Dark if scheme != Qt.ColorScheme.Unknown else system_is_dark())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ApplicationPaletteChange and watched is QGuiApplication.instance():
            self._follow(system_is_dark())
        return False

    def _follow(self, dark: bool) -> None:
        if dark != self._system_dark:
            self._system_dark = dark
            if self._choice == "system":
                self.changed.emit()

    def _load(self) -> dict[str, Any]:
        try:
            saved = json.loads(self.path.read_text())
        except (OSError, ValueError):
            return {}
        return saved if isinstance(saved, dict) else {}

    def _save(self) -> None:
        """Written whole to a temporary file, then renamed over the old one."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps({"theme": self._choice, "desktop_notifications": self._desktop_notifications}))
            os.replace(tmp, self.path)
        except OSError:
            pass  # the choices still hold for this run; they are only not remembered
