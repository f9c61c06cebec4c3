"""The compose box: a live count of characters as the server counts them, up to four images (each uploaded
as soon as it is attached, each with an optional description: alt text, saved on the server as soon as it is
written, PUT /v1/media/{id}), and a post that keeps the text and images until the server has accepted them
(an error is shown under the box; nothing typed or attached is lost). In reply mode it shows what it
replies to (author and an excerpt) and sends `reply_to`; cancelling goes back to a plain bark."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Property, QUrl, Signal, Slot

from client_qt.api import Api, ApiError
from client_qt.controller import Controller
from client_qt.errors import explain_post
from client_qt.formatting import BARK_MAX_CHARS, bark_length

MAX_MEDIA = 4  # per bark, as the server allows
MAX_DESCRIPTION = 1500  # characters of an image's description, as the server allows
EXCERPT = 80  # characters of the bark replied to shown above the box
IMAGE_FILTERS = ["Images (*.jpg *.jpeg *.png *.webp *.gif)", "All files (*)"]


def local_path(path_or_url: str) -> str:
    """A file dialog gives file:// URLs; tests and the command line give paths."""
    return QUrl(path_or_url).toLocalFile() if path_or_url.startswith("file:") else path_or_url


class Compose(Controller):
    textChanged = Signal()
    attachmentsChanged = Signal()  # the images, and so whether the bark can go
    replyChanged = Signal()

    def __init__(self, api: Api, posted: Callable[[dict[str, Any]], None]) -> None:
        super().__init__(api)
        self._text = ""
        self._posted = posted
        # Each image: key (local), name, state ("uploading", "ready", "error"), error, mediaId, thumbnailUrl;
        # its description as written and as the server has it (saved), whether that is being saved, and why
        # saving it failed ("" if it did not).
        self._attachments: list[dict[str, Any]] = []
        self._next_key = 0
        self._reply: dict[str, Any] = {}  # {id, handle, excerpt} of the bark replied to, {} for none
        self.changed.connect(self.attachmentsChanged)  # loading gates canPost too
        self.explain = lambda error: explain_post(error, self._reply.get("handle", ""))  # "@bob has blocked you"

    def _get_text(self) -> str:
        return self._text

    def _set_text(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self.textChanged.emit()
            self.attachmentsChanged.emit()

    def _get_length(self) -> int:
        return bark_length(self._text)

    def _get_remaining(self) -> int:
        return BARK_MAX_CHARS - bark_length(self._text)

    def _get_uploading(self) -> bool:
        return any(a["state"] == "uploading" for a in self._attachments)

    def _get_can_post(self) -> bool:
        """Text or images (or both); never while an image is uploading or one failed (remove it first), nor
        while a description is not saved yet (the bark would go without it)."""
        all_ready = all(a["state"] == "ready" and a["description"] == a["savedDescription"] for a in self._attachments)
        has_content = bool(self._text.strip()) or bool(self._attachments)
        return has_content and all_ready and self._get_remaining() >= 0 and not self._loading

    def _get_attachments(self) -> list[dict[str, Any]]:
        return [dict(a) for a in self._attachments]

    text = Property(str, _get_text, _set_text, notify=textChanged)
    length = Property(int, _get_length, notify=textChanged)
    remaining = Property(int, _get_remaining, notify=textChanged)
    canPost = Property(bool, _get_can_post, notify=attachmentsChanged)
    uploading = Property(bool, _get_uploading, notify=attachmentsChanged)
    attachments = Property("QVariantList", _get_attachments, notify=attachmentsChanged)
    canAttach = Property(bool, lambda self: len(self._attachments) < MAX_MEDIA, notify=attachmentsChanged)
    limit = Property(int, lambda self: BARK_MAX_CHARS, constant=True)
    maxMedia = Property(int, lambda self: MAX_MEDIA, constant=True)
    descriptionLimit = Property(int, lambda self: MAX_DESCRIPTION, constant=True)
    imageFilters = Property("QStringList", lambda self: IMAGE_FILTERS, constant=True)
    replying = Property(bool, lambda self: bool(self._reply), notify=replyChanged)
    replyId = Property("QVariant", lambda self: self._reply.get("id", 0), notify=replyChanged)
    replyHandle = Property(str, lambda self: self._reply.get("handle", ""), notify=replyChanged)
    replyExcerpt = Property(str, lambda self: self._reply.get("excerpt", ""), notify=replyChanged)

    @Slot("QVariant", str, str)
    def replyTo(self, bark_id: float, handle: str, text: str) -> None:
        """Reply mode: the next post answers this bark."""
        excerpt = " ".join(text.split())
        if len(excerpt) > EXCERPT:
            excerpt = excerpt[:EXCERPT - 1] + "…"
        self._reply = {"id": int(bark_id), "handle": handle, "excerpt": excerpt}
        self.replyChanged.emit()

    @Slot()
    def cancelReply(self) -> None:
        if self._reply:
            self._reply = {}
            self.replyChanged.emit()

    @Slot(str)
    @Slot(str, str)
    def attach(self, path_or_url: str, description: str = "") -> None:
        """Add an image and upload it at once, with its description if given (the chip shows it uploading,
        then its thumbnail)."""
        path = local_path(path_or_url)
        description = description.strip()
        if len(self._attachments) >= MAX_MEDIA:
            self.set_state(error=f"A bark can have up to {MAX_MEDIA} images.")
            return
        self._next_key += 1
        key = self._next_key
        self._attachments.append({"key": key, "name": Path(path).name, "state": "uploading", "error": "",
                                  "mediaId": 0, "thumbnailUrl": "", "description": description,
                                  "savedDescription": "", "savingDescription": False, "descriptionError": ""})
        self.set_state(error="")
        self.attachmentsChanged.emit()
        self.api.upload(path, "post", ok=lambda media: self._uploaded(key, media),
                        err=lambda error: self._upload_failed(key, error), description=description)

    @Slot(str, result=int)
    def descriptionLength(self, text: str) -> int:
        """Characters of a description as the server counts them (code points after NFC, trimmed)."""
        return len(unicodedata.normalize("NFC", text).strip())

    @Slot(int, str)
    def describe(self, key: int, text: str) -> None:
        """Set an image's description (alt text; "" removes it): saved at once if the image is uploaded, else
        as soon as it is."""
        attachment = next((a for a in self._attachments if a["key"] == key), None)
        if attachment is None:
            return
        text = text.strip()
        if self.descriptionLength(text) > MAX_DESCRIPTION:
            self.set_state(error=f"A description can have up to {MAX_DESCRIPTION} characters.")
            return
        self._update(key, description=text, descriptionError="")
        if attachment["state"] == "ready" and not attachment["savingDescription"]:
            self._save_description(key)

    def _save_description(self, key: int) -> None:
        attachment = next((a for a in self._attachments if a["key"] == key), None)
        if attachment is None or attachment["description"] == attachment["savedDescription"]:
            return
        self._update(key, savingDescription=True)
        self.api.call("PUT", f"/v1/media/{attachment['mediaId']}", {"description": attachment["description"]},
                      ok=lambda media: self._description_saved(key, media),
                      err=lambda error: self._description_failed(key, error))

    def _description_saved(self, key: int, media: dict[str, Any]) -> None:
        if self._update(key, savedDescription=media["description"] or "", savingDescription=False):
            self._save_description(key)  # changed again while this one was on its way
            if not any(a["descriptionError"] or a["state"] == "error" for a in self._attachments):
                self.set_state(error="")

    def _description_failed(self, key: int, error: ApiError) -> None:
        name = next((a["name"] for a in self._attachments if a["key"] == key), "")
        if self._update(key, savingDescription=False, descriptionError=error.message):
            self.set_state(error=f"{name}: the description was not saved: {error.message}")

    @Slot(int)
    def remove(self, key: int) -> None:
        """Drop an image (an upload still in flight is forgotten; the server deletes unused uploads)."""
        self._attachments = [a for a in self._attachments if a["key"] != key]
        if not any(a["state"] == "error" for a in self._attachments):
            self.set_state(error="")
        self.attachmentsChanged.emit()

    def clear(self) -> None:
        self.cancelReply()
        self._attachments = []
        self._set_text("")
        self.set_state(loading=False, error="")
        self.attachmentsChanged.emit()

    def _update(self, key: int, **change: Any) -> bool:
        for attachment in self._attachments:
            if attachment["key"] == key:
                attachment.update(change)
                self.attachmentsChanged.emit()
                return True
        return False  # removed meanwhile

    def _uploaded(self, key: int, media: dict[str, Any]) -> None:
        if self._update(key, state="ready", mediaId=media["id"], thumbnailUrl=media["thumbnail_url"],
                        savedDescription=media["description"] or ""):
            self._save_description(key)  # written while it was uploading

    def _upload_failed(self, key: int, error: ApiError) -> None:
        name = next((a["name"] for a in self._attachments if a["key"] == key), "")
        if self._update(key, state="error", error=error.message):
            self.set_state(error=f"{name}: {error.message}")

    @Slot()
    def post(self) -> None:
        if not self._get_can_post():
            return
        sent = self._text
        keys = [a["key"] for a in self._attachments]
        body: dict[str, Any] = {"text": sent}
        if keys:
            body["media_ids"] = [a["mediaId"] for a in self._attachments]
        if self._reply:
            body["reply_to"] = self._reply["id"]
        self.set_state(loading=True, error="")
        self.api.call("POST", "/v1/barks", body, ok=lambda bark: self._done(sent, keys, bark), err=self._failed)

    def _done(self, sent: str, keys: list[int], bark: dict[str, Any]) -> None:
        if self._text == sent:  # typing on while it was sent keeps the new text
            self._set_text("")
        self._attachments = [a for a in self._attachments if a["key"] not in keys]
        if bark["reply_to"] and bark["reply_to"]["id"] == self._reply.get("id"):
            self.cancelReply()
        self.set_state(loading=False, error="")
        self._posted(bark)

    def _failed(self, error: ApiError) -> None:
        self.fail(error)
