"""The ArangoDB store's departures part: deleting an account, and the export's reads. A mixin of
ArangoStore (barker/store/arango.py).

One stream transaction, like SQLite's (see sqlite_departures.py): the barks go one by one through
delete_bark, the reactions through remove_reaction and the follows through unfollow, joining this
transaction, so others' counters, reply tombstones and notifications are corrected by the code that keeps
them everywhere else; the user's own rows go by the attribute that names the user. The canonical handle's
claim (a `handles` document) is kept, without the user id, so the handle stays taken."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

from barker.errors import NotFound
from barker.ports.departures import ExportedMedia, ExportedReaction
from barker.store.arango_base import ArangoBase, transactional
from barker.store.arango_support import key

if TYPE_CHECKING:
    from barker.store.arango import ArangoStore

# (collection, attribute) of the rows that are the user's own, each indexed on that attribute.
OWN_ROWS = (("notifications", "owner"), ("bookmarks", "user"), ("dismissed", "user"), ("tokens", "user"),
            ("reports", "reporter"), ("reports", "target"), ("blocks", "blocker"), ("blocks", "blocked"),
            ("mutes", "muter"), ("mutes", "muted"))


class ArangoDepartures(ArangoBase):
    """Mixed into ArangoStore; see the Departures protocol for each method's contract."""

    @transactional
    def delete_account(self, user_id: int, now_ms: int) -> None:
        store = cast("ArangoStore", self)
        user = self._get("users", key(user_id))
        if user is None:
            raise NotFound("no such user")
        [owners] = self._aql("account_stream_owners", user=user_id)
        self._aql("account_forget_mentions", user=user_id)
        for bark_id in self._aql("account_bark_ids", user=user_id):
            if self._get("barks", key(int(bark_id))) is None:  # a rebark gone with its original
                continue
            self._aql("account_forget_replied_author", bark=int(bark_id), user=user_id)
            store.delete_bark(int(bark_id))
        for bark_id, emoji, _ in self._aql("account_reactions_page", user=user_id, bark=0, emoji="", n=1_000_000):
            store.remove_reaction(int(bark_id), user_id, emoji)
        for follower, followee, edge_id in self._aql("account_follow_edges", user=user_id):
            store.unfollow(int(follower), int(followee))
            if int(follower) == user_id:  # the follow notification it caused
                self._aql("account_remove_follow_notice", owner=int(followee), id=int(edge_id))
        self._aql("account_remove_stream_entries", owners=[*owners, user_id], user=user_id)
        for collection, attribute in OWN_ROWS:
            self._aql("account_remove_rows", **{"@collection": collection}, attribute=attribute, user=user_id)
        self._aql("account_remove_dismissals_of", user=user_id)
        self._aql("account_remove_jobs", user=user_id)
        self._aql("account_remove_rate_limits", suffix=f":{user_id}".encode().hex())
        self._aql("account_release_media", user=user_id)
        store.clear_location(user_id)
        self._update("handles", {"_key": user["handle_canon"], "user": None, "retired_ms": now_ms}, keep_none=True)
        self._delete("users", key(user_id))

    def reactions_page(self, user_id: int, after: tuple[int, str] | None, limit: int) -> Sequence[ExportedReaction]:
        bark, emoji = after or (0, "")
        rows = self._aql("account_reactions_page", user=user_id, bark=bark, emoji=emoji, n=limit)
        return [ExportedReaction(int(b), e, int(i)) for b, e, i in rows]

    def media_page(self, user_id: int, after: int, limit: int) -> Sequence[ExportedMedia]:
        rows = self._aql("account_media_page", user=user_id, after=after, n=limit)
        return [ExportedMedia(int(i), p, v, tuple(k)) for i, p, v, k in rows]
