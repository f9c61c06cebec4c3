"""The ArangoDB store's departures part: deleting an account (a short first transaction, then the departure
job's batches: barker/ports/departures.py), and the export's reads. A mixin of ArangoStore
(barker/store/arango.py).

Each batch is one stream transaction (run_fanout_batch's), as in SQLite (see sqlite_departures.py): the
barks go one by one through delete_bark, the reactions through remove_reaction and the follows through
unfollow, joining it, so others' counters, reply tombstones and notifications are corrected by the code
that keeps them everywhere else; the user's own rows go by the attribute that names the user. The
canonical handle's claim (a `handles` document) is kept, without the user id at the end, so the handle
stays taken throughout and after."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, cast

from barker.errors import NotFound
from barker.policies import LEAVING
from barker.ports.departures import ExportedMedia, ExportedReaction, walk_departure_steps
from barker.ports.types import FanoutProgress, Job
from barker.store.arango_base import ArangoBase, transactional
from barker.store.arango_support import key

if TYPE_CHECKING:
    from barker.store.arango import ArangoStore

# (collection, attribute) of the rows that are the user's own, each indexed on that attribute: removed in
# batches (the first two can be many), the rest in the last step.
OWN_ROWS = (("notifications", "owner"), ("bookmarks", "user"))
LAST_ROWS = (("dismissed", "user"), ("tokens", "user"), ("reports", "reporter"), ("reports", "target"),
             ("blocks", "blocker"), ("blocks", "blocked"), ("mutes", "muter"), ("mutes", "muted"))
# What one item costs against a batch's budget (as sqlite_departures.py counts it).
BARK_COST = 12
ITEM_COST = 3

Step = Callable[[int, int], tuple[int, bool]]


class ArangoDepartures(ArangoBase):
    """Mixed into ArangoStore; see the Departures protocol for each method's contract."""

    @transactional
    def begin_departure(self, user_id: int, job_id: int, now_ms: int) -> None:
        store = cast("ArangoStore", self)
        user = self._get("users", key(user_id))
        if user is None or user.get("state") == LEAVING:
            raise NotFound("no such user")
        # Its handle claim stays as it is (taken) until the last step retires it.
        self._update("users", {"_key": key(user_id), "state": LEAVING})
        store.revoke_user_tokens(user_id, None)
        store.clear_location(user_id)
        self._aql("account_remove_jobs", user=user_id)
        self._insert("jobs", {"_key": key(job_id), "id": job_id, "kind": "departure", "bark": 0, "author": user_id,
                              "target": 0, "cursor": 0})

    def _departure_batch(self, job: Job, step: int, budget: int, now_ms: int) -> FanoutProgress:
        """The departure job's next batch, inside run_fanout_batch's transaction: about `budget` rows of
        the step reached (`step`, read from the stored job), moving on to the next step when one is done."""
        steps: dict[str, Step] = {"mentions": self._forget_mentions, "barks": self._delete_barks,
                                  "reactions": self._delete_reactions, "followers": self._delete_followers,
                                  "followees": self._delete_followees, "own_rows": self._delete_own_rows}
        user = job.author
        step, touched, finished = walk_departure_steps(
            step, budget, lambda name, left: steps[name](user, left),
            lambda: bool(self._aql("account_left_behind", user=user)[0]))
        if finished:
            self._finish_departure(user, now_ms)
            return FanoutProgress(0, True, (), touched)
        self._update("jobs", {"_key": key(job.id), "cursor": step})
        return FanoutProgress(0, False, (), touched)

    def _drop_entries(self, owners: Sequence[int], user: int) -> int:
        """The entries `user` caused in these owners' streams; how many went."""
        return len(self._aql("account_remove_stream_entries", owners=list(owners), user=user)) if owners else 0

    def _forget_mentions(self, user: int, n_budget: int) -> tuple[int, bool]:
        n = max(1, n_budget // ITEM_COST)
        rows = self._aql("account_mentions_batch", user=user, n=n)
        if rows:
            self._aql("account_forget_mentions", keys=[key(int(bark)) for _, bark in rows], user=user)
            self._aql("account_remove_notices", ids=[int(i) for i, _ in rows], user=user)
        return len(rows) * ITEM_COST, len(rows) < n

    def _delete_barks(self, user: int, n_budget: int) -> tuple[int, bool]:
        store = cast("ArangoStore", self)
        n = max(1, n_budget // BARK_COST)
        bark_ids = [int(b) for b in self._aql("account_bark_ids", user=user, n=n)]
        told = [int(o) for o in self._aql("account_told_of", ids=bark_ids, user=user)] if bark_ids else []
        for bark_id in bark_ids:
            if self._get("barks", key(bark_id)) is None:  # a rebark gone with its original
                continue
            self._aql("account_forget_replied_author", bark=bark_id, user=user)
            store.delete_bark(bark_id)
        return len(bark_ids) * BARK_COST + self._drop_entries(told, user), len(bark_ids) < n

    def _delete_reactions(self, user: int, n_budget: int) -> tuple[int, bool]:
        store = cast("ArangoStore", self)
        n = max(1, n_budget // ITEM_COST)
        rows = self._aql("account_reactions_page", user=user, bark=0, emoji="", n=n)
        told = [int(o) for o in self._aql("account_told_of", ids=[int(i) for *_, i in rows], user=user)] if rows else []
        for bark_id, emoji, _ in rows:
            store.remove_reaction(int(bark_id), user, emoji)
        return len(rows) * ITEM_COST + self._drop_entries(told, user), len(rows) < n

    def _delete_followers(self, user: int, n_budget: int) -> tuple[int, bool]:
        return self._delete_follows("account_followers_batch", user, n_budget)

    def _delete_followees(self, user: int, n_budget: int) -> tuple[int, bool]:
        return self._delete_follows("account_followees_batch", user, n_budget)

    def _delete_follows(self, query: str, user: int, n_budget: int) -> tuple[int, bool]:
        store = cast("ArangoStore", self)
        n = max(1, n_budget // (ITEM_COST * 10))  # a follower's stream holds many of the user's barks
        edges = self._aql(query, user=user, n=n)
        others = []
        for follower, followee, edge_id in edges:
            store.unfollow(int(follower), int(followee))
            if int(follower) == user:  # the follow notification it caused
                self._aql("account_remove_follow_notice", owner=int(followee), id=int(edge_id))
            others.append(int(followee) if int(follower) == user else int(follower))
        return len(edges) * ITEM_COST + self._drop_entries(others, user), len(edges) < n

    def _delete_own_rows(self, user: int, n_budget: int) -> tuple[int, bool]:
        n = max(1, n_budget // len(OWN_ROWS))
        removed = [len(self._aql("account_remove_rows", **{"@collection": collection}, attribute=attribute, user=user,
                                 n=n)) for collection, attribute in OWN_ROWS]
        return max(1, sum(removed)), all(r < n for r in removed)

    def _finish_departure(self, user_id: int, now_ms: int) -> None:
        """The last step: the few rows of each kind that are left, then the handle retired and the user."""
        user = self._get("users", key(user_id))
        self._drop_entries([user_id], user_id)  # its own stream (retention keeps it short)
        for collection, attribute in LAST_ROWS:
            self._aql("account_remove_rows", **{"@collection": collection}, attribute=attribute, user=user_id,
                      n=1_000_000)
        self._aql("account_remove_dismissals_of", user=user_id)
        self._aql("account_remove_jobs", user=user_id)  # the departure job with them
        self._aql("account_remove_rate_limits", suffix=f":{user_id}".encode().hex())
        self._aql("account_release_media", user=user_id)
        if user is not None:
            self._update("handles", {"_key": user["handle_canon"], "user": None, "retired_ms": now_ms},
                         keep_none=True)
        self._delete("users", key(user_id))

    def reactions_page(self, user_id: int, after: tuple[int, str] | None, limit: int) -> Sequence[ExportedReaction]:
        bark, emoji = after or (0, "")
        rows = self._aql("account_reactions_page", user=user_id, bark=bark, emoji=emoji, n=limit)
        return [ExportedReaction(int(b), e, int(i)) for b, e, i in rows]

    def media_page(self, user_id: int, after: int, limit: int) -> Sequence[ExportedMedia]:
        rows = self._aql("account_media_page", user=user_id, after=after, n=limit)
        return [ExportedMedia(int(i), p, v, tuple(k)) for i, p, v, k in rows]
