"""Notifications: the history from GET /v1/notifications (newest first, paged), the unread count and read
marker from the server (so both survive a restart), and live stream events, each carrying its
`notification_id`: a new one is added to the list and counted once, and the count is then re-read from the
server so the badge stays exact. Opening the view marks everything shown as read."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot

from client_qt.api import Api
from client_qt.controller import Controller
from client_qt.models import NotificationModel, Row, avatar, notification_row
from client_qt.timeline import BarkActions

PAGE = 20
NEWEST = "/v1/stream/events/newest"  # where the stream is now (its newest event's seq)
KINDS = {"reaction": "reaction", "follower": "follow", "rebark": "rebark", "reply": "reply", "mention": "mention"}
RECOUNT_MS = 300  # live events in a burst are re-counted once


def event_row(event: dict[str, Any]) -> Row:
    """A live stream event as a notification row (the same shape as the history's)."""
    bark = event.get("bark") or {}
    actor = bark.get("author") or event["user"]
    item = {"id": event["notification_id"], "type": KINDS[event["type"]], "actor": actor,
            "bark": bark or ({"id": event["bark_id"], "text": ""} if "bark_id" in event else None),
            "emoji": event.get("emoji"), "created_at": event["created_at"]}
    return {**notification_row(item), "avatarUrl": avatar(actor)}


class Notifications(Controller):
    viewChanged = Signal()
    arrived = Signal(object)  # a new, unread notification row, live from the stream (for desktop notifications)

    def __init__(self, api: Api, actions: BarkActions) -> None:
        super().__init__(api)
        self.actions = actions
        self._model = NotificationModel()
        self._unread, self._last_read = 0, 0
        self._next: int | None = None
        self._viewing = False
        self._recount = QTimer(self, singleShot=True, interval=RECOUNT_MS)
        self._recount.timeout.connect(self.count)

    model = Property(QObject, lambda self: self._model, constant=True)
    unread = Property(int, lambda self: self._unread, notify=viewChanged)
    lastReadId = Property("QVariant", lambda self: self._last_read, notify=viewChanged)
    hasMore = Property(bool, lambda self: self._next is not None, notify=viewChanged)

    @Slot()
    def load(self) -> None:
        """The newest page of the history, then the unread count."""
        self.load_page("/v1/notifications", lambda generation, page: self._page(generation, page, True), limit=PAGE)
        self.count()

    @Slot()
    def loadMore(self) -> None:
        if self._loading or self._next is None:
            return
        self.load_page("/v1/notifications", lambda generation, page: self._page(generation, page, False),
                       limit=PAGE, before=self._next)

    @Slot()
    def count(self) -> None:
        self._recount.stop()
        self.api.get("/v1/notifications/unread_count", self._marker)

    def on_event(self, event: dict[str, Any]) -> None:
        if event.get("type") not in KINDS or "notification_id" not in event:
            return
        row = event_row(event)
        if not self._model.add(row):
            return
        if row["barkId"] and not row["barkText"]:
            self._fetch_bark(row["barkId"])
        if row["id"] > self._last_read:  # not read already (on another device)
            self.arrived.emit(row)
        if self._viewing:
            self.markRead()
            return
        if row["id"] > self._last_read:
            self._unread += 1
            self.changed.emit()
        self._recount.start()

    @Slot(bool)
    def setViewing(self, viewing: bool) -> None:
        """Opening the view marks what it shows as read."""
        self._viewing = viewing
        if viewing:
            self.markRead()

    @Slot()
    def markRead(self) -> None:
        """Everything shown is read: the badge clears at once; the server's answer (or, if the request
        fails, a fresh count) then says what is really left."""
        newest = self._model.newest_id()
        if newest > self._last_read:
            if self._unread:
                self._unread = 0
                self.changed.emit()
            self.api.call("POST", "/v1/notifications/read", {"up_to": newest}, ok=self._marker,
                          err=lambda _: self.count())

    def clear(self) -> None:
        self.fresh()
        self._recount.stop()
        self._model.reset([])
        self._unread, self._last_read, self._next = 0, 0, None
        self.set_state(loading=False, error="")

    def _page(self, generation: int, page: dict[str, Any], first: bool) -> None:
        if not self.current(generation):
            return
        rows = [notification_row(item) for item in page["items"]]
        if first:
            live = [r for r in self._model.rows if r["id"] > max((n["id"] for n in rows), default=0)]
            self._model.reset(live)  # events that arrived while the page was on its way stay
        for row in rows:
            self._model.add(row)
        self._next = page["next_before"]
        self.set_state(loading=False)
        if self._viewing:
            self.markRead()

    def _marker(self, answer: dict[str, Any]) -> None:
        """A count or read answer; one from before the marker last moved is stale (they may cross)."""
        last_read = answer["last_read_id"] or 0
        if last_read >= self._last_read:
            self._unread, self._last_read = answer["unread_count"], last_read
            self.changed.emit()

    def _fetch_bark(self, bark_id: int) -> None:
        self.actions.refresh(bark_id, lambda bark: self._model.set_bark_text(bark_id, bark["text"] or ""))
