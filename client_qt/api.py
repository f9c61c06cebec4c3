"""The REST client: asynchronous requests through QNetworkAccessManager, so the UI thread never waits on
the network. Each call takes callbacks for success and failure; failures carry the API's error message."""

from __future__ import annotations

import json
import mimetypes
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urljoin

from PySide6.QtCore import QByteArray, QFile, QIODevice, QObject, QUrl, Signal
from PySide6.QtNetwork import QHttpMultiPart, QHttpPart, QNetworkAccessManager, QNetworkReply, QNetworkRequest

from client_qt.errors import unreachable

DEFAULT_SERVER = "http://127.0.0.1:8000"
TIMEOUT_MS = 15_000
UPLOAD_TIMEOUT_MS = 120_000  # an 8 MiB photo on a slow uplink


@dataclass
class ApiError:
    status: int  # 0 when the server could not be reached
    code: str
    message: str


Ok = Callable[[Any], None]
Err = Callable[[ApiError], None]


def segment(value: str) -> str:
    """One path segment, percent-encoded (handles, emoji)."""
    return quote(value, safe="")


class Api(QObject):
    unauthorized = Signal()  # a request with our token got 401: the session is over
    passwordChangeRequired = Signal()  # 403 password_change_required: an admin reset the password
    reachableChanged = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._nam = QNetworkAccessManager(self)
        self.base_url = DEFAULT_SERVER
        self.token: str | None = None
        self._generation = 0  # bumped on log-out: answers to older requests are dropped
        self._pending: set[QNetworkReply] = set()
        self.reachable = True

    def _request(self, path: str, params: dict[str, Any] | None, bearer: str | None,
                 timeout_ms: int = TIMEOUT_MS) -> QNetworkRequest:
        query = urlencode({k: v for k, v in (params or {}).items() if v is not None})
        request = QNetworkRequest(QUrl(self.base_url.rstrip("/") + path + (f"?{query}" if query else "")))
        request.setTransferTimeout(timeout_ms)
        request.setRawHeader(b"Accept", b"application/json")
        if bearer:
            request.setRawHeader(b"Authorization", f"Bearer {bearer}".encode())
        return request

    def _track(self, reply: QNetworkReply, authed: bool, ok: Ok | None, err: Err | None) -> None:
        self._pending.add(reply)
        generation = self._generation
        reply.finished.connect(lambda: self._finished(reply, generation, authed, ok, err))

    def call(self, method: str, path: str, body: Any = None, *, params: dict[str, Any] | None = None,
             ok: Ok | None = None, err: Err | None = None, token: str | None = None) -> None:
        bearer = token or self.token
        request = self._request(path, params, bearer)
        data = QByteArray()
        if body is not None:
            request.setHeader(QNetworkRequest.KnownHeaders.ContentTypeHeader, "application/json")
            data = QByteArray(json.dumps(body).encode())
        self._track(self._nam.sendCustomRequest(request, method.encode(), data), bool(bearer), ok, err)

    def upload(self, path: str, purpose: str = "post", ok: Ok | None = None, err: Err | None = None,
               description: str = "") -> None:
        """POST /v1/media: the file as multipart/form-data (field `file`), streamed from disk by Qt, and its
        description (alt text, field `description`) if there is one."""
        file = QFile(path)
        if not file.open(QIODevice.OpenModeFlag.ReadOnly):
            if err:
                err(ApiError(0, "unreadable", f"Can't read {Path(path).name}: {file.errorString()}"))
            return
        name = Path(path).name
        part = QHttpPart()
        part.setHeader(QNetworkRequest.KnownHeaders.ContentTypeHeader,
                       mimetypes.guess_type(name)[0] or "application/octet-stream")
        safe = "".join(c if " " <= c <= "~" and c not in '"\\' else "_" for c in name)  # a header is ASCII
        part.setRawHeader(b"Content-Disposition", f'form-data; name="file"; filename="{safe}"'.encode())
        part.setBodyDevice(file)
        multipart = QHttpMultiPart(QHttpMultiPart.ContentType.FormDataType)
        file.setParent(multipart)  # the file lives as long as the body, which lives as long as the reply
        multipart.append(part)
        if description:
            text = QHttpPart()
            text.setHeader(QNetworkRequest.KnownHeaders.ContentTypeHeader, "text/plain; charset=utf-8")
            text.setRawHeader(b"Content-Disposition", b'form-data; name="description"')
            text.setBody(QByteArray(description.encode()))
            multipart.append(text)
        bearer = self.token
        reply = self._nam.post(self._request("/v1/media", {"purpose": purpose}, bearer, UPLOAD_TIMEOUT_MS),
                               multipart)
        multipart.setParent(reply)
        self._track(reply, bool(bearer), ok, err)

    def media_url(self, url: str | None) -> str:
        """A media URL from the API (a path on its origin unless absolute) as an absolute one."""
        return urljoin(self.base_url.rstrip("/") + "/", url) if url else ""

    def get(self, path: str, ok: Ok | None = None, err: Err | None = None, **params: Any) -> None:
        self.call("GET", path, params=params, ok=ok, err=err)

    def forget_pending(self) -> None:
        """Drop every request in flight (log-out): their answers belong to the old session."""
        self._generation += 1
        for reply in list(self._pending):
            reply.abort()

    def _finished(self, reply: QNetworkReply, generation: int, authed: bool, ok: Ok | None, err: Err | None) -> None:
        self._pending.discard(reply)
        reply.deleteLater()
        if generation != self._generation:
            return
        status = reply.attribute(QNetworkRequest.Attribute.HttpStatusCodeAttribute)
        payload = bytes(reply.readAll().data())
        if not status:
            self.set_reachable(False)
            error = ApiError(0, "offline", unreachable(self.base_url, reply.error()))
            if err:
                err(error)
            return
        self.set_reachable(True)
        status = int(status)
        if 200 <= status < 300:
            if ok:
                ok(json.loads(payload) if payload else None)
            return
        error = parse_error(status, payload)
        if status == 401 and authed:
            self.unauthorized.emit()
        if status == 403 and authed and error.code == "password_change_required":
            self.passwordChangeRequired.emit()
        if err:
            err(error)

    def set_reachable(self, value: bool) -> None:
        """Whether the server answers: from the last request, or the live stream (which is back first)."""
        if value != self.reachable:
            self.reachable = value
            self.reachableChanged.emit()


def parse_error(status: int, payload: bytes) -> ApiError:
    try:
        detail = json.loads(payload)["error"]
        return ApiError(status, str(detail["code"]), str(detail["message"]))
    except (ValueError, KeyError, TypeError):
        return ApiError(status, "http_error", f"The server answered {status}")
