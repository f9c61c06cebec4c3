"""Blocking and muting people: from a profile or a bark's menu, each after a confirmation that says what it
does (a mute for a chosen time or until undone); unblocking and unmuting at once, with an Undo offered in the
notice. And the lists of the accounts I block and mute, shown in Settings a page at a time.

What a block or mute hides is the server's business (docs: the hiding rules); the client only takes the
person's barks out of the lists already on screen, so the effect is seen at once rather than at the next
reload (`hide`, wired by the app, knows which lists a mute leaves alone), and once an unblock or unmute is
accepted reloads those lists (`unhide`), so the person's barks come back as they went."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import Property, QObject, Signal, Slot

from client_qt.api import Api, ApiError, segment
from client_qt.controller import Controller
from client_qt.errors import explain
from client_qt.formatting import iso_in, mute_end_text, seconds_left
from client_qt.models import Row, UserModel, user_row
from client_qt.people import Social

# The durations a mute can be given in the confirmation; 0 seconds: until I unmute.
DURATIONS = [{"label": "1 hour", "seconds": 3600}, {"label": "1 day", "seconds": 86400},
             {"label": "7 days", "seconds": 7 * 86400}, {"label": "Until I unmute", "seconds": 0}]
PAGE = 20
UNKNOWN = object()  # the end of a mute the client never saw (muted elsewhere): no Undo can restore it


class Notify(Protocol):
    """What Safety needs of the app's notices (client_qt.app.Notices): a message, or one with an action."""

    def show(self, text: str) -> None: ...

    def offer(self, text: str, action_text: str, action: Callable[[], None] | None) -> None: ...


def refused(error: ApiError, handle: str) -> str:
    """A refused block, unblock, mute or unmute, about `handle`."""
    if error.status == 404:
        return f"There is no @{handle} any more."
    if error.status == 429:
        return f"You have blocked and muted a lot lately: {error.message}."
    return explain(error, handle)


class Safety(Controller):
    viewChanged = Signal()
    dialogRequested = Signal()  # the confirmation opens for `askKind` ("block" or "mute") of `askHandle`
    done = Signal()  # the server accepted what was confirmed: the dialog closes
    relationChanged = Signal(str, str)  # ("block" | "unblock" | "mute" | "unmute", handle): lists follow

    def __init__(self, api: Api, social: Social, notices: Notify, hide: Callable[[str, bool], None],
                 unhide: Callable[[str, bool], None]) -> None:
        """`hide(handle, block)` takes that person's barks out of the lists on screen; `unhide(handle, block)`
        brings them back (after an unblock or unmute)."""
        super().__init__(api)
        self.social, self.notices, self.hide, self.unhide = social, notices, hide, unhide
        self._kind, self._handle, self._sending = "", "", False
        # When each mute I know of ends (ISO, or None: until unmuted), by lower-case handle: what Undo restores.
        self._mute_ends: dict[str, str | None] = {}

    askKind = Property(str, lambda self: self._kind, notify=viewChanged)
    askHandle = Property(str, lambda self: self._handle, notify=viewChanged)
    sending = Property(bool, lambda self: self._sending, notify=viewChanged)
    durations = Property("QVariantList", lambda self: DURATIONS, constant=True)

    # -- asking first --------------------------------------------------------------------------------------
    @Slot(str)
    def askBlock(self, handle: str) -> None:
        self._ask("block", handle)

    @Slot(str)
    def askMute(self, handle: str) -> None:
        self._ask("mute", handle)

    def _ask(self, kind: str, handle: str) -> None:
        self._kind, self._handle, self._sending = kind, handle, False
        self.set_state(error="", message="")
        self.dialogRequested.emit()

    @Slot(int)
    def confirm(self, seconds: int) -> None:
        """The dialog's button: block, or mute for `seconds` (0: until unmuted)."""
        if self._sending or not self._handle:
            return
        self._sending = True
        self.set_state(error="")
        if self._kind == "block":
            self.block(self._handle)
        else:
            self.mute(self._handle, seconds or None)

    # -- the four requests ---------------------------------------------------------------------------------
    def block(self, handle: str) -> None:
        self.api.call("PUT", f"/v1/me/blocks/{segment(handle)}", ok=lambda user: self._blocked(handle, user),
                      err=lambda e: self._refused(handle, e))

    def mute(self, handle: str, seconds: int | None) -> None:
        self.api.call("PUT", f"/v1/me/mutes/{segment(handle)}", {"duration": seconds},
                      ok=lambda user: self._muted(handle, seconds, user), err=lambda e: self._refused(handle, e))

    @Slot(str)
    def unblock(self, handle: str) -> None:
        self.api.call("DELETE", f"/v1/me/blocks/{segment(handle)}", ok=lambda _: self._unblocked(handle),
                      err=lambda e: self._refused(handle, e))

    @Slot(str)
    def unmute(self, handle: str) -> None:
        self.api.call("DELETE", f"/v1/me/mutes/{segment(handle)}", ok=lambda _: self._unmuted(handle),
                      err=lambda e: self._refused(handle, e))

    def remember_mute_end(self, handle: str, until: str | None) -> None:
        self._mute_ends[handle.lower()] = until

    # -- the answers -----------------------------------------------------------------------------------------
    def _accepted(self, handle: str, user: dict[str, Any], kind: str, notice: str) -> None:
        self._sending = False
        self.set_state(error="")
        self.done.emit()
        self.social.userChanged.emit(user)
        self.hide(handle, kind == "block")
        self.relationChanged.emit(kind, handle)
        self.notices.show(notice)

    def _blocked(self, handle: str, user: dict[str, Any]) -> None:
        self._accepted(handle, user, "block", f"You block @{handle}.")

    def _muted(self, handle: str, seconds: int | None, user: dict[str, Any]) -> None:
        until = user.get("muting_until", UNKNOWN)
        if until is UNKNOWN:  # the answer is a plain User: the end is now + the duration asked for
            until = None if seconds is None else iso_in(seconds)
        self.remember_mute_end(handle, until)
        self._accepted(handle, user, "mute", f"You mute @{handle} {mute_end_text(until)}.")

    def _unblocked(self, handle: str) -> None:
        self._relation_ended(handle, "unblock")
        self.notices.offer(f"You no longer block @{handle}.", "Undo", lambda: self.block(handle))

    def _unmuted(self, handle: str) -> None:
        self._relation_ended(handle, "unmute")
        until = self._mute_ends.pop(handle.lower(), UNKNOWN)
        if until is UNKNOWN:
            self.notices.show(f"You no longer mute @{handle}.")
            return
        # Undo restores the same end if it is still to come (counted when Undo is clicked), else a mute
        # until unmuted: the person asked for them to stay muted.
        self.notices.offer(f"You no longer mute @{handle}.", "Undo",
                           lambda: self.mute(handle, seconds_left(until) or None))

    def _relation_ended(self, handle: str, kind: str) -> None:
        self.unhide(handle, kind == "unblock")
        self.relationChanged.emit(kind, handle)
        self.api.get(f"/v1/users/{segment(handle)}", self.social.userChanged.emit)  # profiles show it now

    def _refused(self, handle: str, error: ApiError) -> None:
        message = refused(error, handle)
        if self._sending:  # the confirmation is open: the message shows there
            self._sending = False
            self.set_state(error=message)
        else:
            self.notices.show(message)

    def clear(self) -> None:
        self.fresh()
        self._kind, self._handle, self._sending, self._mute_ends = "", "", False, {}
        self.set_state(loading=False, error="", message="")


