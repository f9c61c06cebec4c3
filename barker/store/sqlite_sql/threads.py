"""The statements of the SQLite store's threads (Threads.thread): a bark with its ancestors and one page of
its descendants, rendered for :viewer in one statement. The tree is the table replies(id, parent), indexed
by (parent, id); a reply's row outlives its bark while replies hang from it, and a bark row missing beside
it renders as a tombstone.

Descendants are read depth-first, each branch oldest first, without computing the thread: a recursive CTE
whose queue is ordered by depth, deepest first, and holds at most one entry per depth. Taking node X from it
pushes X's first reply (one step deeper) and X's next sibling (the same depth): the smallest id among the
replies to X, or to X's parent above X, each one probe of replies_parent. So the deepest entry is always the
next in conversation order, and a page of n costs n steps (LIMIT :n stops the recursion) whether the thread
is 10,000 replies wide or 1,000 deep. Rows come out in the order they are taken from the queue.
To resume after the descendant :after (depth d below the bark), the queue starts as it stood when :after was
taken: its first reply at depth d + 1, and the next sibling of :after and of each of its ancestors below the
bark, found by walking up from :after (d steps).

Blocks, mutes and hidden accounts (rules.py): the bark itself is not found when :viewer does not see it
(unseen); a reply above or below it that is hidden from the viewer (a mute too) renders as the
tombstone of a deleted one, so the tree and the cursors stay as they are."""

from __future__ import annotations

from barker.store.sqlite_sql.render import BARK_JSON
from barker.store.sqlite_sql.timelines import HIDDEN_FROM_VIEWER, UNSEEN_BY_VIEWER

TOMBSTONE = "json_object('id', {id}, 'deleted', json('true'))"

# The rows of the bark's ancestors: row k (1, 2, ...) is the reply k steps up, and `parent` the ancestor k
# steps up; at most :max_up of them, the nearest (policies.MAX_THREAD_ANCESTORS).
ANCESTOR_ROWS = """up(id, parent, k) AS (
    SELECT id, parent, 1 FROM replies WHERE id = :id
    UNION ALL
    SELECT r.id, r.parent, up.k + 1 FROM up JOIN replies r ON r.id = up.parent WHERE up.k < :max_up)"""

# Taking walk row w from the queue pushes its first reply and its next sibling (see above).
_NEXT_IN_CONVERSATION = """
    SELECT r.id, r.parent, w.depth + 1 FROM walk w
    JOIN replies r ON r.id = (SELECT min(x.id) FROM replies x WHERE x.parent = w.id)
    UNION ALL
    SELECT r.id, r.parent, w.depth FROM walk w
    JOIN replies r ON r.id = (SELECT min(x.id) FROM replies x WHERE x.parent = w.parent AND x.id > w.id)
    ORDER BY 3 DESC LIMIT :n"""

# The first page: the queue starts with the bark's first reply.
WALK_FROM_START = f"""walk(id, parent, depth) AS (
    SELECT id, parent, 1 FROM replies WHERE id = (SELECT min(id) FROM replies WHERE parent = :id)
    UNION ALL {_NEXT_IN_CONVERSATION})"""

# A later page. cursor_path: :after and its ancestors up to the bark's direct reply (k = 0, 1, ... upwards);
# cursor_top: that reply's k (NULL when :after is not below the bark: a bad cursor).
WALK_AFTER_CURSOR = f"""cursor_path(id, parent, k) AS (
    SELECT id, parent, 0 FROM replies WHERE id = :after
    UNION ALL
    SELECT r.id, r.parent, cp.k + 1 FROM cursor_path cp JOIN replies r ON r.id = cp.parent WHERE cp.parent != :id),
cursor_top(k) AS (SELECT max(k) FROM cursor_path WHERE parent = :id),
walk(id, parent, depth) AS (
    SELECT r.id, r.parent, t.k + 2 FROM cursor_top t
    JOIN replies r ON r.id = (SELECT min(x.id) FROM replies x WHERE x.parent = :after) WHERE t.k IS NOT NULL
    UNION ALL
    SELECT r.id, r.parent, t.k - cp.k + 1 FROM cursor_top t CROSS JOIN cursor_path cp
    JOIN replies r ON r.id = (SELECT min(x.id) FROM replies x WHERE x.parent = cp.parent AND x.id > cp.id)
    WHERE t.k IS NOT NULL
    UNION ALL {_NEXT_IN_CONVERSATION})"""

_BARK = (f"json((SELECT {BARK_JSON} FROM barks b JOIN users u ON u.id = b.author "
         f"WHERE b.id = :id AND NOT {UNSEEN_BY_VIEWER}))")
# A reply's bark row, or none (a tombstone) when deleted or hidden from the viewer.
_SHOWN = f"NOT {HIDDEN_FROM_VIEWER}"
# [[k, Bark | tombstone]] of the ancestors (sorted by the caller: a CTE's rows have no order of their own).
_ANCESTORS = (f"json((SELECT json_group_array(json_array(a.k, json(CASE WHEN b.id IS NULL THEN "
              f"{TOMBSTONE.format(id='a.parent')} ELSE {BARK_JSON} END))) "
              f"FROM up a LEFT JOIN barks b ON b.id = a.parent AND {_SHOWN} LEFT JOIN users u ON u.id = b.author))")
# The page's descendants in the order taken from the queue (walk is the outer loop of the LEFT JOINs).
_DESCENDANTS = (f"json((SELECT json_group_array(json(CASE WHEN b.id IS NULL THEN "
                f"json_set({TOMBSTONE.format(id='w.id')}, '$.depth', w.depth) "
                f"ELSE json_set({BARK_JSON}, '$.depth', w.depth) END)) "
                f"FROM walk w LEFT JOIN barks b ON b.id = w.id AND {_SHOWN} LEFT JOIN users u ON u.id = b.author))")


def _thread(walk: str, cursor_ok: str) -> str:
    return (f"WITH RECURSIVE {ANCESTOR_ROWS},\n{walk}\n"
            f"SELECT json_object('bark', {_BARK}, 'ancestors', {_ANCESTORS}, 'descendants', {_DESCENDANTS}, "
            f"'cursor_ok', {cursor_ok})")


# {"bark": Bark | null, "ancestors": [[k, item]], "descendants": [item], "cursor_ok": bool} for :id, :viewer,
# :max_up and :n (and :after).
THREAD_FIRST_PAGE = _thread(WALK_FROM_START, "json('true')")
THREAD_PAGE_AFTER = _thread(WALK_AFTER_CURSOR, "json(CASE WHEN (SELECT k FROM cursor_top) IS NULL "
                                               "THEN 'false' ELSE 'true' END)")
