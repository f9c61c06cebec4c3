"""The SQLite store's media part: upload records, attaching them to barks and avatars, and the expiry sweep
with reference-counted files. A mixin of SqliteStore (barker/store/sqlite.py).

Every write here runs on the single writer connection, so the sweep and an upload of the same file are
serialised: an upload either lands before the sweep (its reference keeps the file) or finds the file marked
as being deleted and waits (create_media raises Conflict media_busy until media_files_deleted)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import orjson

from barker.errors import Conflict, NotFound
from barker.policies import check_attachable, check_describable
from barker.ports.types import MEDIA_DELETE_RETRY_MS, MediaRecord, MediaSweep, NewMedia
from barker.store.sqlite_sql import media as sql

if TYPE_CHECKING:  # checked against what they use of SqliteStore, without importing it back
    from barker.store.sqlite_host import SqliteHost as _Base
else:
    _Base = object


class SqliteMedia(_Base):
    """Mixed into SqliteStore; see the Store protocol for each method's contract."""

    def create_media(self, media: NewMedia) -> None:
        with self._tx() as c:
            keys = list(media.keys)
            busy = c.execute(sql.BUSY_FILE, (orjson.dumps(keys).decode(),)).fetchone()
            if busy is not None:
                raise Conflict("a file of this upload is being deleted; try again", code="media_busy")
            c.execute(sql.INSERT_MEDIA, (media.id, media.owner, media.purpose, media.created_ms,
                                         orjson.dumps(media.view).decode(), orjson.dumps(keys).decode()))
            c.executemany(sql.REFERENCE_FILE, [(k,) for k in keys])

    def media(self, media_id: int) -> MediaRecord | None:
        row = self._one(sql.MEDIA, (media_id,))
        if row is None:
            return None
        return MediaRecord(row[0], row[1], row[2], row[3], row[4], row[5], orjson.loads(row[6]),
                           tuple(orjson.loads(row[7])))

    def _claim_media(self, c: sqlite3.Connection, bark_id: int, author: int, wanted: Sequence[int]) -> str:
        """Check and attach media to a new bark (inside post_bark's transaction); its `media` JSON."""
        rows = c.execute(sql.MEDIA_TO_ATTACH, (orjson.dumps(list(wanted)).decode(),))
        found = {r[0]: r[1:] for r in rows}
        check_attachable({k: v[:3] for k, v in found.items()}, wanted, author, "post")
        c.executemany(sql.ATTACH_TO_BARK, [(bark_id, m) for m in wanted])
        return "[" + ",".join(found[m][3] for m in wanted) + "]"

    @staticmethod
    def _release_bark_media(c: sqlite3.Connection, media_json: str) -> None:
        """Release the media a deleted bark carried (the next sweep deletes them)."""
        if media_json != "[]":
            c.execute(sql.RELEASE_BARK_MEDIA, (media_json,))

    def describe_media(self, owner: int, media_id: int, description: str | None) -> dict[str, Any]:
        with self._tx() as c:
            check_describable(c.execute(sql.MEDIA_OWNER, (media_id,)).fetchone(), owner)
            wanted = {"id": media_id, "description": description}
            row = c.execute(sql.DESCRIBE_MEDIA, wanted).fetchone()
            if row[0] is not None:  # barks carry a copy: reads never join media (sqlite_schema.sql)
                c.execute(sql.DESCRIBE_BARK_MEDIA, {**wanted, "bark": row[0]})
            view: dict[str, Any] = orjson.loads(row[1])
            return view

    def set_avatar(self, user_id: int, media_id: int) -> None:
        with self._tx() as c:
            user = c.execute(sql.AVATAR_MEDIA, (user_id,)).fetchone()
            if user is None:
                raise NotFound("no such user")
            if user[0] == media_id:
                return
            row = c.execute(sql.AVATAR_CANDIDATE, (media_id,)).fetchone()
            check_attachable({media_id: row[:3]} if row else {}, [media_id], user_id, "avatar")
            view: dict[str, Any] = orjson.loads(row[3])
            c.execute(sql.RELEASE_MEDIA, (user[0],))
            c.execute(sql.USE_MEDIA, (media_id,))
            c.execute(sql.SET_AVATAR, (media_id, view["url"], view["thumbnail_url"], user_id))

    def clear_avatar(self, user_id: int) -> bool:
        with self._tx() as c:
            user = c.execute(sql.AVATAR_MEDIA, (user_id,)).fetchone()
            if user is None or user[0] is None:
                return False
            c.execute(sql.RELEASE_MEDIA, (user[0],))
            c.execute(sql.CLEAR_AVATAR, (user_id,))
            return True

    def expire_media(self, unattached_before_ms: int, now_ms: int, limit: int) -> MediaSweep:
        with self._tx() as c:
            rows = c.execute(sql.EXPIRED_MEDIA, {"n": limit, "before": unattached_before_ms}).fetchall()
            dropped: list[str] = []
            for _, keys in rows:
                dropped += orjson.loads(keys)
            c.executemany(sql.DELETE_MEDIA, [(r[0],) for r in rows])
            c.executemany(sql.UNREFERENCE_FILE, [(k,) for k in dropped])
            # Unreferenced now, or announced long ago and never confirmed (whoever deleted them died).
            unreferenced = [r[0] for r in c.execute(sql.FILES_TO_DELETE, {
                "keys": orjson.dumps(dropped).decode(), "stale": now_ms - MEDIA_DELETE_RETRY_MS})]
            c.executemany(sql.ANNOUNCE_FILE_DELETION, [(now_ms, k) for k in unreferenced])
            return MediaSweep(len(rows), sorted(unreferenced))

    def media_files_deleted(self, keys: Sequence[str]) -> None:
        if not keys:
            return
        with self._tx() as c:
            c.execute(sql.FILES_DELETED, (orjson.dumps(list(keys)).decode(),))
