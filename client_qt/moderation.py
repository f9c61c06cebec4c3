"""The moderators' view: the open reports queue (GET /v1/admin/reports?state=open), closing a report as
resolved or dismissed with an optional note, and deleting a reported bark. The queue reloads after each
action, so what is shown is what the server now holds."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Property, Signal, Slot

from client_qt.api import Api, ApiError
from client_qt.controller import Controller


class Moderation(Controller):
    viewChanged = Signal()

    def __init__(self, api: Api) -> None:
        super().__init__(api)
        self._queue: list[dict[str, Any]] = []

    queue = Property("QVariantList", lambda self: self._queue, notify=viewChanged)

    @Slot()
    def load(self) -> None:
        generation = self.fresh()
        self.set_state(loading=True, error="")

        def shown(page: dict[str, Any]) -> None:
            if self.current(generation):
                self._queue = list(page["items"])
                self.set_state(loading=False)
        self.api.get("/v1/admin/reports", shown, self.failed(generation), state="open")

    @Slot("QVariant", str, str)
    def close(self, report_id: float, action: str, note: str) -> None:
        """Resolve or dismiss; ids pass through QML as numbers (exact below 2^53)."""
        body = {"action": action, **({"note": note.strip()} if note.strip() else {})}
        self.api.call("POST", f"/v1/admin/reports/{int(report_id)}/resolve", body,
                      ok=lambda _: self._done(f"Report {action}."), err=self._refused)

    @Slot("QVariant")
    def deleteBark(self, bark_id: float) -> None:
        self.api.call("DELETE", f"/v1/admin/barks/{int(bark_id)}", {"reason": "reported"},
                      ok=lambda _: self._done("Bark deleted."), err=self._refused)

    def _done(self, message: str) -> None:
        self.set_state(message=message, error="")
        self.load()

    def _refused(self, error: ApiError) -> None:
        self.set_state(error=error.message, message="")
        self.load()

    def clear(self) -> None:
        self.fresh()
        self._queue = []
        self.set_state(loading=False, error="", message="")