class AccountList(Controller):
    """The accounts I block (GET /v1/me/blocks) or mute (GET /v1/me/mutes), most recent first, a page at a
    time. Rows leave as they are unblocked or unmuted; a new block or mute (an Undo) reloads the list."""
    viewChanged = Signal()

    def __init__(self, api: Api, safety: Safety, kind: str) -> None:
        super().__init__(api)
        self.safety, self.kind = safety, kind  # "block" or "mute"
        self._path = "/v1/me/blocks" if kind == "block" else "/v1/me/mutes"
        self._model = UserModel()
        self._next: int | None = None
        self.loaded = False
        safety.relationChanged.connect(self._relation_changed)

    model = Property(QObject, lambda self: self._model, constant=True)
    hasMore = Property(bool, lambda self: self._next is not None, notify=viewChanged)

    @Slot()
    def load(self) -> None:
        self.load_page(self._path, lambda generation, page: self._page(generation, page, True), limit=PAGE)

    @Slot()
    def loadMore(self) -> None:
        if self._loading or self._next is None:
            return
        self.load_page(self._path, lambda generation, page: self._page(generation, page, False), limit=PAGE,
                       before=self._next)

    def clear(self) -> None:
        self.fresh()
        self._next, self.loaded = None, False
        self._model.reset([])
        self.set_state(loading=False, error="", message="")

    def _row(self, user: dict[str, Any]) -> Row:
        if self.kind == "block":
            return user_row(user, note="")
        self.safety.remember_mute_end(user["handle"], user["muting_until"])
        return user_row(user, note="Muted " + mute_end_text(user["muting_until"]))

    def _page(self, generation: int, page: dict[str, Any], first: bool) -> None:
        if not self.current(generation):
            return
        have = set() if first else {r["handle"] for r in self._model.rows}
        rows = [self._row(u) for u in page["items"] if u["handle"] not in have]
        if first:
            self._model.reset(rows)
        else:
            self._model.extend(rows)
        self._next, self.loaded = page["next_before"], True
        self.set_state(loading=False)

    def _relation_changed(self, kind: str, handle: str) -> None:
        if kind == f"un{self.kind}":
            self._model.remove_where(lambda r: r["handle"].lower() == handle.lower())
        elif kind == self.kind and self.loaded:
            self.load()
