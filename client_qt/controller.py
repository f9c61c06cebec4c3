"""The base of the view controllers: one `changed` signal, and the busy/error/message state every view
shows (errors appear in the view that caused them, never as a crash)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Property, QObject, Signal

from client_qt.api import Api, ApiError


class Controller(QObject):
    changed = Signal()

    def __init__(self, api: Api) -> None:
        super().__init__()
        self.api = api
        self._loading, self._error, self._message = False, "", ""
        self._generation = 0  # bumped by each new load: answers to older ones are ignored
        self._error_offline = False  # the error shown only says the server could not be reached
        self._retry: Callable[[], None] | None = None  # the load that failed so, to repeat when the server is back
        api.reachableChanged.connect(self._reachability_changed)
        # How a refusal reads in this view (a profile's barks say who is unavailable: client_qt/errors.py).
        self.explain: Callable[[ApiError], str] = lambda error: error.message
        # PySide cannot use a base class's signal as the notify of a property declared in a subclass: those
        # properties notify with their own class's `viewChanged`, which fires whenever `changed` does.
        view_changed = getattr(self, "viewChanged", None)
        if view_changed is not None:
            self.changed.connect(view_changed)

    def _get_loading(self) -> bool:
        return self._loading

    def _get_error(self) -> str:
        return self._error

    def _get_message(self) -> str:
        return self._message

    loading = Property(bool, _get_loading, notify=changed)
    error = Property(str, _get_error, notify=changed)
    message = Property(str, _get_message, notify=changed)

    def set_state(self, *, loading: bool | None = None, error: str | None = None, message: str | None = None) -> None:
        if loading is not None:
            self._loading = loading
        if error is not None:
            self._error, self._error_offline, self._retry = error, False, None
        if message is not None:
            self._message = message
        self.changed.emit()

    def fail(self, error: ApiError, retry: Callable[[], None] | None = None) -> None:
        """Show the refusal; `retry`: the load that failed, repeated if it failed for want of the server."""
        self.set_state(loading=False, error=self.explain(error), message="")
        self._error_offline = error.status == 0
        self._retry = retry if self._error_offline else None

    def _reachability_changed(self) -> None:
        """The server answers again: an error that only said it could not be reached goes by itself, and a
        load it stopped is tried again (what was typed, e.g. in the compose box, stays to be sent again)."""
        if self.api.reachable and self._error_offline:
            retry = self._retry
            self.set_state(error="")
            if retry:
                retry()

    def fresh(self) -> int:
        """Start a load that supersedes any in flight; returns its generation."""
        self._generation += 1
        return self._generation

    def current(self, generation: int) -> bool:
        return generation == self._generation

    def load_page(self, path: str, on_page: Callable[[int, Any], None], **params: Any) -> None:
        """GET `path` as a new load superseding any in flight: loading shown, the answer to `on_page(generation,
        page)` (which checks `current(generation)`), an error shown unless superseded."""
        generation = self.fresh()
        self.set_state(loading=True, error="")
        self.api.get(path, lambda page: on_page(generation, page),
                     self.failed(generation, lambda: self.load_page(path, on_page, **params)), **params)

    def failed(self, generation: int, retry: Callable[[], None] | None = None) -> Callable[[ApiError], None]:
        """The error handler of load `generation`: shows the error unless a newer load has superseded it.
        `retry` repeats the load (when the server is back, if it could not be reached); none for writes."""
        def show(error: ApiError) -> None:
            if self.current(generation):
                self.fail(error, retry)
        return show
