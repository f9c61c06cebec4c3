"""The statements of the SQLite store's tag timelines, trending tags and bark search. Each list comes back as
one JSON value (see SqliteBase._json for why)."""

from __future__ import annotations

from barker.store.sqlite_sql.timelines import HIDDEN_FROM_VIEWER


def not_hidden(bark: str) -> str:
    """SQL: the bark with id `bark` is not hidden from :viewer (timelines.HIDDEN_FROM_VIEWER, on its row read
    by primary key). Checked inside the range read, before its LIMIT, so a page stays full."""
    return f"NOT EXISTS (SELECT 1 FROM barks b WHERE b.id = {bark} AND {HIDDEN_FROM_VIEWER})"


# A tag's bark ids below :before, newest :n first, hidden ones left out: one range of the bark_tags primary
# key (tag, bark).
TAG_BARK_IDS = (f"SELECT json_group_array(bark) FROM (SELECT bark FROM bark_tags "
                f"WHERE tag = :tag AND bark < :before AND {not_hidden('bark_tags.bark')} ORDER BY bark DESC LIMIT :n)")

# [[tag, authors, barks]] of the barks with ids >= :since (the window's first id), best first. Only the
# window's range of bark_tags_time (bark, tag, author) is read, and that index covers the query; the
# grouping sorts only the window's rows, however many barks are older.
TRENDING_TAGS = """SELECT json_group_array(json_array(tag, authors, barks)) FROM (
    SELECT tag, count(DISTINCT author) AS authors, count(*) AS barks
    FROM bark_tags INDEXED BY bark_tags_time WHERE bark >= :since
    GROUP BY tag ORDER BY authors DESC, barks DESC, tag LIMIT :n)"""


def has_every_tag(bark: str) -> str:
    """SQL: the bark `bark` carries every tag of :tags (a JSON array; true when it is empty), one primary
    key lookup per tag."""
    return ("NOT EXISTS (SELECT 1 FROM json_each(:tags) t WHERE NOT EXISTS ("
            f"SELECT 1 FROM bark_tags WHERE tag = t.value AND bark = {bark}))")


# Barks whose text matches :match (an FTS5 query of quoted strings, built by the adapter from plain words)
# and that carry every tag of :tags, below :before, newest :n first, those hidden from :viewer left out. FTS5
# walks its doclists in rowid order, taking the rowid bound and the order from the query, so a page stops
# after :n matches.
SEARCH_WORDS = f"""SELECT json_group_array(id) FROM (
    SELECT rowid AS id FROM barks_fts WHERE barks_fts MATCH :match AND rowid < :before
    AND {has_every_tag("barks_fts.rowid")} AND {not_hidden("barks_fts.rowid")} ORDER BY rowid DESC LIMIT :n)"""

# Barks carrying :first and every tag of :tags, below :before, newest :n first (a query of tags only):
# the range of :first's timeline, each bark checked for the rest.
SEARCH_TAGS = f"""SELECT json_group_array(bark) FROM (
    SELECT bark FROM bark_tags t0 WHERE tag = :first AND bark < :before
    AND {has_every_tag("t0.bark")} AND {not_hidden("t0.bark")} ORDER BY bark DESC LIMIT :n)"""
