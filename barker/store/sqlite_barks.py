"""The SQLite store's barks part: posting (and rebarking), deleting, reactions, and bark views and id
pages. A mixin of SqliteStore (barker/store/sqlite.py); a post is appended to its author's stream here
(sqlite_streams.py) and its fan-out queued, in the same transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING

import orjson

from barker.errors import Invalid, NotFound
from barker.ids import iso
from barker.policies import (
    already_rebarked,
    bark_notifications,
    check_reaction_room,
    check_rebarkable,
    fans_out,
    notifies,
)
from barker.ports.types import NO_CONTENT, BarkContent, BarkView, PostedBark
from barker.store.sqlite_sql import barks, timelines
from barker.store.sqlite_sql.notifications import DELETE_REACTION_NOTIFICATION
from barker.store.sqlite_sql.streams import NO_CURSOR

if TYPE_CHECKING:  # checked against what they use of SqliteStore, without importing it back
    from barker.store.sqlite_host import SqliteHost as _Base
else:
    _Base = object


def _json_key(emoji: str) -> str:
    """JSON path of an emoji key in the reactions object."""
    if '"' in emoji or "\\" in emoji:
        raise Invalid("a reaction must be exactly one emoji")
    return f'$."{emoji}"'


class SqliteBarks(_Base):
    """Mixed into SqliteStore; see the Barks protocol for each method's contract."""

    def post_bark(self, bark_id: int, author: int, text: str | None, rebark_of: int | None,
                  fanout_threshold: int, job_id: int, media: Sequence[int] = (),
                  content: BarkContent = NO_CONTENT) -> PostedBark:
        with self._tx() as c:
            row = c.execute(barks.FOLLOWERS_COUNT, (author,)).fetchone()
            if row is None:
                raise NotFound("no such user")
            followers = row[0]
            fanned_out = fans_out(followers, fanout_threshold)
            if rebark_of is not None:
                original = c.execute(barks.REBARK_OF, (rebark_of,)).fetchone()
                check_rebarkable(original is not None, original is not None and original[0] is not None)
                try:
                    c.execute(barks.INSERT_REBARK, (bark_id, author, iso(bark_id), rebark_of, fanned_out))
                except sqlite3.IntegrityError:  # the unique index on (rebark_of, author)
                    raise already_rebarked() from None
                c.execute(barks.COUNT_REBARK, (rebark_of,))
                original_author = c.execute(barks.AUTHOR, (rebark_of,)).fetchone()[0]
                if notifies(author, original_author):
                    self._notify(c, original_author, "rebark", bark_id, author, rebark_of)
            else:
                parent = self._reply_parent(c, content.reply_to)
                attached = self._claim_media(c, bark_id, author, media) if media else "[]"
                tags = orjson.dumps(content.tags).decode()
                c.execute(barks.INSERT_BARK, (
                    bark_id, author, iso(bark_id), text, fanned_out, attached, parent and parent[0],
                    parent and parent[1], orjson.dumps(content.mentions).decode(), tags,
                    orjson.dumps(content.entities).decode()))
                if parent:
                    c.execute(barks.INSERT_REPLY, (bark_id, parent[0]))
                    c.execute(barks.COUNT_REPLY, (parent[0],))
                if content.tags:
                    c.execute(barks.INSERT_TAGS, (tags, author, bark_id))
                for owner, kind in bark_notifications(author, parent and parent[1], content.mentions):
                    self._notify(c, owner, kind, bark_id, author, bark_id)
            c.execute(barks.COUNT_POSTED, (not fanned_out, author))
            self._append(c, author, "bark", bark_id, author)
            if fanned_out and followers > 0:
                c.execute(barks.QUEUE_FANOUT,
                          (job_id, bark_id, author))
            return PostedBark(bark_id, fanned_out)

    @staticmethod
    def _reply_parent(c: sqlite3.Connection, reply_to: int | None) -> tuple[int, int] | None:
        """(id, author) of the bark replied to (the original, for a rebark); NotFound if it is gone."""
        if reply_to is None:
            return None
        row = c.execute(barks.REPLY_PARENT, (reply_to,)).fetchone()
        if row is None:
            raise NotFound("the bark replied to does not exist", code="reply_to_not_found")
        return row[0], row[1]

    def bark_author(self, bark_id: int) -> tuple[int, int | None] | None:
        row = self._one(barks.BARK_AUTHOR, (bark_id,))
        return (row[0], row[1]) if row else None

    def rebark_id(self, author: int, original: int) -> int | None:
        row = self._one(barks.REBARK_ID, (original, author))
        return row[0] if row else None

    def delete_bark(self, bark_id: int) -> None:
        with self._tx() as c:
            self._delete_bark(c, bark_id, missing_ok=False)

    def _delete_bark(self, c: sqlite3.Connection, bark_id: int, missing_ok: bool) -> None:
        """delete_bark inside the caller's transaction (account deletion runs it for each bark)."""
        row = c.execute(barks.BARK_TO_DELETE, (bark_id,)).fetchone()
        if row is None:
            if missing_ok:
                return
            raise NotFound("no such bark")
        author, original, media, reply_to, tags = row
        self._release_bark_media(c, media)
        # Rebarks of this bark go with it; each rebarker's count drops by one.
        c.execute(barks.UNCOUNT_REBARKERS, (bark_id,))
        c.execute(barks.DELETE_REBARKS, (bark_id,))
        c.execute(barks.DELETE_BARK, (bark_id,))
        c.execute(barks.DELETE_BARK_REACTIONS, (bark_id,))
        c.execute(barks.UNCOUNT_BARK, (author,))
        if original is not None:
            c.execute(barks.UNCOUNT_REBARK, (original,))
        c.execute(barks.DELETE_TAGS, (tags, bark_id))
        c.execute(barks.DELETE_BOOKMARKS, (bark_id,))
        c.execute(barks.DELETE_NOTIFICATIONS, (bark_id,))
        if reply_to is not None:
            c.execute(barks.UNCOUNT_REPLY, (reply_to,))
        self._prune_reply_tree(c, bark_id)
        # Stream entries of deleted barks are skipped by every read (they join barks) and age out.

    @staticmethod
    def _prune_reply_tree(c: sqlite3.Connection, bark_id: int) -> None:
        """After deleting a bark: drop its row in the reply tree unless replies hang from it (it stays as a
        tombstone), then each deleted ancestor's that is left with no replies."""
        node: int | None = bark_id
        while node is not None:
            row = c.execute(barks.PRUNE_REPLY, (node,)).fetchone()
            node = row[0] if row else None

    def add_reaction(self, bark_id: int, user_id: int, emoji: str, reaction_id: int) -> bool:
        with self._tx() as c:
            row = c.execute(barks.AUTHOR, (bark_id,)).fetchone()
            if row is None:
                raise NotFound("no such bark")
            mine = c.execute(barks.MY_REACTIONS,
                             (emoji, bark_id, user_id)).fetchone()
            if mine[1]:
                return False
            check_reaction_room(mine[0])
            c.execute(barks.INSERT_REACTION, (bark_id, user_id, emoji, reaction_id))
            c.execute(barks.COUNT_REACTION, (_json_key(emoji), bark_id))
            if notifies(user_id, row[0]):
                self._notify(c, row[0], "reaction", reaction_id, user_id, bark_id)
            return True

    def remove_reaction(self, bark_id: int, user_id: int, emoji: str) -> bool:
        with self._tx() as c:
            if c.execute(barks.BARK_EXISTS, (bark_id,)).fetchone() is None:
                raise NotFound("no such bark")
            return self._remove_reaction(c, bark_id, user_id, emoji)

    @staticmethod
    def _remove_reaction(c: sqlite3.Connection, bark_id: int, user_id: int, emoji: str) -> bool:
        """remove_reaction of a bark that exists, inside the caller's transaction (and account deletion's)."""
        c.execute(DELETE_REACTION_NOTIFICATION, (bark_id, user_id, emoji))
        cur = c.execute(barks.DELETE_REACTION, (bark_id, user_id, emoji))
        if cur.rowcount == 0:
            return False
        c.execute(barks.UNCOUNT_REACTION, (_json_key(emoji), bark_id))
        return True

    def bark_views(self, bark_ids: Sequence[int], viewer: int | None) -> list[BarkView]:
        if not bark_ids:
            return []
        views = self._json(timelines.BARK_VIEWS, {"ids": orjson.dumps(list(bark_ids)).decode(), "viewer": viewer})
        views.sort(key=lambda v: v["id"], reverse=True)
        return views

    def user_bark_ids(self, author: int, before: int | None, limit: int, replies: bool = True, *,
                      viewer: int | None) -> list[int]:
        statement = timelines.USER_BARK_IDS if replies else timelines.USER_BARK_IDS_NO_REPLIES
        return self._id_list(statement, {"a": author, "before": before or NO_CURSOR, "n": limit, "viewer": viewer})

    def public_bark_ids(self, before: int | None, limit: int, *, viewer: int | None) -> list[int]:
        return self._id_list(timelines.PUBLIC_BARK_IDS, {"before": before or NO_CURSOR, "n": limit,
                                                          "viewer": viewer})
