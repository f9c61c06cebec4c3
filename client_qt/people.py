"""People: follow and unfollow (wherever a user is shown), search (people, or barks), someone's followers and
following, and friends-of-friends suggestions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot

from client_qt.api import Api, ApiError, segment
from client_qt.controller import Controller
from client_qt.errors import explain
from client_qt.models import Row, UserModel, suggestion_row, user_row
from client_qt.timeline import Timeline

SEARCH_DELAY_MS = 250
MAX_BARK_QUERY = 200  # the server's limit for a bark search
PAGE = 20


class Social(QObject):
    """Follow/unfollow; the user as the server returns it goes to everyone who shows that user."""

    userChanged = Signal(object)
    unfollowed = Signal(str)  # the handle: their barks leave my home at once, as a reload would show

    def __init__(self, api: Api, notify: Callable[[str], None]) -> None:
        super().__init__()
        self.api, self.notify = api, notify

    @Slot(str, bool)
    def setFollowing(self, handle: str, follow: bool) -> None:
        self.api.call("PUT" if follow else "DELETE", f"/v1/me/following/{segment(handle)}",
                      ok=lambda user: self._followed(user, follow), err=lambda e: self._refused(handle, e))

    def _followed(self, user: dict[str, Any], follow: bool) -> None:
        self.userChanged.emit(user)
        if not follow:
            self.unfollowed.emit(user["handle"])

    def _refused(self, handle: str, error: ApiError) -> None:
        self.notify(explain(error, handle))
        if error.code in ("blocked", "blocking"):  # what is shown of them is out of date: show it as it is
            self.api.get(f"/v1/users/{segment(handle)}", self.userChanged.emit)


class PeopleList(Controller):
    def __init__(self, api: Api, social: Social) -> None:
        super().__init__(api)
        self._model = UserModel()
        social.userChanged.connect(self._model.update_user)

    def _get_model(self) -> UserModel:
        return self._model

    model = Property(QObject, _get_model, constant=True)

    def clear(self) -> None:
        self.fresh()
        self._model.reset([])
        self.set_state(loading=False, error="", message="")


class Search(PeopleList):
    """Search as you type (after a short pause); more results as the list scrolls. `mode` switches between
    people (GET /v1/users/search) and barks (GET /v1/barks/search, words and #tags, in `barks`)."""
    viewChanged = Signal()

    def __init__(self, api: Api, social: Social) -> None:
        super().__init__(api, social)
        self._query, self._next, self._mode = "", None, "people"
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run)
        self.barks = Timeline(api, lambda: "/v1/barks/search", lambda: {"q": self._query.strip()[:MAX_BARK_QUERY]})

    def _set_mode(self, mode: str) -> None:
        if mode in ("people", "barks") and mode != self._mode:
            self._mode = mode
            self.changed.emit()
            self.run()

    def _get_query(self) -> str:
        return self._query

    def _set_query(self, query: str) -> None:
        if query != self._query:
            self._query = query
            self._timer.start()
            self.changed.emit()

    query = Property(str, _get_query, _set_query, notify=viewChanged)
    hasMore = Property(bool, lambda self: self._next is not None, notify=viewChanged)
    mode = Property(str, lambda self: self._mode, _set_mode, notify=viewChanged)
    barkResults = Property(QObject, lambda self: self.barks, constant=True)

    def clear(self) -> None:
        self._timer.stop()
        self._query, self._next = "", None
        self.barks.clear()
        super().clear()

    @Slot()
    def run(self) -> None:
        self._timer.stop()
        generation, q = self.fresh(), self._query.strip()
        if not q:
            self._next = None
            self.barks.clear()
            super().clear()
            return
        if self._mode == "barks":
            self.barks.reload()
            return
        self.set_state(loading=True, error="")
        self.api.get("/v1/users/search", lambda page: self._page(generation, page, True),
                     self.failed(generation, self.run), q=q[:64], limit=20)

    @Slot()
    def loadMore(self) -> None:
        if self._loading or self._next is None:
            return
        generation = self.fresh()
        self.set_state(loading=True)
        self.api.get("/v1/users/search", lambda page: self._page(generation, page, False),
                     self.failed(generation, self.loadMore), q=self._query.strip()[:64], limit=20,
                     after=self._next)

    def _page(self, generation: int, page: dict[str, Any], first: bool) -> None:
        if not self.current(generation):
            return
        rows = [user_row(u) for u in page["items"]]
        if first:
            self._model.reset(rows)
        else:
            self._model.extend(rows)
        self._next = page["next"]
        empty = first and not rows
        self.set_state(loading=False, message=f"Nobody matches “{self._query.strip()}”." if empty else "")


