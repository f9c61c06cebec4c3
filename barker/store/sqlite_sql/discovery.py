"""The statements of the SQLite store's discovery (barker/store/sqlite_discovery.py): locations and nearest
users, friends-of-friends suggestions, user search, and the rate-limit counters."""

from __future__ import annotations

from functools import cache

from barker.store.sqlite_sql.rules import hidden_users, unseen_users

# -- locations (cells: one row and one R*Tree entry per occupied cell, counting its users) -----------------
LOCATION_VISIBILITY = "SELECT visibility FROM locations WHERE user_id = ?"
LOCATION_CELL = "SELECT cell FROM locations WHERE user_id = ?"
LOCATION = "SELECT cell, visibility FROM locations WHERE user_id = ?"
LOCATION_POINT = "SELECT x, y, z FROM locations WHERE user_id = ?"
PLACE_USER = ("INSERT OR REPLACE INTO locations (user_id, cell, resolution, lat, lon, x, y, z, visibility, "
              "updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
ENTER_CELL = ("INSERT INTO location_cells (cell, x, y, z, users) VALUES (?, ?, ?, ?, 1) ON CONFLICT (cell) "
              "DO UPDATE SET users = users + 1 RETURNING id, users")
ADD_CELL_TO_RTREE = "INSERT INTO location_cells_rtree VALUES (?, ?, ?, ?, ?, ?, ?)"
LEAVE_CELL = "UPDATE location_cells SET users = users - 1 WHERE cell = ? RETURNING id, users"
DELETE_CELL = "DELETE FROM location_cells WHERE id = ?"
DELETE_CELL_FROM_RTREE = "DELETE FROM location_cells_rtree WHERE id = ?"
SET_VISIBILITY = "UPDATE locations SET visibility = ? WHERE user_id = ? RETURNING cell"
CLEAR_LOCATION = "DELETE FROM locations WHERE user_id = ? RETURNING cell"
# The stored cells finer than ? (the configured resolution was lowered): coarsened at start-up.
FINER_LOCATIONS = "SELECT user_id, cell, visibility, updated_ms FROM locations WHERE resolution > ?"

# The occupied cells in a cube (R*Tree), with their centres' unit vectors.
CELLS_IN_CUBE = ("SELECT c.cell, c.x, c.y, c.z FROM location_cells_rtree r JOIN location_cells c ON c.id = r.id "
                 "WHERE r.maxx >= ? AND r.minx <= ? AND r.maxy >= ? AND r.miny <= ? AND r.maxz >= ? AND r.minz <= ?")
# The users of some cells (a JSON array), lowest ids first: one index range per cell, merged and sorted in C.
USERS_OF_CELLS = ("SELECT user_id, cell, visibility FROM locations WHERE cell IN (SELECT value FROM json_each(?)) "
                  "ORDER BY user_id")
# Which of :ids (a JSON array) :me follows, and which follow :me.
FOLLOWED_AMONG = ("SELECT json_group_array(followee) FROM follows WHERE follower = :me "
                  "AND followee IN (SELECT value FROM json_each(:ids))")
FOLLOWERS_AMONG = ("SELECT json_group_array(follower) FROM follows WHERE followee = :me "
                   "AND follower IN (SELECT value FROM json_each(:ids))")

# -- who :me does not see (docs/safety.md), for nearby and suggestions, which filter while they count in Python:
# [unseen ids, hidden ids] (hidden: unseen, and muted by :me).
UNSEEN_AND_HIDDEN = (f"WITH unseen(id) AS MATERIALIZED ({unseen_users(':me')}), "
                     f"hidden(id) AS MATERIALIZED ({hidden_users(':me')}) "
                     "SELECT json_array((SELECT json_group_array(DISTINCT id) FROM unseen), "
                     "(SELECT json_group_array(DISTINCT id) FROM hidden))")

# -- suggestions ---------------------------------------------------------------------------------------------
FOLLOWEES = "SELECT json_group_array(followee) FROM follows WHERE follower = :me"
DISMISSED = "SELECT json_group_array(target) FROM dismissed WHERE user_id = :me"
DISMISS = "INSERT INTO dismissed VALUES (?, ?) ON CONFLICT DO NOTHING"
UNDISMISS = "DELETE FROM dismissed WHERE user_id = ? AND target = ?"
# [[id, followers_count]] of the users in :ids (a JSON array).
FOLLOWERS_COUNTS = ("SELECT json_group_array(json_array(id, followers_count)) FROM users "
                    "WHERE id IN (SELECT value FROM json_each(:ids))")
# Every followee of the users in :ids (a JSON array), with repeats, comma-separated (the cheapest form for
# hundreds of thousands of ids): one index range scan each.
FOLLOWEES_OF = ("SELECT group_concat(f.followee) FROM json_each(:ids) j "
                "CROSS JOIN follows f ON f.follower = j.value")
# {target: sum of n(b) over the people b in :weights ({b: n}) who follow it}, for the targets in :targets.
PATHS_TO = """WITH w(b, n) AS (SELECT CAST(key AS INTEGER), value FROM json_each(:weights)),
    t(id) AS MATERIALIZED (SELECT value FROM json_each(:targets))
SELECT json_group_object(followee, total) FROM (
    SELECT f.followee, sum(w.n) AS total FROM w CROSS JOIN follows f ON f.follower = w.b
    WHERE f.followee IN (SELECT id FROM t) GROUP BY f.followee)"""
# {user: [their followees]} for the users in :ids.
FOLLOWEES_BY_USER = ("SELECT json_group_object(j.value, (SELECT json_group_array(followee) FROM follows "
                     "WHERE follower = j.value)) FROM json_each(:ids) j")

# -- user search: one statement per tier (policies.search_in_tiers), each an index-ordered query that stops
# at :n after :after: a handle range scan (:p up to :pe), then FTS5 on names (:dn) and bios (:bio), which
# yields rowids in order. A later tier skips the users an earlier one matched; with no handle prefix (:p
# empty) there is no handle tier to skip. Every tier leaves out the users :viewer does not see (docs/safety.md),
# before its LIMIT.
_IN_HANDLES = "SELECT id FROM users WHERE handle_canon >= :p AND handle_canon < :pe"
_IN_NAMES = "SELECT rowid FROM users_fts WHERE users_fts MATCH :dn"
_UNSEEN = f"WITH unseen(id) AS MATERIALIZED ({unseen_users(':viewer')}) "


def _search_tiers(not_handles: str) -> tuple[str, str, str]:
    """(handle tier, name tier, bio tier); `not_handles` leaves out the handle tier's users, or is empty."""
    return (f"{_UNSEEN}SELECT id FROM ({_IN_HANDLES}) WHERE id > :after AND id NOT IN unseen ORDER BY id LIMIT :n",
            f"{_UNSEEN}{_IN_NAMES} AND rowid > :after {not_handles} AND rowid NOT IN unseen "
            "ORDER BY rowid LIMIT :n",
            f"{_UNSEEN}SELECT rowid FROM users_fts WHERE users_fts MATCH :bio AND rowid > :after "
            f"{not_handles} AND rowid NOT IN ({_IN_NAMES}) AND rowid NOT IN unseen ORDER BY rowid LIMIT :n")


SEARCH_WITH_HANDLE_PREFIX = _search_tiers(f"AND rowid NOT IN ({_IN_HANDLES})")
SEARCH_WITHOUT_HANDLE_PREFIX = _search_tiers("")

# -- rate-limit counters -------------------------------------------------------------------------------------
HIT_RATE_LIMIT = ("INSERT INTO rate_limits VALUES (?, ?, 1) ON CONFLICT (key) DO UPDATE SET "
                  "count = CASE WHEN window = excluded.window THEN count + 1 ELSE 1 END, "
                  "window = excluded.window RETURNING count")


@cache
def take_rate_limits(n: int) -> str:
    """Count n counters in one statement (this runs inside every limited write): each is counted, restarted if
    its window has passed, or left alone if its window is full (the WHERE of DO UPDATE), and only the counted
    ones come back. Parameters: n (key, window end) pairs, then n (key, limit) pairs."""
    return (f"INSERT INTO rate_limits VALUES {', '.join(['(?, ?, 1)'] * n)} ON CONFLICT (key) "
            "DO UPDATE SET count = CASE WHEN window = excluded.window THEN count + 1 ELSE 1 END, "
            f"window = excluded.window WHERE window != excluded.window OR count < CASE key "
            f"{'WHEN ? THEN ? ' * n}END RETURNING key, count")


@cache
def give_back(n: int) -> str:
    """Uncount n counters (a request refused by a full one counts nothing)."""
    return f"UPDATE rate_limits SET count = count - 1 WHERE key IN ({', '.join('?' * n)})"


# The usual shape, for the golden file: an hourly and a daily counter.
TAKE_TWO_RATE_LIMITS = take_rate_limits(2)
GIVE_BACK_TWO = give_back(2)
# Up to ? counters whose window ended by ? (a scan in key order: see purge_rate_limits).
PURGE_RATE_LIMITS = "DELETE FROM rate_limits WHERE key IN (SELECT key FROM rate_limits WHERE window <= ? LIMIT ?)"
