"""A profile: mine (edit display name and bio, change or remove my picture, change password) or someone
else's (follow, unfollow; mute, block and report are asked of client_qt/safety.py and reports.py); with
counts and their barks, unless a block stands between us."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot

from client_qt.api import Api, ApiError, segment
from client_qt.compose import local_path
from client_qt.controller import Controller
from client_qt.errors import explain, explain_profile_edit
from client_qt.people import Social
from client_qt.timeline import Timeline


class Profile(Controller):
    viewChanged = Signal()
    # A user as the server now describes them (my profile saved, anyone's loaded): lists showing their barks
    # update their name and picture.
    authorChanged = Signal(object)
    # The profile shown was loaded, saved or cleared: my form shows what the server holds. Only then: a
    # refused save (or anything else that changes the view) leaves what I typed in the form.
    userLoaded = Signal()

    def __init__(self, api: Api, social: Social, me: Callable[[], str],
                 on_me: Callable[[dict[str, Any]], None]) -> None:
        super().__init__(api)
        self.social, self.me, self.on_me = social, me, on_me
        self._handle = ""
        self._user: dict[str, Any] = {}
        self.barks = Timeline(api, lambda: f"/v1/users/{segment(self._handle)}/barks")
        self.barks.explain = lambda error: explain(error, self._handle)  # blocked either way: said plainly
        social.userChanged.connect(self._user_changed)

    def _get_user(self) -> dict[str, Any]:
        return self._user

    def _get_is_me(self) -> bool:
        return bool(self._handle) and self._handle.lower() == self.me().lower()

    user = Property("QVariantMap", _get_user, notify=viewChanged)
    handle = Property(str, lambda self: self._handle, notify=viewChanged)
    isMe = Property(bool, _get_is_me, notify=viewChanged)
    timeline = Property(QObject, lambda self: self.barks, constant=True)

    @Slot(str)
    def open(self, handle: str) -> None:
        if handle.lower() != self._handle.lower():
            self._user = {}
            self.barks.clear()
        self._handle = handle
        generation = self.fresh()
        self.set_state(loading=True, error="", message="")
        self.api.get(f"/v1/users/{segment(handle)}", lambda user: self._loaded(generation, user),
                     self.failed(generation, lambda: self.open(handle)))
        self.barks.reload()

    def clear(self) -> None:
        self.fresh()
        self._handle, self._user = "", {}
        self.barks.clear()
        self.set_state(loading=False, error="", message="")
        self.userLoaded.emit()  # nothing typed in my form stays for the next user

    @Slot(bool)
    def setFollowing(self, follow: bool) -> None:
        self.social.setFollowing(self._handle, follow)

    @Slot(str, str)
    def saveProfile(self, display_name: str, bio: str) -> None:
        self.set_state(loading=True, error="", message="")
        edit = {"display_name": display_name, "bio": bio}
        self.api.call("PATCH", "/v1/me", edit, ok=self._profile_saved,
                      err=lambda error: self.set_state(loading=False, error=explain_profile_edit(error, edit),
                                                       message=""))

    @Slot(str)
    def setAvatar(self, path_or_url: str) -> None:
        """Upload the image as an avatar (the server crops it square), then make it my picture."""
        self.set_state(loading=True, error="", message="Uploading the picture…")
        self.api.upload(local_path(path_or_url), "avatar", ok=self._avatar_uploaded, err=self.fail)

    @Slot()
    def removeAvatar(self) -> None:
        self.set_state(loading=True, error="", message="")
        self.api.call("DELETE", "/v1/me/avatar", ok=lambda _: self.api.get("/v1/me", self._avatar_saved, self.fail),
                      err=self.fail)

    def _avatar_uploaded(self, media: dict[str, Any]) -> None:
        self.api.call("PUT", "/v1/me/avatar", {"media_id": media["id"]}, ok=self._avatar_saved, err=self.fail)

    def _avatar_saved(self, user: dict[str, Any]) -> None:
        self._saved(user, "Picture changed." if user.get("avatar_url") else "Picture removed.")

    @Slot(str, str, str)
    def changePassword(self, old: str, new: str, repeat: str) -> None:
        if new != repeat:
            self.set_state(error="The new passwords differ.", message="")
            return
        self.set_state(loading=True, error="", message="")
        self.api.call("PUT", "/v1/me/password", {"old_password": old, "new_password": new},
                      ok=lambda _: self.set_state(loading=False, message="Password changed. Your other sessions "
                                                                         "were logged out."),
                      err=self._password_failed)

    def _password_failed(self, error: ApiError) -> None:
        if error.status == 403:
            error = ApiError(403, error.code, "The current password is wrong.")
        self.fail(error)

    def _loaded(self, generation: int, user: dict[str, Any]) -> None:
        if self.current(generation):
            self._user = user
            self.set_state(loading=False)
            self.userLoaded.emit()
            self.authorChanged.emit(user)
            if blocked_either_way(user):  # nothing of their barks is shown (nor fetched on scroll)
                self.barks.clear()

    def _saved(self, user: dict[str, Any], message: str = "Profile saved.") -> None:
        if user["handle"].lower() == self._handle.lower():
            self._user = user
        self.on_me(user)
        self.set_state(loading=False, message=message)
        self.authorChanged.emit(user)

    def _profile_saved(self, user: dict[str, Any]) -> None:
        self._saved(user)
        self.userLoaded.emit()  # (a new picture leaves a name being typed as it is)

    def _user_changed(self, user: dict[str, Any]) -> None:
        if user["handle"].lower() == self._handle.lower():
            was_blocked = blocked_either_way(self._user)
            self._user = user
            self.changed.emit()
            if blocked_either_way(user):  # the page shows the block instead of their barks
                self.barks.clear()
            elif was_blocked:  # unblocked (by me, or they by me): their barks can be seen again
                self.barks.reload()


def blocked_either_way(user: dict[str, Any]) -> bool:
    return bool(user.get("blocking") or user.get("blocked_by"))
