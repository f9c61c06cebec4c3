"""The SQLite store's tags part: tag timelines, trending tags and bark search (FTS5 over bark texts, kept in
step with barks by triggers in the schema). A mixin of SqliteStore (barker/store/sqlite.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import orjson

from barker.ports.tags import TagTrend
from barker.store.sqlite_sql import tags as sql
from barker.store.sqlite_sql.streams import NO_CURSOR

if TYPE_CHECKING:  # checked against what they use of SqliteStore, without importing it back
    from barker.store.sqlite_host import SqliteHost as _Base
else:
    _Base = object


def fts_query(words: Sequence[str], prefix_last: bool) -> str:
    """An FTS5 query matching every word: each one an FTS5 string (double quotes doubled inside), so no
    word is ever read as query syntax (OR, NEAR, column filters, parentheses); `*` after the last makes it
    a prefix."""
    strings = ['"' + word.replace('"', '""') + '"' for word in words]
    if prefix_last:
        strings[-1] += " *"
    return " AND ".join(strings)


class SqliteTags(_Base):
    """Mixed into SqliteStore; see the Tags protocol for each method's contract."""

    def tag_bark_ids(self, tag: str, before: int | None, limit: int, *, viewer: int | None) -> list[int]:
        return self._id_list(sql.TAG_BARK_IDS, {"tag": tag, "before": before or NO_CURSOR, "n": limit,
                                                "viewer": viewer})

    def trending_tags(self, since: int, limit: int) -> list[TagTrend]:
        rows = self._json(sql.TRENDING_TAGS, {"since": since, "n": limit}) or []
        return [TagTrend(tag, authors, barks) for tag, authors, barks in rows]

    def search_bark_ids(self, words: Sequence[str], tags: Sequence[str], before: int | None, limit: int,
                        prefix_last: bool = False, *, viewer: int | None) -> list[int]:
        params = {"before": before or NO_CURSOR, "n": limit, "viewer": viewer}
        if words:
            return self._id_list(sql.SEARCH_WORDS, {**params, "match": fts_query(words, prefix_last),
                                                     "tags": orjson.dumps(list(tags)).decode()})
        if not tags:
            return []
        return self._id_list(sql.SEARCH_TAGS, {**params, "first": tags[0],
                                                "tags": orjson.dumps(list(tags[1:])).decode()})
