"""The statements of the SQLite store's blocks and mutes (the tables `blocks` and `mutes`; how reads apply
them is sqlite_sql/rules.py)."""

from __future__ import annotations

from barker.store.sqlite_sql.render import user_json

USER_EXISTS = "SELECT 1 FROM users WHERE id = ?"
INSERT_BLOCK = "INSERT INTO blocks (blocker, blocked, id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING"
DELETE_BLOCK = "DELETE FROM blocks WHERE blocker = ? AND blocked = ?"
# ?1's reactions to barks by ?2: their range of reactions_by_user, each bark's author by its primary key.
REACTIONS_TO = ("SELECT r.bark, r.emoji FROM reactions r INDEXED BY reactions_by_user JOIN barks b ON b.id = r.bark "
                "WHERE r.user_id = ?1 AND b.author = ?2")
# ?1's rebarks of barks by ?2: their range of barks_rebark.
REBARKS_OF = ("SELECT r.id FROM barks r INDEXED BY barks_rebark JOIN barks o ON o.id = r.rebark_of "
              "WHERE r.author = ?1 AND r.rebark_of IS NOT NULL AND o.author = ?2")

# A mute again changes only its end: its id (the place in the list) stays.
UPSERT_MUTE = ("INSERT INTO mutes (muter, muted, id, until_ms) VALUES (?, ?, ?, ?) "
               "ON CONFLICT (muter, muted) DO UPDATE SET until_ms = excluded.until_ms")
# Deleting an ended mute counts as no mute: the caller learns whether one was in force.
DELETE_MUTE = "DELETE FROM mutes WHERE muter = ?1 AND muted = ?2 RETURNING until_ms IS NULL OR until_ms > ?3"

BLOCK_PAGE = (f"SELECT json_group_array(json_array(cursor, json(v))) FROM ("
              f"SELECT k.id AS cursor, {user_json(':me')} AS v FROM blocks k INDEXED BY blocks_time "
              "JOIN users u ON u.id = k.blocked WHERE k.blocker = :me AND k.id < :before ORDER BY k.id DESC LIMIT :n)")
MUTE_PAGE = (f"SELECT json_group_array(json_array(cursor, json(v), until_ms)) FROM ("
             f"SELECT m.id AS cursor, {user_json(':me')} AS v, m.until_ms FROM mutes m INDEXED BY mutes_time "
             "JOIN users u ON u.id = m.muted WHERE m.muter = :me AND m.id < :before "
             "AND (m.until_ms IS NULL OR m.until_ms > :now) ORDER BY m.id DESC LIMIT :n)")

# [blocking, blocked_by, mute's until_ms or -1 for none in force (NULL: until unmuted)] of ?1 towards ?2.
RELATIONSHIP = ("SELECT EXISTS (SELECT 1 FROM blocks WHERE blocker = ?1 AND blocked = ?2), "
                "EXISTS (SELECT 1 FROM blocks WHERE blocker = ?2 AND blocked = ?1), "
                "coalesce((SELECT 1 FROM mutes WHERE muter = ?1 AND muted = ?2 "
                "AND (until_ms IS NULL OR until_ms > ?3)), 0), "
                "(SELECT until_ms FROM mutes WHERE muter = ?1 AND muted = ?2)")
# Which of ?2 (a JSON array of ids) block ?1 or are blocked by ?1.
BLOCKED_AMONG = ("SELECT json_group_array(j.value) FROM json_each(?2) j "
                 "WHERE EXISTS (SELECT 1 FROM blocks WHERE blocker = ?1 AND blocked = j.value) "
                 "OR EXISTS (SELECT 1 FROM blocks WHERE blocker = j.value AND blocked = ?1)")
