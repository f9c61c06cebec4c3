"""The ArangoDB store's blocks and mutes part (the Safety port), and the one read every other part uses to
apply them: whom a viewer does not see (aql/hidden_users.aql). A mixin of ArangoStore
(barker/store/arango.py); semantics are the SQLite store's (barker/store/sqlite_safety.py, sqlite_sql/rules.py).

Documents: `blocks` {blocker, blocked, id} and `mutes` {muter, muted, id, until_ms (None: until unmuted)},
keyed by the pair (arango_support.pair_key), so a pair is there once in any sharding and one pair is read by
key; indexes in arango_schema.py. A mute that has ended hides nothing (every read compares until_ms with
the time now) and is deleted when next touched.

The reads of the other parts apply them for their viewer before any LIMIT: the page queries that the adapter
calls with a viewer get the viewer's lists from hidden_users() (one small indexed query per request, bound
as @unseen or @hidden), and the queries that learn their viewer themselves (home_page, public_page from the
token; bark_views; stream_events for each owner) carry the same two lists as LETs, checked word for word
against hidden_users.aql by tests/unit/test_arango_hiding.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from barker.errors import NotFound
from barker.policies import Relationship, mute_in_force
from barker.ports.safety import MutedUser
from barker.ports.types import UserView
from barker.store.arango_base import NO_CURSOR, ArangoBase, stream_race, transactional
from barker.store.arango_support import key, pair_key


@dataclass(frozen=True)
class HiddenUsers:
    """Whom one viewer does not see (aql/hidden_users.aql): `unseen` (blocks either way, accounts in a
    hidden state) and `hidden` (those and the users the viewer mutes, a mute in force)."""

    unseen: list[int]
    hidden: list[int]


NOBODY_HIDDEN = HiddenUsers([], [])


class ArangoSafety(ArangoBase):
    """Mixed into ArangoStore; see the Safety protocol for each method's contract."""

    if TYPE_CHECKING:  # ArangoStore's, which this part is mixed into (each joins the open transaction)
        def user_views(self, user_ids: Sequence[int], viewer: int | None) -> list[UserView]: ...

        def unfollow(self, follower: int, followee: int) -> bool: ...

        def remove_reaction(self, bark_id: int, user_id: int, emoji: str) -> bool: ...

        def delete_bark(self, bark_id: int) -> None: ...

    # -- what a viewer does not see ----------------------------------------------------------------
    def hidden_users(self, viewer: int | None) -> HiddenUsers:
        """The viewer's lists, in one query (no viewer: an internal read, an export or a moderator's view,
        which hides nothing, as in SQLite)."""
        if viewer is None:
            return NOBODY_HIDDEN
        rows = self._aql("hidden_users", viewer=viewer)
        if not rows:  # the query always answers one row; nothing answered hides nothing
            return NOBODY_HIDDEN
        return HiddenUsers([int(u) for u in rows[0]["unseen"]], [int(u) for u in rows[0]["hidden"]])

    # -- blocks ------------------------------------------------------------------------------------
    @transactional
    def block(self, blocker: int, blocked: int, block_id: int) -> bool:
        for user in (blocker, blocked):
            if self._get("users", key(user)) is None:
                raise NotFound("no such user")
        if self._get("blocks", pair_key(blocker, blocked)) is not None:
            return False
        with stream_race():  # the same block made at the same time: retried, and then finds it
            self._insert("blocks", {"_key": pair_key(blocker, blocked), "blocker": blocker, "blocked": blocked,
                                    "id": block_id})
        # Each part below is the method that does it anywhere else, joining this transaction: the same
        # counts, stream tombstones and notifications as an unfollow, an undone reaction, a deleted rebark.
        for one, other in ((blocker, blocked), (blocked, blocker)):
            self.unfollow(one, other)
            for bark, emoji in self._aql("block_reactions_to", user=one, author=other):
                self.remove_reaction(int(bark), one, emoji)
            for rebark in self._aql("block_rebarks_of", user=one, author=other):
                if self._get("barks", key(int(rebark))) is not None:
                    self.delete_bark(int(rebark))
        return True

    @transactional
    def unblock(self, blocker: int, blocked: int) -> bool:
        return self._delete("blocks", pair_key(blocker, blocked))

    def block_page(self, user_id: int, before: int | None, limit: int) -> list[tuple[int, UserView]]:
        rows = self._aql("block_page", user=user_id, before=before or NO_CURSOR, n=limit)
        return self._paired(user_id, [(int(cursor), int(user)) for cursor, user in rows])

    # -- mutes -------------------------------------------------------------------------------------
    @transactional
    def mute(self, muter: int, muted: int, mute_id: int, until_ms: int | None) -> None:
        if self._get("users", key(muted)) is None:
            raise NotFound("no such user")
        if self._get("mutes", pair_key(muter, muted)) is not None:  # a mute again changes only its end
            self._update("mutes", {"_key": pair_key(muter, muted), "until_ms": until_ms}, keep_none=True)
            return
        with stream_race():  # the same mute made at the same time: retried, and then updates it
            self._insert("mutes", {"_key": pair_key(muter, muted), "muter": muter, "muted": muted, "id": mute_id,
                                   "until_ms": until_ms})

    @transactional
    def unmute(self, muter: int, muted: int, now_ms: int) -> bool:
        doc = self._get("mutes", pair_key(muter, muted))
        if doc is None:
            return False
        self._delete("mutes", pair_key(muter, muted))
        return mute_in_force(doc.get("until_ms"), now_ms)  # an ended mute counts as none

    def mute_page(self, user_id: int, before: int | None, limit: int, now_ms: int) -> list[MutedUser]:
        rows = self._aql("mute_page", user=user_id, before=before or NO_CURSOR, n=limit, now=now_ms)
        until = {int(cursor): None if end is None else int(end) for cursor, _, end in rows}
        return [MutedUser(cursor, view, until[cursor])
                for cursor, view in self._paired(user_id, [(int(cursor), int(user)) for cursor, user, _ in rows])]

    # -- how two users stand -----------------------------------------------------------------------
    def relationship(self, viewer: int, other: int, now_ms: int) -> Relationship:
        mute = self._get("mutes", pair_key(viewer, other))
        muting = mute is not None and mute_in_force(mute.get("until_ms"), now_ms)
        until = mute.get("until_ms") if mute is not None and muting else None
        return Relationship(self._get("blocks", pair_key(viewer, other)) is not None,
                            self._get("blocks", pair_key(other, viewer)) is not None,
                            muting, None if until is None else int(until))

    def blocked_among(self, user_id: int, others: Sequence[int]) -> set[int]:
        if not others:
            return set()
        return {int(u) for u in self._aql("blocked_among", user=user_id, others=list(others))}

    def _paired(self, user_id: int, rows: list[tuple[int, int]]) -> list[tuple[int, UserView]]:
        """(cursor, user as `user_id` sees them), most recent first; a user gone meanwhile is skipped."""
        views: dict[int, Any] = {v["id"]: v for v in self.user_views([u for _, u in rows], user_id)} if rows else {}
        return sorted(((cursor, views[user]) for cursor, user in rows if user in views),
                      key=lambda pair: pair[0], reverse=True)
