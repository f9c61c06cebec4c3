"""A tag's timeline (GET /v1/tags/{tag}/barks) and the trending tags (GET /v1/tags/trending)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot

from client_qt.api import Api, segment
from client_qt.controller import Controller
from client_qt.timeline import Timeline

TRENDING = 10


class TagView(Controller):
    viewChanged = Signal()

    def __init__(self, api: Api) -> None:
        super().__init__(api)
        self._tag = ""
        self.barks = Timeline(api, lambda: f"/v1/tags/{segment(self._tag)}/barks")

    tag = Property(str, lambda self: self._tag, notify=viewChanged)
    timeline = Property(QObject, lambda self: self.barks, constant=True)

    def open(self, tag: str) -> None:
        tag = tag.lstrip("#")
        if tag != self._tag:
            self.barks.clear()
        self._tag = tag
        self.changed.emit()
        self.barks.reload()

    def clear(self) -> None:
        self._tag = ""
        self.barks.clear()
        self.changed.emit()


class Trending(Controller):
    """The tags used by the most people in the last day: [{tag, authors, barks}]."""
    viewChanged = Signal()

    def __init__(self, api: Api) -> None:
        super().__init__(api)
        self._items: list[dict[str, Any]] = []

    items = Property("QVariantList", lambda self: self._items, notify=viewChanged)

    @Slot()
    def refresh(self) -> None:
        generation = self.fresh()
        self.set_state(loading=True, error="")
        self.api.get("/v1/tags/trending", lambda page: self._loaded(generation, page),
                     self.failed(generation, self.refresh), limit=TRENDING)

    def clear(self) -> None:
        self.fresh()
        self._items = []
        self.set_state(loading=False, error="")

    def _loaded(self, generation: int, page: dict[str, Any]) -> None:
        if self.current(generation):
            self._items = [{"tag": i["tag"], "authors": i["authors"], "barks": i["barks"]} for i in page["items"]]
            self.set_state(loading=False)
