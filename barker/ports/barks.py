"""Barks (posts), rebarks and reactions, and their rendered views."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from barker.ports.types import NO_CONTENT, BarkContent, BarkView, PostedBark


class Barks(Protocol):
    """Writing, deleting and reading barks and reactions."""

    def post_bark(self, bark_id: int, author: int, text: str | None, rebark_of: int | None,
                  fanout_threshold: int, job_id: int, media: Sequence[int] = (),
                  content: BarkContent = NO_CONTENT) -> PostedBark:
        """Write the bark, the author's own stream entry and (below the threshold) a fan-out job, in one
        transaction. For a rebark (`text` None), raise Conflict if the author already rebarked it.
        `media`: ids of the author's uploads to attach, in order (at most MAX_MEDIA_PER_BARK, distinct,
        purpose "post"), rendered into the bark's `media`. Raises, writing nothing: NotFound
        (code media_not_found) for one that is unknown, expired or not the author's; Conflict (media_in_use)
        for one already attached; Invalid (too_many_media, duplicate_media, wrong_media_purpose).
        `content` (an original bark only): what its text refers to, stored with it. A reply (reply_to) answers
        the original when given a rebark, raises the parent's reply_count and joins the reply tree; NotFound
        (code reply_to_not_found) if the bark replied to does not exist, writing nothing."""

    def bark_author(self, bark_id: int) -> tuple[int, int | None] | None:
        """(author, rebark_of) of a bark, or None."""

    def rebark_id(self, author: int, original: int) -> int | None: ...

    def delete_bark(self, bark_id: int) -> None:
        """Delete the bark with its rebarks and reactions; NotFound if absent. Its media are released
        (their files deleted by the next expire_media). Its tags, bookmarks and notifications go too; the
        bark it answered counts one reply fewer; in the reply tree it stays as a tombstone while replies
        hang from it."""

    def add_reaction(self, bark_id: int, user_id: int, emoji: str, reaction_id: int) -> bool:
        """Idempotent; True if added now. NotFound if the bark does not exist."""

    def remove_reaction(self, bark_id: int, user_id: int, emoji: str) -> bool: ...

    def bark_views(self, bark_ids: Sequence[int], viewer: int | None) -> list[BarkView]:
        """Rendered barks for the ids that exist and `viewer` sees, newest first: a bark unseen by the viewer
        (docs: blocks, mutes and hidden accounts; a mute hides nothing here) is left out. `viewer` None
        renders for no one, an internal read (an export, a moderator's report): nothing is left out."""

    def user_bark_ids(self, author: int, before: int | None, limit: int, replies: bool = True, *,
                      viewer: int | None) -> list[int]:
        """The author's bark and rebark ids below `before`, newest first; `replies` False leaves replies out.
        The author's rebarks of barks unseen by `viewer` are left out before the limit (the caller checks
        that the viewer sees the author; None: an internal read, nothing left out)."""

    def public_bark_ids(self, before: int | None, limit: int, *, viewer: int | None) -> list[int]:
        """Every bark id below `before`, newest first, those hidden from `viewer` left out before the limit
        (None: an internal read, nothing left out)."""
