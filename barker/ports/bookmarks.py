"""Bookmarks: a user's private list of barks to come back to."""

from __future__ import annotations

from typing import Protocol


class Bookmarks(Protocol):
    """Private to their owner: only the owner's bark views render `bookmarked`, and nothing counts them."""

    def add_bookmark(self, user_id: int, bark_id: int, bookmark_id: int) -> int:
        """Bookmark a bark (a rebark: its original), idempotent: a bookmark made before keeps its place
        (`bookmark_id`, time-ordered, is used only for a new one). Returns the id of the bark bookmarked.
        NotFound if the bark does not exist."""

    def remove_bookmark(self, user_id: int, bark_id: int) -> None:
        """Remove the bookmark of a bark (a rebark: its original); idempotent, also for a bark that does not
        exist (deleting a bark removed its bookmarks)."""

    def bookmark_page(self, user_id: int, before: int | None, limit: int) -> list[tuple[int, int]]:
        """(bookmark id, bark id) of the user's newest `limit` bookmarks below the bookmark id `before`,
        newest bookmarked first, leaving out (before the limit) barks the user does not see: a block either
        way or a hidden account (a mute hides no bookmark)."""
