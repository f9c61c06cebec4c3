"""The full-size image viewer over the window: the images of one bark, the one shown (its URL, "" when
closed) and its description (alt text), with next and previous through them. Zoom and pan are the view's
own state (MediaViewer.qml): they reset for each image."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot


class Viewer(QObject):
    changed = Signal()

    def __init__(self, resolve: Callable[[str], str] = lambda url: url) -> None:
        super().__init__()
        self._resolve = resolve  # a media URL from the API (a path on its origin) as an absolute one
        self._images: list[dict[str, str]] = []  # {url, description}, in the bark's order
        self._index = 0

    def _shown(self, field: str) -> str:
        return self._images[self._index][field] if self._images else ""

    url = Property(str, lambda self: self._shown("url"), notify=changed)
    description = Property(str, lambda self: self._shown("description"), notify=changed)
    index = Property(int, lambda self: self._index, notify=changed)
    count = Property(int, lambda self: len(self._images), notify=changed)
    hasNext = Property(bool, lambda self: self._index < len(self._images) - 1, notify=changed)
    hasPrevious = Property(bool, lambda self: self._index > 0, notify=changed)

    @Slot("QVariantList", int)
    def open(self, media: list[dict[str, Any]], index: int) -> None:
        """Show a bark's images (its `media` rows: url, description), starting at `index`."""
        self._images = [{"url": self._resolve(m["url"]), "description": m.get("description") or ""} for m in media]
        self._index = max(0, min(index, len(self._images) - 1))
        self.changed.emit()

    @Slot()
    def next(self) -> None:
        self._step(1)

    @Slot()
    def previous(self) -> None:
        self._step(-1)

    def _step(self, by: int) -> None:
        """No wrapping: at either end nothing moves (the buttons say so by being disabled)."""
        index = self._index + by
        if 0 <= index < len(self._images):
            self._index = index
            self.changed.emit()

    @Slot()
    def close(self) -> None:
        self._images, self._index = [], 0
        self.changed.emit()
