"""The statements of the SQLite store's timelines: the home and public pages (each one statement that
authenticates the caller and renders the whole page), bark and user views, and id lists. Composed once, at
import time; tests/golden/sqlite_statements.sql shows each as it runs."""

from __future__ import annotations

from barker.store.sqlite_sql.render import BARK_JSON, BARK_JSON_FOR_CALLER, CALLER, USER_JSON, VIEWER
from barker.store.sqlite_sql.rules import (
    bark_hidden_from,
    bark_unseen_by,
    for_someone,
    hidden_from,
    reply_reaches_home,
    unseen_users,
)
from barker.store.sqlite_sql.streams import newest_streamed_barks


def top_barks_of(authors: str, below: str, reader: str) -> str:
    """Newest `:n` bark ids below `below` by any author in the table `authors(value)` that reach `reader`'s
    home timeline (the reply rule) and are not hidden from them: at most n rows per author, each an index
    range scan on barks(author, id), instead of scanning the whole table in time order. (`authors` holds no
    author hidden from the reader: a range that is all hidden would be read to its end to find nothing.)"""
    return f"""SELECT b.id FROM {authors} a CROSS JOIN barks b ON b.author = a.value
        WHERE b.id IN (SELECT t.id FROM barks t WHERE t.author = a.value AND t.id < {below}
                       AND {reply_reaches_home(reader, 't.author', 't.reply_author')}
                       AND NOT {bark_hidden_from(reader, 't')} ORDER BY t.id DESC LIMIT :n)
        ORDER BY b.id DESC LIMIT :n"""


# The caller, from their token (:digest, :now). Hot pages authenticate inside their own statement.
SESSION = ("me AS (SELECT user_id AS id FROM tokens WHERE digest = :digest AND expires_ms > :now "
           "AND restricted = 0)")

# One statement renders a whole page from the CTE `page(id)` (materialised, newest first): the response
# body as the API's BarkPage (as a BLOB: UTF-8 bytes straight to the socket, never decoded into a Python
# str), plus the caller's id (NULL: not authenticated). `page` is scanned first
# (CROSS JOIN fixes the join order), so the aggregate sees its rows in page order.
PAGE_BODY = f"""SELECT (SELECT id FROM me), CAST((
    SELECT json_object('items', json_group_array({BARK_JSON_FOR_CALLER}),
                       'next_before', CASE WHEN count(*) >= :n THEN min(p.id) END)
    FROM page p CROSS JOIN barks b CROSS JOIN users u WHERE b.id = p.id AND u.id = b.author) AS BLOB)"""

# The home page's three sources (named parts, so the golden file shows each): (1) the newest barks of the
# caller's stream, (2) the newest barks of followed authors whose barks are not fanned out (celebrities),
# (3) below the stream's floor, the newest barks of everyone followed (and the caller's own). Each leaves out
# the barks hidden from the caller before its LIMIT.
HOME_STREAMED = newest_streamed_barks("owner", CALLER)
HOME_CELEBRITY_BARKS = top_barks_of("celebrities", ":before", CALLER)
HOME_BARKS_BELOW_FLOOR = top_barks_of("followed", "min(:before, (SELECT floor FROM incomplete))", CALLER)

# Home timeline: see Store.home_page for the three sources. The fallback (3) runs only when the stream
# holds fewer than :n entries at or above the floor.
HOME_PAGE = f"""
WITH {SESSION},
owner AS (SELECT u.id, u.stream_floor AS floor FROM me CROSS JOIN users u WHERE u.id = me.id),
streamed AS MATERIALIZED ({HOME_STREAMED}),
celebrities(value) AS MATERIALIZED (
    SELECT f.followee FROM owner w CROSS JOIN follows f CROSS JOIN users c
    WHERE f.follower = w.id AND c.id = f.followee AND c.has_unfanned AND NOT {hidden_from('w.id', 'c.id')}),
incomplete AS (SELECT w.id, w.floor FROM owner w WHERE w.floor > 0 AND (SELECT count(*) FROM streamed) < :n),
followed(value) AS MATERIALIZED (
    SELECT f.followee FROM incomplete i CROSS JOIN follows f
    WHERE f.follower = i.id AND NOT {hidden_from('i.id', 'f.followee')}
    UNION ALL SELECT id FROM incomplete),
page AS MATERIALIZED (
    SELECT id FROM streamed
    UNION SELECT id FROM ({HOME_CELEBRITY_BARKS})
    UNION SELECT id FROM ({HOME_BARKS_BELOW_FLOOR})
    ORDER BY id DESC LIMIT :n)
{PAGE_BODY}"""

