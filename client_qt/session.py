"""Who is logged in, where: the server URL and token are remembered between runs in the user's config
directory (session.json, mode 0600), and forgotten on log-out."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import Property, QObject, QStandardPaths, QUrl, Signal, Slot

from client_qt.api import DEFAULT_SERVER, Api, ApiError

FILE_NAME = "session.json"
PENDING = "Your account waits for a moderator's approval: you can log in once it is approved."
CHANGE_FIRST = "An administrator reset your password: choose a new one to go on."


def config_dir() -> Path:
    """BARKER_CLIENT_CONFIG_DIR, else Qt's per-user config location for the app (~/.config/barker)."""
    if os.environ.get("BARKER_CLIENT_CONFIG_DIR"):
        return Path(os.environ["BARKER_CLIENT_CONFIG_DIR"])
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppConfigLocation))


class SessionFile:
    def __init__(self, directory: Path) -> None:
        self.path = directory / FILE_NAME

    def load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text())
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def save(self, data: dict[str, Any]) -> None:
        """Written to a temporary file created with mode 0600, then renamed over the old one."""
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = self.path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            os.fchmod(f.fileno(), 0o600)
            json.dump(data, f)
        os.replace(tmp, self.path)


def normalise_url(url: str) -> str:
    """As typed, made a URL: no scheme means http (127.0.0.1:8000); no trailing slash."""
    url = url.strip() or DEFAULT_SERVER
    return (url if "://" in url else f"http://{url}").rstrip("/")


def is_server_url(url: str) -> bool:
    """Whether a normalised URL can be a server's: http or https, with a host (else Qt's own complaint,
    "Host  not found", would be all the user sees)."""
    parsed = QUrl(url, QUrl.ParsingMode.StrictMode)
    return parsed.isValid() and parsed.scheme() in ("http", "https") and parsed.host() != ""


