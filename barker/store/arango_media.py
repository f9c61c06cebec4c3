"""The ArangoDB store's media part: upload records, attaching them to barks and avatars, and the expiry
sweep with reference-counted files. A base of ArangoStore (barker/store/arango.py); semantics are the
SQLite store's (barker/store/sqlite_media.py).

Documents: `media/<id>` {id, owner, purpose, state, created_ms, bark, view, keys}; `media_files/<storage
key>` {refs, deleting_since}. An upload and the sweep of the same file both write its media_files document,
so under snapshot isolation one of them fails with a write-write conflict and is retried: an upload either
lands first (its reference keeps the file) or sees the file being deleted and waits (Conflict media_busy).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from barker.errors import Conflict, NotFound
from barker.policies import check_attachable, check_describable
from barker.ports.types import MEDIA_DELETE_RETRY_MS, MediaRecord, MediaSweep, NewMedia
from barker.store.arango_base import ArangoBase, stream_race, transactional
from barker.store.arango_support import key
from barker.store.arango_views import media_view


class ArangoMedia(ArangoBase):
    """Mixed into ArangoStore; see the Store protocol for each method's contract."""

    @transactional
    def create_media(self, media: NewMedia) -> None:
        files = {k: self._get("media_files", k) for k in media.keys}
        if any(f is not None and f.get("deleting_since") is not None for f in files.values()):
            raise Conflict("a file of this upload is being deleted; try again", code="media_busy")
        # A concurrent upload of the same new file may insert its record first: retry the whole method.
        with stream_race():
            for k, found in files.items():
                if found is None:
                    self._insert("media_files", {"_key": k, "refs": 1, "deleting_since": None})
        self._bump("media_files", {k: {"refs": 1} for k, found in files.items() if found is not None})
        self._insert("media", {"_key": key(media.id), "id": media.id, "owner": media.owner,
                               "purpose": media.purpose, "state": "new", "created_ms": media.created_ms,
                               "bark": None, "view": media.view, "keys": list(media.keys)})

    def media(self, media_id: int) -> MediaRecord | None:
        doc = self._get("media", key(media_id))
        if doc is None:
            return None
        return MediaRecord(int(doc["id"]), int(doc["owner"]), doc["purpose"], doc["state"], int(doc["created_ms"]),
                           None if doc["bark"] is None else int(doc["bark"]), media_view(doc["view"]),
                           tuple(doc["keys"]))

    def _attachable(self, wanted: Sequence[int], owner: int, purpose: str) -> dict[int, dict[str, Any]]:
        """The media documents to attach, checked (reads only: called before a method's first write)."""
        docs = {m: self._get("media", key(m)) for m in dict.fromkeys(wanted)}
        found = {m: (int(d["owner"]), d["purpose"], d["state"]) for m, d in docs.items() if d is not None}
        check_attachable(found, wanted, owner, purpose)
        return {m: d for m, d in docs.items() if d is not None}

    def _use_media(self, docs: dict[int, dict[str, Any]], bark: int | None) -> None:
        for media_id in docs:
            self._update("media", {"_key": key(media_id), "state": "used", "bark": bark})

    def _release_media(self, media_ids: Sequence[int]) -> None:
        if media_ids:
            self._aql("media_release", keys=[key(m) for m in media_ids])

    @transactional
    def describe_media(self, owner: int, media_id: int, description: str | None) -> dict[str, Any]:
        doc = self._get("media", key(media_id))
        check_describable(None if doc is None else (int(doc["owner"]), doc["state"]), owner)
        assert doc is not None
        view = {**doc["view"], "description": description}
        self._update("media", {"_key": key(media_id), "view": view})
        if doc["bark"] is not None:  # barks carry a copy (rendered without a join): it changes too
            bark = self._get("barks", key(int(doc["bark"])))
            if bark is not None:
                media = [view if int(m["id"]) == media_id else m for m in bark.get("media") or []]
                self._update("barks", {"_key": bark["_key"], "media": media})
        return media_view(view)

    @transactional
    def set_avatar(self, user_id: int, media_id: int) -> None:
        user = self._get("users", key(user_id))
        if user is None:
            raise NotFound("no such user")
        current = user.get("avatar_media")
        if current is not None and int(current) == media_id:
            return
        docs = self._attachable([media_id], user_id, "avatar")
        view = docs[media_id]["view"]
        self._use_media(docs, None)
        self._release_media([int(current)] if current is not None else [])
        self._update("users", {"_key": key(user_id), "avatar_media": media_id, "avatar_url": view["url"],
                               "avatar_thumbnail_url": view["thumbnail_url"]})

    @transactional
    def clear_avatar(self, user_id: int) -> bool:
        user = self._get("users", key(user_id))
        if user is None or user.get("avatar_media") is None:
            return False
        self._release_media([int(user["avatar_media"])])
        self._update("users", {"_key": key(user_id), "avatar_media": None, "avatar_url": None,
                               "avatar_thumbnail_url": None})
        return True

    @transactional
    def expire_media(self, unattached_before_ms: int, now_ms: int, limit: int) -> MediaSweep:
        rows = self._aql("media_expired", before=unattached_before_ms, n=limit)
        dropped = Counter(k for row in rows for k in row["keys"])
        if rows:
            self._aql("media_remove", keys=[row["key"] for row in rows])
        self._bump("media_files", {k: {"refs": -n} for k, n in dropped.items()})
        unreferenced = self._aql("media_files_unreferenced", keys=sorted(dropped), now=now_ms,
                                 stale=now_ms - MEDIA_DELETE_RETRY_MS)
        return MediaSweep(len(rows), sorted(unreferenced))

    @transactional
    def media_files_deleted(self, keys: Sequence[str]) -> None:
        if keys:
            self._aql("media_files_forget", keys=list(keys))
