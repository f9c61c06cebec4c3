"""Notifications: reactions to my barks and new followers, from the stream (those among its newest hundred
events at start, then live). Each reaction also fetches its bark, to show which bark and update its counts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot

from client_qt.api import Api
from client_qt.controller import Controller
from client_qt.models import NotificationModel
from client_qt.timeline import BarkActions

HISTORY = 100
NEWEST = "/v1/stream/events/newest"  # the stream's newest `limit` events, and where it is now
KINDS = ("reaction", "follower")


class Notifications(Controller):
    viewChanged = Signal()

    def __init__(self, api: Api, actions: BarkActions) -> None:
        super().__init__(api)
        self.actions = actions
        self._model = NotificationModel()
        self._unread = 0
        self._viewing = False

    def _get_model(self) -> NotificationModel:
        return self._model

    def _get_unread(self) -> int:
        return self._unread

    model = Property(QObject, _get_model, constant=True)
    unread = Property(int, _get_unread, notify=viewChanged)

    def load_history(self) -> None:
        """The reactions and followers among the newest HISTORY stream events (they carry no time). Asked for
        by count, never as "after the newest seq minus HISTORY": seqs jump (one clock for every stream), so
        that would miss events only a few entries old."""
        generation = self.fresh()
        self.api.get(NEWEST, lambda page: self._history(generation, page), limit=HISTORY)

    def show_history(self, page: dict[str, Any]) -> None:
        """The same from a page of `GET NEWEST?limit=HISTORY` the caller already has."""
        self._history(self.fresh(), page)

    def on_event(self, event: dict[str, Any]) -> None:
        if event.get("type") in KINDS and self._model.add_event(event, datetime.now(UTC).isoformat()):
            if event["type"] == "reaction":
                self._fetch_bark(event["bark_id"])
            if not self._viewing:
                self._unread += 1
            self.changed.emit()

    @Slot(bool)
    def setViewing(self, viewing: bool) -> None:
        """While the view is open, nothing is unread."""
        self._viewing = viewing
        if viewing and self._unread:
            self._unread = 0
            self.changed.emit()

    def clear(self) -> None:
        self.fresh()
        self._model.reset([])
        self._unread = 0
        self.changed.emit()

    def _history(self, generation: int, page: dict[str, Any]) -> None:
        if not self.current(generation):
            return
        barks: dict[int, None] = {}
        for event in reversed(page["events"]):
            if event["type"] in KINDS and self._model.add_event(event, "") and event["type"] == "reaction":
                barks[event["bark_id"]] = None
        for bark_id in list(barks)[:20]:
            self._fetch_bark(bark_id)

    def _fetch_bark(self, bark_id: int) -> None:
        self.actions.refresh(bark_id, lambda bark: self._model.set_bark_text(bark_id, bark["text"] or ""))
