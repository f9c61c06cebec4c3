"""Bark lists (the home timeline, a user's barks, a tag's, bookmarks, search results) paged by cursor, and the
actions on barks (react, rebark, bookmark, delete) whose results update every list that shows the bark."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot

from client_qt.api import Api, ApiError, segment
from client_qt.controller import Controller
from client_qt.errors import explain
from client_qt.models import BarkModel, bark_row

PAGE = 20


class Timeline(Controller):
    """`path()` gives the endpoint (it may change: a profile's barks follow the profile shown); `params()`
    any query parameters besides the page's (a search's `q`)."""
    viewChanged = Signal()
    posted = Signal()  # my own new bark went into this list: its view goes to the top to show it

    def __init__(self, api: Api, path: Callable[[], str],
                 params: Callable[[], dict[str, Any]] | None = None) -> None:
        super().__init__(api)
        self.path = path
        self.params = params or dict
        self._model = BarkModel()
        self._next: int | None = None
        self.loaded = False  # a page has loaded since the last reload began

    def _get_model(self) -> BarkModel:
        return self._model

    def _get_has_more(self) -> bool:
        return self._next is not None

    model = Property(QObject, _get_model, constant=True)
    hasMore = Property(bool, _get_has_more, notify=viewChanged)

    @Slot()
    def reload(self) -> None:
        generation = self.fresh()
        self.loaded = False
        self.set_state(loading=True, error="")
        self.api.get(self.path(), lambda page: self._page(generation, page, True), self.failed(generation, self.reload),
                     limit=PAGE, **self.params())

    @Slot()
    def loadMore(self) -> None:
        """The next (older) page: infinite scroll calls this at the end of the list."""
        if self._loading or self._next is None:
            return
        generation = self.fresh()
        self.set_state(loading=True, error="")
        self.api.get(self.path(), lambda page: self._page(generation, page, False),
                     self.failed(generation, self.loadMore),
                     limit=PAGE, before=self._next, **self.params())

    def clear(self) -> None:
        self.fresh()
        self._next, self.loaded = None, False
        self._model.reset([])
        self.set_state(loading=False, error="")

    def _page(self, generation: int, page: dict[str, Any], first: bool) -> None:
        if not self.current(generation):
            return
        if first:
            self._model.reset([])
        self._model.append_page(page["items"])
        self._next, self.loaded = page["next_before"], True
        self.set_state(loading=False)


class BarkActions(QObject):
    """React, rebark, bookmark, delete: the answer (the bark as it is now) updates every registered list."""

    def __init__(self, api: Api, notify: Callable[[str], None], me: Callable[[], str]) -> None:
        super().__init__()
        self.api, self.notify, self.me = api, notify, me
        self.timelines: list[Timeline] = []
        self.home: Timeline | None = None
        self.bookmarks: Timeline | None = None

    def models(self) -> list[BarkModel]:
        return [t.model for t in self.timelines]

    def apply(self, bark: dict[str, Any]) -> None:
        for model in self.models():
            model.update_counts(bark)

    # Bark ids go past 2^31: QML passes them as numbers (doubles, exact below 2^53), never as int.
    @Slot("QVariant", str, bool)
    def toggleReaction(self, bark_id: float, emoji: str, mine: bool) -> None:
        bark_id = int(bark_id)
        if mine:
            self.api.call("DELETE", f"/v1/barks/{bark_id}/reactions/{segment(emoji)}", ok=self.apply,
                          err=self._error_on(bark_id))
        else:
            self.api.call("POST", f"/v1/barks/{bark_id}/reactions", {"emoji": emoji}, ok=self.apply,
                          err=self._error_on(bark_id))

    @Slot("QVariant", bool)
    def toggleRebark(self, bark_id: float, rebarked: bool) -> None:
        bark_id = int(bark_id)
        if rebarked:
            self.api.call("DELETE", f"/v1/barks/{bark_id}/rebark", ok=lambda _: self._unrebarked(bark_id),
                          err=self._error_on(bark_id))
        else:
            self.api.call("PUT", f"/v1/barks/{bark_id}/rebark", ok=self._rebarked, err=self._error_on(bark_id))

    @Slot("QVariant", bool)
    def toggleBookmark(self, bark_id: float, bookmarked: bool) -> None:
        bark_id = int(bark_id)
        if bookmarked:
            self.api.call("DELETE", f"/v1/barks/{bark_id}/bookmark", ok=lambda _: self._unbookmarked(bark_id),
                          err=self._error)
        else:
            self.api.call("PUT", f"/v1/barks/{bark_id}/bookmark", ok=self._bookmarked, err=self._error)

    @Slot("QVariant")
    def delete(self, bark_id: float) -> None:
        bark_id = int(bark_id)
        self.api.call("DELETE", f"/v1/barks/{bark_id}", ok=lambda _: self._deleted(bark_id), err=self._error)

    def refresh(self, bark_id: int, then: Callable[[dict[str, Any]], None] | None = None) -> None:
        """Fetch a bark's current counts (someone reacted to it)."""
        def got(bark: dict[str, Any]) -> None:
            self.apply(bark)
            if then:
                then(bark)
        self.api.get(f"/v1/barks/{bark_id}", got)

    def _rebarked(self, rebark: dict[str, Any]) -> None:
        self.apply(rebark["rebark_of"])
        if self.home:
            self.home.model.add(rebark)

    def _unrebarked(self, bark_id: int) -> None:
        me = self.me()
        for model in self.models():
            model.remove_where(lambda r: r["barkId"] == bark_id and r["rebarkedByHandle"] == me)
        self.refresh(bark_id)

    def _bookmarked(self, bark: dict[str, Any]) -> None:
        self.apply(bark)
        model = self.bookmarks.model if self.bookmarks and self.bookmarks.loaded else None
        if model is not None and model.find(lambda r: r["barkId"] == bark["id"]) < 0:
            model.insert(0, bark_row(bark))  # newest bookmarked first

    def _unbookmarked(self, bark_id: int) -> None:
        for model in self.models():
            model.update_where(lambda r: r["barkId"] == bark_id, lambda r: {"bookmarked": False})
        if self.bookmarks:
            self.bookmarks.model.remove_where(lambda r: r["barkId"] == bark_id)

    def _deleted(self, bark_id: int) -> None:
        for model in self.models():
            model.remove_where(lambda r: r["barkId"] == bark_id)

    def _error(self, error: ApiError) -> None:
        self.notify(error.message)

    def _error_on(self, bark_id: int) -> Callable[[ApiError], None]:
        """Refusals of an action on a bark: one a block causes names the bark's author."""
        return lambda error: self.notify(explain(error, self.author_of(bark_id)))

    def author_of(self, bark_id: int) -> str:
        """The handle of a bark's author, from a list that shows it ("" if none does)."""
        for model in self.models():
            i = model.find(lambda r: r["barkId"] == bark_id and not r["deleted"])
            if i >= 0:
                return str(model.rows[i]["handle"])
        return ""
