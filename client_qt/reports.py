"""Reporting a user or one of their barks to the moderators (POST /v1/reports), and the list of my own
reports with their state (GET /v1/me/reports), shown small in Settings."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Property, Signal, Slot

from client_qt.api import Api, ApiError
from client_qt.controller import Controller

REASONS = ["spam", "harassment", "hate", "violence", "illegal", "impersonation", "other"]


class Reports(Controller):
    viewChanged = Signal()
    dialogRequested = Signal()  # the report dialog opens for `handle` (and `barkId`)
    filed = Signal()  # the server accepted the report: the dialog closes

    def __init__(self, api: Api) -> None:
        super().__init__(api)
        self._handle = ""
        self._bark_id: int | None = None
        self._bark_text = ""
        self._sending = False
        self._mine: list[dict[str, Any]] = []

    handle = Property(str, lambda self: self._handle, notify=viewChanged)
    barkId = Property("QVariant", lambda self: self._bark_id, notify=viewChanged)
    barkText = Property(str, lambda self: self._bark_text, notify=viewChanged)
    sending = Property(bool, lambda self: self._sending, notify=viewChanged)
    reasons = Property("QVariantList", lambda self: REASONS, constant=True)
    mine = Property("QVariantList", lambda self: self._mine, notify=viewChanged)

    @Slot(str)
    def reportUser(self, handle: str) -> None:
        self._start(handle, None, "")

    @Slot(str, "QVariant", str)
    def reportBark(self, handle: str, bark_id: float, text: str) -> None:
        """Bark ids go past 2^31: QML passes them as numbers (doubles, exact below 2^53)."""
        self._start(handle, int(bark_id), text)

    def _start(self, handle: str, bark_id: int | None, text: str) -> None:
        self._handle, self._bark_id, self._bark_text, self._sending = handle, bark_id, text, False
        self.set_state(error="", message="")
        self.dialogRequested.emit()

    @Slot(str, str)
    def submit(self, reason: str, text: str) -> None:
        if self._sending or not self._handle:
            return
        body: dict[str, Any] = {"handle": self._handle, "reason": reason}
        if self._bark_id is not None:
            body["bark_ids"] = [self._bark_id]
        if text.strip():
            body["text"] = text.strip()
        self._sending = True
        self.set_state(error="")
        self.api.call("POST", "/v1/reports", body, ok=self._filed, err=self._refused)

    def _filed(self, _: Any) -> None:
        self._sending = False
        self.set_state(message=f"Thanks: your report about @{self._handle} was sent to the moderators.")
        self.filed.emit()
        self.loadMine()

    def _refused(self, error: ApiError) -> None:
        self._sending = False
        self.set_state(error=error.message)

    @Slot()
    def loadMine(self) -> None:
        generation = self.fresh()

        def shown(page: dict[str, Any]) -> None:
            if self.current(generation):
                self._mine = list(page["items"])
                self.changed.emit()
        self.api.get("/v1/me/reports", shown, self.failed(generation, self.loadMine))

    def clear(self) -> None:
        self.fresh()
        self._handle, self._bark_id, self._bark_text, self._sending, self._mine = "", None, "", False, []
        self.set_state(loading=False, error="", message="")
