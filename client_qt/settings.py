"""The settings page: export my data (GET /v1/me/export, a zip saved where the user chose) and delete my
account (DELETE /v1/me with the password).

The export is downloaded on a worker thread (an archive with media can be large; the UI thread only hears
progress), into a temporary file next to the target that is renamed over it when complete, so a failed
download never leaves half an archive under the chosen name."""

from __future__ import annotations

import os
import tempfile
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Property, QUrl, Signal, Slot

from client_qt.api import Api, ApiError, parse_error
from client_qt.controller import Controller
from client_qt.errors import connection_failure

CHUNK = 64 * 1024
EXPORT_TIMEOUT_S = 120


def download(url: str, token: str, target: Path, progress: Callable[[int, int], None],
             cancelled: Callable[[], bool]) -> str:
    """Stream `url` into `target`; returns "" on success or the message to show. Runs on a worker thread."""
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=EXPORT_TIMEOUT_S) as answer:
            total = int(answer.headers.get("Content-Length") or 0)
            fd, tmp = tempfile.mkstemp(prefix=".barker-export-", dir=target.parent)
            try:
                done = 0
                with os.fdopen(fd, "wb") as out:
                    while chunk := answer.read(CHUNK):
                        if cancelled():
                            raise InterruptedError
                        out.write(chunk)
                        done += len(chunk)
                        progress(done, total)
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
    except urllib.error.HTTPError as e:
        return parse_error(e.code, e.read()).message
    except InterruptedError:
        return "The export was cancelled."
    except urllib.error.URLError as e:
        return connection_failure(e.reason) if isinstance(e.reason, BaseException) else "Can't reach the server."
    except OSError as e:
        return f"Could not save the export to {target}: {e.strerror or e}"
    return ""


class Settings(Controller):
    viewChanged = Signal()
    _relay = Signal(int, str, object)  # run id, kind ("progress" or "finished"), payload: from the worker

    def __init__(self, api: Api, on_deleted: Callable[[], None]) -> None:
        super().__init__(api)
        self._on_deleted = on_deleted
        self._relay.connect(self._on_relay)
        self._run = 0
        self._export_path = ""
        self._export_state = "idle"  # idle, running, done, error
        self._export_progress = -1.0  # 0..1, or -1 while the size is unknown
        self._export_message = ""
        self._delete_error = ""
        self._deleting = False

    exportPath = Property(str, lambda self: self._export_path, lambda self, v: self._set_path(v), notify=viewChanged)
    exportState = Property(str, lambda self: self._export_state, notify=viewChanged)
    exportProgress = Property(float, lambda self: self._export_progress, notify=viewChanged)
    exportMessage = Property(str, lambda self: self._export_message, notify=viewChanged)
    deleteError = Property(str, lambda self: self._delete_error, notify=viewChanged)
    deleting = Property(bool, lambda self: self._deleting, notify=viewChanged)

    def _set_path(self, path: str) -> None:
        self._export_path = path
        self.changed.emit()

    @Slot(QUrl)
    def exportTo(self, url: QUrl) -> None:
        """The file dialog's choice."""
        self._set_path(url.toLocalFile())
        self.exportData()

    @Slot()
    def exportData(self) -> None:
        if self._export_state == "running" or not self._export_path or not self.api.token:
            return
        target = Path(self._export_path)
        self._run += 1
        run = self._run
        self._export_state, self._export_progress, self._export_message = "running", -1.0, "Preparing your archive…"
        self.changed.emit()
        url, token = self.api.base_url.rstrip("/") + "/v1/me/export", self.api.token

        def work() -> None:
            message = download(url, token, target, lambda done, total: self._relay.emit(run, "progress", (done, total)),
                               lambda: run != self._run)
            self._relay.emit(run, "finished", (message, target))

        threading.Thread(target=work, name="barker-export", daemon=True).start()

    def _on_relay(self, run: int, kind: str, payload: Any) -> None:
        if run != self._run:
            return
        if kind == "progress":
            done, total = payload
            self._export_progress = done / total if total else -1.0
            self._export_message = f"Downloading… {done / 1e6:.1f} MB"
        else:
            message, target = payload
            self._export_state = "error" if message else "done"
            self._export_progress = -1.0 if message else 1.0
            self._export_message = message or f"Saved to {target}"
            self._export_path = ""  # the next export asks where again
        self.changed.emit()

    @Slot(str)
    def deleteAccount(self, password: str) -> None:
        self._deleting, self._delete_error = True, ""
        self.changed.emit()
        self.api.call("DELETE", "/v1/me", {"password": password}, ok=self._deleted, err=self._not_deleted)

    def _deleted(self, _: Any) -> None:
        self._deleting = False
        self.changed.emit()
        self._on_deleted()

    def _not_deleted(self, error: ApiError) -> None:
        self._deleting, self._delete_error = False, error.message
        self.changed.emit()

    @Slot()
    def clearDeleteError(self) -> None:
        self._delete_error = ""
        self.changed.emit()

    def clear(self) -> None:
        """Logged out: a download in flight is dropped (and its partial file removed by the worker)."""
        self._run += 1
        self._export_state, self._export_progress, self._export_message = "idle", -1.0, ""
        self._export_path, self._delete_error, self._deleting = "", "", False
        self.changed.emit()

