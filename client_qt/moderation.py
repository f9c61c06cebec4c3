"""The moderators' view: the open reports queue (GET /v1/admin/reports?state=open), closing a report as
resolved or dismissed with an optional note, deleting a reported bark, and suspending or unsuspending an
account (a reported one, or one looked up by handle: GET /v1/admin/accounts/{handle}, which shows its state
whatever it is). The queue, and the account looked up, reload after each action, so what is shown is what
the server now holds."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Property, Signal, Slot

from client_qt.api import Api, ApiError, segment
from client_qt.controller import Controller


class Moderation(Controller):
    viewChanged = Signal()

    def __init__(self, api: Api) -> None:
        super().__init__(api)
        self._queue: list[dict[str, Any]] = []
        self._account: dict[str, Any] = {}  # the account looked up ({}: none)

    queue = Property("QVariantList", lambda self: self._queue, notify=viewChanged)
    account = Property("QVariantMap", lambda self: self._account, notify=viewChanged)

    @Slot()
    def load(self) -> None:
        generation = self.fresh()
        self.set_state(loading=True, error="")

        def shown(page: dict[str, Any]) -> None:
            if self.current(generation):
                self._queue = list(page["items"])
                self.set_state(loading=False)
        self.api.get("/v1/admin/reports", shown, self.failed(generation, self.load), state="open")

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

    @Slot(str)
    def lookup(self, handle: str) -> None:
        """Show an account with its role and state (a suspended or pending one too)."""
        handle = handle.strip().removeprefix("@")
        if not handle:
            return
        self._account = {}
        self.set_state(error="", message="")

        def shown(account: dict[str, Any]) -> None:
            self._account = account
            self.changed.emit()
        self.api.get(f"/v1/admin/accounts/{segment(handle)}", shown, self._not_found)

    @Slot(str, str)
    def suspend(self, handle: str, reason: str) -> None:
        """The view asked for a reason and a confirmation first; the server requires the reason too."""
        self.api.call("POST", f"/v1/admin/accounts/{segment(handle)}/suspend", {"reason": reason.strip()},
                      ok=lambda _: self._done(f"@{handle} is suspended.", handle), err=self._refused)

    @Slot(str)
    def unsuspend(self, handle: str) -> None:
        self.api.call("POST", f"/v1/admin/accounts/{segment(handle)}/unsuspend", None,
                      ok=lambda _: self._done(f"@{handle} is active again.", handle), err=self._refused)

    def _done(self, message: str, handle: str | None = None) -> None:
        self.set_state(message=message, error="")
        self.load()
        if handle is not None and self._account.get("handle") == handle:
            self.api.get(f"/v1/admin/accounts/{segment(handle)}", self._relooked)

    def _relooked(self, account: dict[str, Any]) -> None:
        if self._account.get("handle") == account["handle"]:
            self._account = account
            self.changed.emit()

    def _refused(self, error: ApiError) -> None:
        self.load()  # first: a load starts by clearing the error, which must stay shown
        self.set_state(error=error.message, message="")

    def _not_found(self, error: ApiError) -> None:
        self._account = {}
        self.set_state(error=error.message, message="")

    def clear(self) -> None:
        self.fresh()
        self._queue = []
        self._account = {}
        self.set_state(loading=False, error="", message="")
