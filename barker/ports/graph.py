"""The follow graph."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from barker.ports.types import UserView


class FollowGraph(Protocol):
    """Follow edges and the pages of followers and followees."""

    def follow(self, follower: int, followee: int, edge_id: int, job_id: int) -> bool:
        """Idempotent; True if the edge is new. Writes the followee's `follow` stream event and a
        backfill job (so the followee's recent barks join the follower's home stream), and puts the
        followee's barks the follower's stream carried before (tombstoned by an unfollow) back at their
        places, under their old seqs: a bark has one place in a stream, so no reader is sent it twice."""

    def unfollow(self, follower: int, followee: int) -> bool:
        """Idempotent; also hides the followee's barks in the follower's stream (tombstones, kept at their
        places for a follow again)."""

    def follower_page(self, user_id: int, before: int | None, limit: int,
                      viewer: int | None) -> list[tuple[int, UserView]]:
        """(edge id, follower view), most recent follow first; the edge id is the page cursor. Users unseen
        by `viewer` (docs/safety.md) are left out before the limit; following_page likewise."""

    def following_page(self, user_id: int, before: int | None, limit: int,
                       viewer: int | None) -> list[tuple[int, UserView]]: ...

    def online_followers(self, author: int, candidates: Sequence[int], bark: int | None = None) -> list[int]:
        """Which of `candidates` follow `author` (live delivery of a bark that was not copied) and, when `bark`
        (author's) is a reply, are reached by it by the home rule (policies.reply_reaches_home). Candidates
        from whom `author`, or `bark` (a rebark of a bark by someone hidden from them), is hidden are left out
        (docs/safety.md)."""
