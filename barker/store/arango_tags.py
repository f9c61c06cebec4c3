"""The ArangoDB store's tags part: tag timelines, trending tags, bark search and bookmarks. A base of
ArangoStore (barker/store/arango.py); semantics are the SQLite store's (barker/store/sqlite_tags.py,
sqlite_bookmarks.py).

Tags live in `bark_tags` {tag, bark, author}, written in the post's transaction (indexes [tag, bark] and
[bark]). Bark search goes through the search-alias View `barks_search` over the inverted index
`barks_text` (arango_schema.py): words are analysed by the server with the index's own Analyzer
(`barker_text`, TOKENS() in the query), never read as query syntax: they are bind values, and the
Analyzer keeps only word characters. Differences from SQLite's FTS5 worth knowing:
- ArangoSearch is eventually consistent: a bark is found about a second after its commit (FTS5: at once).
  `search_wait_for_sync=True` (a store option; the contract tests set it) makes each search wait for the
  View to take in what is committed (`OPTIONS {waitForSync: true}`), which costs a commit per query.
  A search by tags alone reads bark_tags, so it sees a bark at once.
- A "word" the Analyzer splits into several tokens ("e-mail", "don't") matches a text holding each of
  its tokens, adjacent or not; FTS5 reads such a word as a phrase.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from barker.errors import NotFound
from barker.ports.tags import TagTrend
from barker.store.arango_base import NO_CURSOR, ArangoBase, stream_race, transactional
from barker.store.arango_support import key
from barker.store.arango_support import words as split_words

if TYPE_CHECKING:
    from barker.store.arango_safety import HiddenUsers


def search_query(words: Sequence[str], prefix_last: bool) -> tuple[str, dict[str, str]] | None:
    """Which search query answers these words, and its word bind values; None if no word has a token.

    Python's split (arango_support.words: letters and digits, like FTS5's unicode61) only decides which
    query can run (ArangoSearch's `[] ALL == field` must be avoided); the server tokenises what is sent,
    exactly as it indexed the texts. A word without letters or digits matches nothing and is dropped."""
    kept = [w for w in words if split_words(w)]
    if not kept:
        return None
    if not prefix_last or kept[-1] != words[-1]:
        return "search_words", {"text": " ".join(kept)}
    *whole, prefix = kept
    if whole or len(split_words(prefix)) > 1:  # tokens to match whole, besides the last one's prefix
        return "search_words_prefix", {"text": " ".join(whole), "prefix": prefix}
    return "search_prefix", {"prefix": prefix}


class ArangoTags(ArangoBase):
    """Mixed into ArangoStore; see the Tags and Bookmarks protocols for each method's contract. Every list
    leaves out what its viewer does not see (arango_safety.py), before its LIMIT."""

    if TYPE_CHECKING:  # ArangoStore's (arango_safety.py), which this part is mixed into
        def hidden_users(self, viewer: int | None) -> HiddenUsers: ...

    # -- tags and search -------------------------------------------------------------------------------
    def tag_bark_ids(self, tag: str, before: int | None, limit: int, *, viewer: int | None) -> list[int]:
        return [int(i) for i in self._aql("tag_bark_ids", tag=tag, before=before or NO_CURSOR, n=limit,
                                          hidden=self.hidden_users(viewer).hidden)]

    def trending_tags(self, since: int, limit: int) -> list[TagTrend]:
        return [TagTrend(tag, int(authors), int(barks))
                for tag, authors, barks in self._aql("trending_tags", since=since, n=limit)]

    def search_bark_ids(self, words: Sequence[str], tags: Sequence[str], before: int | None, limit: int,
                        prefix_last: bool = False, *, viewer: int | None) -> list[int]:
        distinct = list(dict.fromkeys(tags))
        chosen = search_query(words, prefix_last)
        if chosen is None and (words or not distinct):  # nothing to match in the words finds nothing (as FTS5)
            return []
        page = {"before": before or NO_CURSOR, "n": limit, "hidden": self.hidden_users(viewer).hidden}
        if chosen is not None:
            name, text = chosen
            return [int(i) for i in self._aql(name, **text, tags=distinct, sync=self.search_wait_for_sync, **page)]
        return [int(i) for i in self._aql("search_tags", first=distinct[0], tags=distinct[1:], **page)]

    # -- bookmarks -------------------------------------------------------------------------------------
    def _original(self, bark_id: int) -> int | None:
        """The bark a bookmark of `bark_id` is about: itself, or a rebark's original; None if it is gone."""
        doc = self._get("barks", key(bark_id))
        if doc is None:
            return None
        return int(doc["rebark_of"]) if doc["rebark_of"] is not None else bark_id

    @transactional
    def add_bookmark(self, user_id: int, bark_id: int, bookmark_id: int) -> int:
        original = self._original(bark_id)
        if original is None:
            raise NotFound("no such bark")
        if not self._aql("bookmark_of", user=user_id, bark=original):  # a bookmark made before keeps its place
            # Two concurrent bookmarks of one bark: the second violates the unique index and is retried,
            # and then finds the first.
            with stream_race():
                self._aql("bookmark_insert", user=user_id, bark=original, id=bookmark_id)
        return original

    @transactional
    def remove_bookmark(self, user_id: int, bark_id: int) -> None:
        self._aql("bookmark_remove", user=user_id, bark=self._original(bark_id) or bark_id)

    def bookmark_page(self, user_id: int, before: int | None, limit: int) -> list[tuple[int, int]]:
        rows = self._aql("bookmark_page", user=user_id, before=before or NO_CURSOR, n=limit,
                         unseen=self.hidden_users(user_id).unseen)
        return [(int(cursor), int(bark)) for cursor, bark in rows]
