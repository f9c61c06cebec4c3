"""A bark's thread (GET /v1/barks/{id}/thread): its ancestors up to the root, the bark itself (focused), then
its descendants depth-first with their depth, paged by `next_after`. Deleted barks keep their place as
tombstones so the branches still hang together."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot

from client_qt.api import Api
from client_qt.controller import Controller
from client_qt.models import BarkModel, Row, bark_row, tombstone_row

PAGE = 50


def thread_row(item: dict[str, Any], depth: int = 0, focused: bool = False) -> Row:
    if item.get("deleted"):
        return tombstone_row(item["id"], depth)
    return bark_row(item, depth=depth, focused=focused)


class Thread(Controller):
    viewChanged = Signal()

    def __init__(self, api: Api) -> None:
        super().__init__(api)
        self._model = BarkModel()
        self._bark_id = 0
        self._next: int | None = None
        self.loaded = False

    model = Property(QObject, lambda self: self._model, constant=True)
    barkId = Property("QVariant", lambda self: self._bark_id, notify=viewChanged)
    hasMore = Property(bool, lambda self: self._next is not None, notify=viewChanged)

    def open(self, bark_id: int) -> None:
        if bark_id != self._bark_id:
            self._model.reset([])
        self._bark_id = bark_id
        self.reload()

    @Slot()
    def reload(self) -> None:
        if not self._bark_id:
            return
        self.loaded = False
        self.load_page(f"/v1/barks/{self._bark_id}/thread", self._first, limit=PAGE)

    @Slot()
    def loadMore(self) -> None:
        """The next page of descendants (a long thread)."""
        if self._loading or self._next is None:
            return
        self.load_page(f"/v1/barks/{self._bark_id}/thread", self._more, limit=PAGE, after=self._next)

    def clear(self) -> None:
        self.fresh()
        self._bark_id, self._next, self.loaded = 0, None, False
        self._model.reset([])
        self.set_state(loading=False, error="")

    def _first(self, generation: int, page: dict[str, Any]) -> None:
        if not self.current(generation):
            return
        rows = [thread_row(a) for a in page["ancestors"]] + [thread_row(page["bark"], focused=True)]
        self._model.reset(rows + [thread_row(d, d["depth"]) for d in page["descendants"]])
        self._next, self.loaded = page["next_after"], True
        self.set_state(loading=False)

    def _more(self, generation: int, page: dict[str, Any]) -> None:
        if not self.current(generation):
            return
        have = self._model.ids()
        self._model.extend([thread_row(d, d["depth"]) for d in page["descendants"] if d["id"] not in have])
        self._next = page["next_after"]
        self.set_state(loading=False)
