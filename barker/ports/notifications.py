"""Notifications: the durable history behind the stream's notification events, and the read marker."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

NotificationView = dict[str, Any]


@dataclass(frozen=True)
class ReadMarker:
    last_read_id: int  # the newest notification id the owner has read (0: none)
    unread_count: int  # exactly how many of their notifications are newer


class Notifications(Protocol):
    """Reading an owner's notifications and moving their read marker. They are written by the store in the
    transaction of their cause (Barks.post_bark for replies, mentions and rebarks, Barks.add_reaction,
    FollowGraph.follow), by policies.bark_notifications and policies.notifies, each with a stream entry
    of the same kind ('reaction', 'rebark', 'reply', 'mention', 'follow'; ref = the notification id) whose
    event carries notification_id and created_at. Undoing a reaction removes its notification; deleting a
    bark removes those about it and the one it caused (an un-rebark deletes the rebark); an unfollow keeps
    the follow notification (as Mastodon does: it happened), and a follow again adds a new one."""

    def notification_page(self, owner: int, before: int | None, limit: int,
                          types: Sequence[str] | None) -> list[NotificationView]:
        """The owner's newest `limit` notifications with id below `before` (None: from the newest), of the
        given types only (None: all; each one of policies.NOTIFICATION_TYPES), newest first, as the API's
        Notification: id, type, created_at (the id's time, ids.iso), actor (a User as the owner sees
        them), bark (as the owner sees it; null for a follow) and emoji (a reaction's, else null).
        Those whose actor is hidden from the owner (docs/safety.md) are left out before the limit.
        Index-backed: a page reads the owner's range of each wanted type, stopping at `limit` shown."""

    def mark_notifications_read(self, owner: int, up_to: int) -> ReadMarker:
        """Move the owner's marker up to `up_to`, clamped to their newest notification; never back."""

    def notifications_unread(self, owner: int) -> ReadMarker:
        """The owner's marker and how many notifications are newer, not counting those notification_page
        leaves out (docs/safety.md)."""
