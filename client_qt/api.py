"""The REST client: asynchronous requests through QNetworkAccessManager, so the UI thread never waits on
the network. Each call takes callbacks for success and failure; failures carry the API's error message."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from PySide6.QtCore import QByteArray, QObject, QUrl, Signal
from PySide6.QtNetwork import QNetworkAccessManager, QNetworkReply, QNetworkRequest

DEFAULT_SERVER = "http://127.0.0.1:8000"
TIMEOUT_MS = 15_000


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
    reachableChanged = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._nam = QNetworkAccessManager(self)
        self.base_url = DEFAULT_SERVER
        self.token: str | None = None
        self._generation = 0  # bumped on log-out: answers to older requests are dropped
        self._pending: set[QNetworkReply] = set()
        self.reachable = True

    def call(self, method: str, path: str, body: Any = None, *, params: dict[str, Any] | None = None,
             ok: Ok | None = None, err: Err | None = None, token: str | None = None) -> None:
        query = urlencode({k: v for k, v in (params or {}).items() if v is not None})
        request = QNetworkRequest(QUrl(self.base_url.rstrip("/") + path + (f"?{query}" if query else "")))
        request.setTransferTimeout(TIMEOUT_MS)
        request.setRawHeader(b"Accept", b"application/json")
        bearer = token or self.token
        if bearer:
            request.setRawHeader(b"Authorization", f"Bearer {bearer}".encode())
        data = QByteArray()
        if body is not None:
            request.setHeader(QNetworkRequest.KnownHeaders.ContentTypeHeader, "application/json")
            data = QByteArray(json.dumps(body).encode())
        reply = self._nam.sendCustomRequest(request, method.encode(), data)
        self._pending.add(reply)
        generation = self._generation
        reply.finished.connect(lambda: self._finished(reply, generation, bool(bearer), ok, err))

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
            self._set_reachable(False)
            error = ApiError(0, "offline", f"Can't reach the server at {self.base_url} ({reply.errorString()})")
            if err:
                err(error)
            return
        self._set_reachable(True)
        status = int(status)
        if 200 <= status < 300:
            if ok:
                ok(json.loads(payload) if payload else None)
            return
        error = parse_error(status, payload)
        if status == 401 and authed:
            self.unauthorized.emit()
        if err:
            err(error)

    def _set_reachable(self, value: bool) -> None:
        if value != self.reachable:
            self.reachable = value
            self.reachableChanged.emit()


def parse_error(status: int, payload: bytes) -> ApiError:
    try:
        detail = json.loads(payload)["error"]
        return ApiError(status, str(detail["code"]), str(detail["message"]))
    except (ValueError, KeyError, TypeError):
        return ApiError(status, "http_error", f"The server answered {status}")