PUBLIC_PAGE = f"""
WITH {SESSION},
page AS MATERIALIZED (SELECT b.id FROM barks b WHERE b.id < :before AND NOT {bark_hidden_from(CALLER, 'b')}
                      ORDER BY b.id DESC LIMIT :n)
{PAGE_BODY}"""

# Whether the bark row b is unseen by :viewer (a mute hides nothing), or hidden from :viewer: never for a NULL
# viewer (an internal read).
UNSEEN_BY_VIEWER = for_someone(VIEWER, bark_unseen_by(VIEWER, "b"))
HIDDEN_FROM_VIEWER = for_someone(VIEWER, bark_hidden_from(VIEWER, "b"))


# The bark views of the ids in :ids (a JSON array) for :viewer, leaving out those unseen by the viewer (a
# mute does not hide a bark asked for by id). Aggregating over the join directly (not a subquery) keeps each
# object's JSON subtype: no re-parse.
BARK_VIEWS = (f"SELECT json_group_array({BARK_JSON}) "
              "FROM json_each(:ids) j JOIN barks b ON b.id = j.value JOIN users u ON u.id = b.author "
              f"WHERE NOT {UNSEEN_BY_VIEWER}")
USER_VIEW = f"SELECT {USER_JSON} FROM users u WHERE u.id = :id"
# The user views of the ids in :ids (a JSON array), in that order, for :viewer.
USER_VIEWS = (f"SELECT json_group_array(json(v)) FROM (SELECT {USER_JSON} AS v "
              "FROM json_each(:ids) j JOIN users u ON u.id = j.value ORDER BY j.key)")


def _edge_page(mine: str, other: str) -> str:
    """[[edge id, User]] of the follows edges whose `mine` end is :me, below :before, newest :n first, leaving
    out (before the LIMIT: pages stay full) the users :viewer does not see (docs/safety.md), read once."""
    return (f"WITH unseen(id) AS MATERIALIZED ({unseen_users(VIEWER)}) "
            f"SELECT json_group_array(json_array(cursor, json(v))) FROM ("
            f"SELECT f.id AS cursor, {USER_JSON} AS v FROM follows f JOIN users u ON u.id = f.{other} "
            f"WHERE f.{mine} = :me AND f.id < :before AND f.{other} NOT IN unseen ORDER BY f.id DESC LIMIT :n)")


FOLLOWER_PAGE = _edge_page("followee", "follower")
FOLLOWING_PAGE = _edge_page("follower", "followee")

# Bark ids below :before, newest :n first, as :viewer may see them: of the author :a (whom the service
# checked the viewer sees), their rebarks of barks unseen by the viewer left out (a mute does not hide the
# muted user's own timeline); and of everyone, barks hidden from the viewer left out.
USER_BARK_IDS = ("SELECT json_group_array(id) FROM (SELECT b.id FROM barks b "
                 f"WHERE b.author = :a AND b.id < :before AND NOT {UNSEEN_BY_VIEWER} "
                 "ORDER BY b.id DESC LIMIT :n)")
# ... of the author :a, replies left out: the planner reads the partial index barks_author_originals (just those).
USER_BARK_IDS_NO_REPLIES = ("SELECT json_group_array(id) FROM (SELECT b.id FROM barks b "
                            "WHERE b.author = :a AND b.reply_to IS NULL AND b.id < :before "
                            f"AND NOT {UNSEEN_BY_VIEWER} ORDER BY b.id DESC LIMIT :n)")
PUBLIC_BARK_IDS = ("SELECT json_group_array(id) FROM (SELECT b.id FROM barks b "
                   f"WHERE b.id < :before AND NOT {HIDDEN_FROM_VIEWER} ORDER BY b.id DESC LIMIT :n)")