class Session(QObject):
    """Log-in, sign-up and log-out; the current user as the API last described them."""

    changed = Signal()
    started = Signal()  # logged in (or restored), password changed if it had to be: the app starts loading
    held = Signal()  # the server wants a new password first: the app stops until it is changed
    ended = Signal()  # logged out or the token was refused

    def __init__(self, api: Api, store: SessionFile, server_url: str | None = None) -> None:
        super().__init__()
        self.api, self.store = api, store
        saved = store.load()
        self._url = normalise_url(server_url or os.environ.get("BARKER_SERVER_URL") or saved.get("server_url", ""))
        self._token: str | None = saved.get("token") if saved.get("server_url") == self._url else None
        self._me: dict[str, Any] = {"handle": saved.get("handle", "")} if self._token else {}
        self._busy, self._error, self._info = False, "", ""
        self._must_change = False  # an admin reset the password: nothing but the change until it is done
        api.base_url, api.token = self._url, self._token
        api.unauthorized.connect(self.expire)
        api.passwordChangeRequired.connect(self.require_password_change)

    def restore(self) -> None:
        """Carry on with a remembered token, if any."""
        if self._token:
            self.started.emit()
            self.refreshMe()

    # -- properties ----------------------------------------------------------------------------------
    def _get_url(self) -> str:
        return self._url

    def _get_logged_in(self) -> bool:
        return self._token is not None

    def _get_me(self) -> dict[str, Any]:
        return self._me

    def _get_handle(self) -> str:
        return self._me.get("handle", "")

    def _get_busy(self) -> bool:
        return self._busy

    def _get_error(self) -> str:
        return self._error

    def _get_info(self) -> str:
        return self._info

    def _get_must_change(self) -> bool:
        return self._must_change

    def _get_role(self) -> str:
        return str(self._me.get("role", ""))

    serverUrl = Property(str, _get_url, notify=changed)
    loggedIn = Property(bool, _get_logged_in, notify=changed)
    me = Property("QVariantMap", _get_me, notify=changed)
    handle = Property(str, _get_handle, notify=changed)
    busy = Property(bool, _get_busy, notify=changed)
    error = Property(str, _get_error, notify=changed)
    info = Property(str, _get_info, notify=changed)  # news that is not an error (a sign-up awaiting approval)
    mustChangePassword = Property(bool, _get_must_change, notify=changed)
    role = Property(str, _get_role, notify=changed)

    # -- actions -------------------------------------------------------------------------------------
    @Slot(str, str, str)
    def logIn(self, url: str, handle: str, password: str) -> None:
        if not self._begin(url):
            return
        self.api.call("POST", "/v1/sessions", {"handle": handle.strip(), "password": password},
                      ok=self._logged_in, err=self._failed)

    @Slot(str, str, str, str, str)
    def signUp(self, url: str, handle: str, password: str, display_name: str, invite: str) -> None:
        if not self._begin(url):
            return
        body = {"handle": handle.strip(), "password": password}
        if display_name.strip():
            body["display_name"] = display_name.strip()
        if invite.strip():
            body["invite"] = invite.strip()
        self.api.call("POST", "/v1/accounts", body, ok=self._signed_up, err=self._failed)

    @Slot(str, str)
    def changePassword(self, old: str, new: str) -> None:
        """PUT /v1/me/password: lifts the hold; the app then starts as after a log-in."""
        self._busy, self._error, self._info = True, "", ""
        self.changed.emit()
        self.api.call("PUT", "/v1/me/password", {"old_password": old, "new_password": new},
                      ok=self._password_changed, err=self._failed)

    def require_password_change(self) -> None:
        """The server refused a request until the password is changed (403 password_change_required)."""
        if self._token and not self._must_change:
            self._hold()

    def account_deleted(self) -> None:
        """DELETE /v1/me succeeded: the token died with the account; back to the log-in screen."""
        self.api.forget_pending()
        self._end("")
        self._info = "Your account was deleted."
        self.changed.emit()

    @Slot()
    def logOut(self) -> None:
        token = self._token
        self.api.forget_pending()
        if token:  # revoke on the server; locally we forget it whatever the answer
            self.api.call("DELETE", "/v1/sessions/current", token=token)
        self._end("")

    @Slot(str, result=str)
    def mediaUrl(self, url: str) -> str:
        """An image URL from the API (a path on the server's origin) made absolute, for QML's Image."""
        return self.api.media_url(url)

    @Slot()
    def refreshMe(self) -> None:
        self.api.get("/v1/me", ok=self.set_me)

    def set_me(self, user: dict[str, Any]) -> None:
        self._me = {**self._me, **user}  # a profile edit's answer has no role: keep the one we know
        self._save()
        self.changed.emit()
        if user.get("must_change_password") and not self._must_change:
            self._hold()

    def _begin(self, url: str) -> bool:
        """Whether the request can go: not to an address that cannot be a server's (said so, naming it)."""
        if not is_server_url(normalise_url(url)):
            self._busy, self._info = False, ""
            self._error = (f"“{url.strip()}” is not a server address: write it like https://barker.example or "
                           "127.0.0.1:8000.")
            self.changed.emit()
            return False
        self._url = normalise_url(url)
        self.api.base_url = self._url
        self._busy, self._error, self._info = True, "", ""
        self.changed.emit()
        return True

    def _signed_up(self, answer: dict[str, Any]) -> None:
        """201 with a session, or 202 {pending: true} when a moderator approves sign-ups (no session yet)."""
        if answer.get("pending"):
            self._busy, self._info = False, PENDING
            self.changed.emit()
        else:
            self._logged_in(answer)

    def _logged_in(self, session: dict[str, Any]) -> None:
        self._token = session["token"]
        self.api.token = self._token
        self._me = session["user"]
        self._busy = False
        self._save()
        if session.get("must_change_password"):
            self._hold()
        else:
            self.changed.emit()
            self.started.emit()

    def _hold(self) -> None:
        self._must_change, self._info = True, CHANGE_FIRST
        self.changed.emit()
        self.held.emit()

    def _password_changed(self, _: Any) -> None:
        self._must_change, self._busy, self._info = False, False, ""
        self._me["must_change_password"] = False
        self.changed.emit()
        self.started.emit()
        self.refreshMe()

    def _failed(self, error: ApiError) -> None:
        self._busy, self._error = False, error.message
        self.changed.emit()

    def expire(self) -> None:
        """The server refused our token (REST 401 or stream close 4401)."""
        if self._token:
            self.api.forget_pending()
            self._end("Your session has expired or was revoked: log in again.")

    def _end(self, message: str) -> None:
        self._token, self.api.token = None, None
        self._me, self._busy, self._error, self._info = {}, False, message, ""
        self._must_change = False
        self._save()
        self.changed.emit()
        self.ended.emit()

    def _save(self) -> None:
        data: dict[str, Any] = {"server_url": self._url}
        if self._token:
            data.update(token=self._token, handle=self._me.get("handle", ""))
        try:
            self.store.save(data)
        except OSError as e:
            self._error = f"Could not save the session in {self.store.path}: {e.strerror}"