class Follows(PeopleList):
    """Someone's followers (GET /v1/users/{handle}/followers) or the people they follow (…/following), most
    recent first, a page at a time as the list scrolls. The server leaves out whoever a block hides from me."""
    viewChanged = Signal()

    def __init__(self, api: Api, social: Social) -> None:
        super().__init__(api, social)
        self._handle, self._which = "", "followers"
        self._next: int | None = None
        self.explain = lambda error: explain(error, self._handle)

    handle = Property(str, lambda self: self._handle, notify=viewChanged)
    which = Property(str, lambda self: self._which, notify=viewChanged)  # "followers" or "following"
    hasMore = Property(bool, lambda self: self._next is not None, notify=viewChanged)
    title = Property(str, lambda self: (f"Followers of @{self._handle}" if self._which == "followers"
                                        else f"People @{self._handle} follows"), notify=viewChanged)

    def open(self, handle: str, which: str) -> None:
        self._handle, self._which, self._next = handle, which, None
        self._model.reset([])
        self.load_page(self._path(), lambda generation, page: self._page(generation, page, True), limit=PAGE)

    @Slot()
    def loadMore(self) -> None:
        if self._loading or self._next is None:
            return
        self.load_page(self._path(), lambda generation, page: self._page(generation, page, False), limit=PAGE,
                       before=self._next)

    def clear(self) -> None:
        self._handle, self._next = "", None
        super().clear()

    def _path(self) -> str:
        return f"/v1/users/{segment(self._handle)}/{self._which}"

    def _page(self, generation: int, page: dict[str, Any], first: bool) -> None:
        if not self.current(generation):
            return
        have = set() if first else {r["handle"] for r in self._model.rows}
        rows = [user_row(u) for u in page["items"] if u["handle"] not in have]
        if first:
            self._model.reset(rows)
        else:
            self._model.extend(rows)
        self._next = page["next_before"]
        nobody = (f"Nobody follows @{self._handle} yet." if self._which == "followers"
                  else f"@{self._handle} follows nobody yet.")
        self.set_state(loading=False, message=nobody if first and not rows else "")


class Suggestions(PeopleList):
    """People followed by people I follow (depth 2), or one hop further (depth 3).

    A dismissed suggestion is sent to the server at once, and offers Undo (in the notice, and on the row),
    which takes the dismissal back on the server and puts the row back where it was. Its row stays in
    place, shown as dismissed, while the pointer is over the list (so the rows below do not move up under
    it); `settle` (the pointer left) closes the gaps."""
    viewChanged = Signal()

    def __init__(self, api: Api, social: Social, offer: Callable[[str, str, Callable[[], None]], None]) -> None:
        super().__init__(api, social)
        self.offer = offer
        self._depth = 2
        # Dismissals the server has not confirmed yet: a page fetched meanwhile may still hold them.
        self.dismissing: set[str] = set()
        self._undo_after_dismissal: set[str] = set()  # an Undo waits for the dismissal's answer, to follow it
        self._dismissed: dict[str, Row] = {}  # the rows an Undo can put back, by handle
        self._rank: dict[str, int] = {}  # each handle's place in the last page: where an Undo puts it back

    def _get_depth(self) -> int:
        return self._depth

    def _set_depth(self, depth: int) -> None:
        if depth in (2, 3) and depth != self._depth:
            self._depth = depth
            self.changed.emit()
            self.refresh()

    depth = Property(int, _get_depth, _set_depth, notify=viewChanged)

    def clear(self) -> None:
        self.dismissing.clear()
        self._undo_after_dismissal.clear()
        self._dismissed, self._rank = {}, {}
        super().clear()

    @Slot()
    def refresh(self) -> None:
        self.load_page("/v1/suggestions", self._page, depth=self._depth, limit=20)

    @Slot(str)
    def dismiss(self, handle: str) -> None:
        i = self._model.find(lambda r: r["handle"] == handle)
        if i < 0 or self._model.rows[i].get("dismissed"):
            return
        self._dismissed[handle] = self._model.rows[i]
        self._model.update_where(lambda r: r["handle"] == handle, lambda r: {"dismissed": True})
        self.dismissing.add(handle)
        self.api.call("DELETE", f"/v1/suggestions/{segment(handle)}", ok=lambda _: self._dismiss_sent(handle),
                      err=lambda e: self._dismiss_failed(handle, e))
        self.offer(f"You won't see @{handle} suggested again.", "Undo", lambda: self.undismiss(handle))

    @Slot(str)
    def undismiss(self, handle: str) -> None:
        """Undo: the row comes back where it was, and the server may suggest them again."""
        row = self._dismissed.pop(handle, None)
        if row is None:
            return
        if self._model.find(lambda r: r["handle"] == handle) >= 0:
            self._model.update_where(lambda r: r["handle"] == handle, lambda r: {"dismissed": False})
        else:
            rank = self._rank.get(handle, len(self._rank))
            after = self._model.find(lambda r: self._rank.get(r["handle"], len(self._rank)) > rank)
            self._model.insert(len(self._model.rows) if after < 0 else after, {**row, "dismissed": False})
        if handle in self.dismissing:  # sent after the dismissal is answered: never overtaken by it
            self._undo_after_dismissal.add(handle)
        else:
            self._send_undismiss(handle)

    @Slot()
    def settle(self) -> None:
        """The pointer left the list: the dismissed rows close up (Undo in the notice still works)."""
        self._model.remove_where(lambda r: bool(r.get("dismissed")))

    def _send_undismiss(self, handle: str) -> None:
        self.api.call("PUT", f"/v1/suggestions/{segment(handle)}", err=self.fail)

    def _dismiss_sent(self, handle: str) -> None:
        self.dismissing.discard(handle)
        if handle in self._undo_after_dismissal:
            self._undo_after_dismissal.discard(handle)
            self._send_undismiss(handle)

    def _dismiss_failed(self, handle: str, error: ApiError) -> None:
        self.dismissing.discard(handle)
        self._undo_after_dismissal.discard(handle)
        self._dismissed.pop(handle, None)
        self.fail(error)
        self.refresh()

    def _page(self, generation: int, page: dict[str, Any]) -> None:
        if self.current(generation):
            rows = [suggestion_row(item) for item in page["items"] if item["user"]["handle"] not in self.dismissing]
            self._rank = {r["handle"]: i for i, r in enumerate(rows)}
            self._model.reset(rows)
            empty = "No suggestions yet: follow a few people first." if not page["items"] else ""
            self.set_state(loading=False, message=empty)
