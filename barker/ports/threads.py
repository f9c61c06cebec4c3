"""Conversations: a bark with the replies above and below it."""

from __future__ import annotations

from typing import Protocol

from barker.ports.types import ThreadView


class Threads(Protocol):
    """Reading the reply tree (written by Barks.post_bark with a reply_to, pruned by delete_bark)."""

    def thread(self, bark_id: int, viewer: int | None, after: int | None, limit: int) -> ThreadView:
        """The bark `bark_id` (an original: callers resolve a rebark first) as `viewer` sees it, with its
        ancestors (oldest first up to the root, at most policies.MAX_THREAD_ANCESTORS: the nearest ones) and
        one page of its descendants: depth-first, each branch oldest first, at most `limit`, after the
        descendant `after` (None: from the first). Each descendant carries its `depth` (1: a direct reply).
        A deleted bark that replies still hang from is a tombstone, {"id", "deleted": true} (plus "depth"
        among descendants). A page costs in proportion to its size and the depth of `after`, never to the
        size of the thread. A reply hidden from `viewer` (blocked either way, muted, a hidden account) is a
        tombstone too. Raises NotFound if the bark does not exist or the viewer does not see it (a block
        either way, a hidden account; a mute does not hide it), Invalid (code bad_cursor) if `after` is not a
        descendant of it."""
