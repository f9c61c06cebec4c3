"""Blocks and mutes: a user's own filters on other users. Reads of every other port apply them for their
viewer (a block hides both parties from each other, a mute hides the muted user from the muter); this port
writes them, lists them and tells how two users stand."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from barker.policies import Relationship
from barker.ports.types import UserView


@dataclass(frozen=True)
class MutedUser:
    cursor: int  # the mute's id: "muted at", and the page cursor
    user: UserView
    until_ms: int | None  # when the mute ends (None: until unmuted)


class Safety(Protocol):
    def block(self, blocker: int, blocked: int, block_id: int) -> bool:
        """Idempotent; True if the block is new. In the same transaction: the follows between the two go in
        both directions (counts and streams as on an unfollow), and so do each one's reactions to and
        rebarks of the other's barks (counts and notifications as on undoing them). NotFound if either
        user does not exist."""

    def unblock(self, blocker: int, blocked: int) -> bool:
        """Idempotent; True if there was a block. Nothing the block removed comes back."""

    def mute(self, muter: int, muted: int, mute_id: int, until_ms: int | None) -> None:
        """Mute, or change an existing mute's end (its place in the list stays). NotFound if `muted` does
        not exist."""

    def unmute(self, muter: int, muted: int, now_ms: int) -> bool:
        """Idempotent; True if there was a mute in force at `now_ms` (an ended one counts as none)."""

    def block_page(self, user_id: int, before: int | None, limit: int) -> list[tuple[int, UserView]]:
        """(block id, blocked user as `user_id` sees them), most recent block first."""

    def mute_page(self, user_id: int, before: int | None, limit: int, now_ms: int) -> list[MutedUser]:
        """The mutes in force at `now_ms`, most recent first."""

    def relationship(self, viewer: int, other: int, now_ms: int) -> Relationship:
        """How `viewer` stands to `other`: blocks both ways, and the viewer's mute in force at `now_ms`."""

    def blocked_among(self, user_id: int, others: Sequence[int]) -> set[int]:
        """Which of `others` block `user_id` or are blocked by them."""
