"""Asking first, before what cannot be undone: deleting a bark (mine, or a reported one for a moderator),
unfollowing (as Twitter and Mastodon ask "Unfollow @h?"), stopping sharing my location, logging out. One
question at a time, shown by the one dialog (ConfirmDialog.qml); Cancel or Escape changes nothing. What can be
undone is done at once, with Undo in the notice instead (an unblock, a dismissed suggestion)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Property, QObject, Signal, Slot

from client_qt.moderation import Moderation
from client_qt.nearby import Nearby
from client_qt.people import Social
from client_qt.session import Session
from client_qt.timeline import BarkActions


class Confirm(QObject):
    changed = Signal()
    asked = Signal()  # a question is to be shown: the dialog opens

    def __init__(self, actions: BarkActions, social: Social, nearby: Nearby, session: Session,
                 moderation: Moderation) -> None:
        super().__init__()
        self.actions, self.social, self.nearby, self.session = actions, social, nearby, session
        self.moderation = moderation
        self._title, self._text, self._button = "", "", ""
        self._action: Callable[[], None] | None = None

    title = Property(str, lambda self: self._title, notify=changed)
    text = Property(str, lambda self: self._text, notify=changed)
    confirmText = Property(str, lambda self: self._button, notify=changed)

    def ask(self, title: str, text: str, button: str, action: Callable[[], None]) -> None:
        self._title, self._text, self._button, self._action = title, text, button, action
        self.changed.emit()
        self.asked.emit()

    @Slot()
    def accept(self) -> None:
        """The dialog's action button: what was asked is done, once."""
        action, self._action = self._action, None
        if action:
            action()

    @Slot()
    def cancel(self) -> None:
        self._action = None

    def clear(self) -> None:
        self.cancel()

    # -- the questions -------------------------------------------------------------------------------------
    @Slot("QVariant")
    def askDelete(self, bark_id: float) -> None:
        bark_id = int(bark_id)
        self.ask("Delete this bark?", "This can't be undone. It leaves your profile, the timelines it is in "
                 "and search results; replies to it stay, under a deleted bark.", "Delete",
                 lambda: self.actions.delete(bark_id))

    @Slot("QVariant")
    def askDeleteReported(self, bark_id: float) -> None:
        bark_id = int(bark_id)
        self.ask("Delete this bark for everyone?", "It is removed as if its author had deleted it. This can't "
                 "be undone.", "Delete", lambda: self.moderation.deleteBark(bark_id))

    @Slot(str)
    def askUnfollow(self, handle: str) -> None:
        self.ask(f"Unfollow @{handle}?", "Their barks will no longer show up in your home timeline. You can "
                 "still see their profile, and follow them again.", "Unfollow",
                 lambda: self.social.setFollowing(handle, False))

    @Slot()
    def askStopSharing(self) -> None:
        self.ask("Stop sharing your location?", "Nobody will find you nearby, and you won't see who is near you, "
                 "until you share it again.", "Stop sharing", self.nearby.stopSharing)

    @Slot()
    def askLogOut(self) -> None:
        self.ask(f"Log out of @{self.session.handle}?", "You will need your password to log in again.",
                 "Log out", self.session.logOut)
