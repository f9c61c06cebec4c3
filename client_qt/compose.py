"""The compose box: a live count of characters as the server counts them, and a post that keeps the text
until the server has accepted it (an error is shown under the box; nothing typed is lost)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Property, Signal, Slot

from client_qt.api import Api
from client_qt.controller import Controller
from client_qt.formatting import BARK_MAX_CHARS, bark_length


class Compose(Controller):
    textChanged = Signal()

    def __init__(self, api: Api, posted: Callable[[dict[str, Any]], None]) -> None:
        super().__init__(api)
        self._text = ""
        self._posted = posted

    def _get_text(self) -> str:
        return self._text

    def _set_text(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self.textChanged.emit()

    def _get_length(self) -> int:
        return bark_length(self._text)

    def _get_remaining(self) -> int:
        return BARK_MAX_CHARS - bark_length(self._text)

    def _get_can_post(self) -> bool:
        return bool(self._text.strip()) and self._get_remaining() >= 0 and not self._loading

    text = Property(str, _get_text, _set_text, notify=textChanged)
    length = Property(int, _get_length, notify=textChanged)
    remaining = Property(int, _get_remaining, notify=textChanged)
    canPost = Property(bool, _get_can_post, notify=textChanged)
    limit = Property(int, lambda self: BARK_MAX_CHARS, constant=True)

    @Slot()
    def post(self) -> None:
        if not self._get_can_post():
            return
        sent = self._text
        self.set_state(loading=True, error="")
        self.textChanged.emit()  # canPost: off while sending
        self.api.call("POST", "/v1/barks", {"text": sent}, ok=lambda bark: self._done(sent, bark), err=self._failed)

    def _done(self, sent: str, bark: dict[str, Any]) -> None:
        if self._text == sent:  # typing on while it was sent keeps the new text
            self._set_text("")
        self.set_state(loading=False, error="")
        self.textChanged.emit()
        self._posted(bark)

    def _failed(self, error) -> None:
        self.fail(error)
        self.textChanged.emit()
