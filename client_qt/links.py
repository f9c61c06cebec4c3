"""What a click on a bark's mention, tag or link does: a mention opens the profile, a tag its timeline, and
a link first shows its full target (`pending`, which the window asks about) and opens the system browser
only once confirmed. `open_external` is the one call that leaves the app (tests replace it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Property, QObject, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices

from client_qt.rich_text import web_url


class Links(QObject):
    changed = Signal()

    def __init__(self, open_profile: Callable[[str], None], open_tag: Callable[[str], None],
                 notify: Callable[[str], None]) -> None:
        super().__init__()
        self.open_profile, self.open_tag, self.notify = open_profile, open_tag, notify
        self.open_external: Callable[[QUrl], Any] = QDesktopServices.openUrl
        self._pending = ""

    pending = Property(str, lambda self: self._pending, notify=changed)

    @Slot("QVariantMap")
    def activate(self, link: dict[str, Any]) -> None:
        """`link`: {type, value} from a bark row's `links`."""
        kind, value = link.get("type"), str(link.get("value", ""))
        if kind == "mention" and value:
            self.open_profile(value)
        elif kind == "tag" and value:
            self.open_tag(value)
        elif kind == "url" and value:
            self._pending = value
            self.changed.emit()

    @Slot()
    def confirm(self) -> None:
        url, self._pending = web_url(self._pending), ""
        self.changed.emit()
        if url is None:
            self.notify("Only web links (http and https) can be opened.")
        elif self.open_external(QUrl(url)) is False:
            self.notify("No browser could open the link.")

    @Slot()
    def cancel(self) -> None:
        self._pending = ""
        self.changed.emit()
