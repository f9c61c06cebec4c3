"""The statements of the SQLite store's barks and reactions (a bark's reactions are counted in its
`reactions` JSON object, keyed by emoji: ?1 is the key's JSON path)."""

from __future__ import annotations

FOLLOWERS_COUNT = "SELECT followers_count FROM users WHERE id = ?"
REBARK_OF = "SELECT rebark_of FROM barks WHERE id = ?"
# The unique index on (rebark_of, author) refuses a second rebark.
INSERT_REBARK = "INSERT INTO barks (id, author, created_at, rebark_of, fanned_out) VALUES (?, ?, ?, ?, ?)"
COUNT_REBARK = "UPDATE barks SET rebark_count = rebark_count + 1 WHERE id = ?"
INSERT_BARK = ("INSERT INTO barks (id, author, created_at, text, fanned_out, media, reply_to, reply_author, "
               "mentions, tags, entities) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
# The bark a reply answers, as (id, author): a rebark stands for its original.
REPLY_PARENT = ("SELECT coalesce(o.id, b.id), coalesce(o.author, b.author) FROM barks b "
                "LEFT JOIN barks o ON o.id = b.rebark_of WHERE b.id = ?")
INSERT_REPLY = "INSERT INTO replies (id, parent) VALUES (?, ?)"
COUNT_REPLY = "UPDATE barks SET reply_count = reply_count + 1 WHERE id = ?"
UNCOUNT_REPLY = "UPDATE barks SET reply_count = reply_count - 1 WHERE id = ?"
# ?1's tags (a JSON array), by ?2 (author), for bark ?3.
INSERT_TAGS = "INSERT OR IGNORE INTO bark_tags (tag, bark, author) SELECT value, ?3, ?2 FROM json_each(?1)"
DELETE_TAGS = "DELETE FROM bark_tags WHERE tag IN (SELECT value FROM json_each(?1)) AND bark = ?2"
DELETE_BOOKMARKS = "DELETE FROM bookmarks WHERE bark = ?"
# The notifications about bark ?1 (reactions, rebarks, replies, mentions), and the one it caused itself.
DELETE_NOTIFICATIONS = "DELETE FROM notifications WHERE bark = ?1 OR id = ?1"
# The reply tree keeps a deleted reply's row while replies hang from it (a tombstone); otherwise the row
# goes, and so does each deleted parent above it that is left with no replies.
HAS_REPLIES = "SELECT EXISTS (SELECT 1 FROM replies WHERE parent = ?)"
PRUNE_REPLY = ("DELETE FROM replies WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM replies WHERE parent = ?1) "
               "AND NOT EXISTS (SELECT 1 FROM barks WHERE id = ?1) RETURNING parent")
# has_unfanned: the author has barks not copied to followers (the home page reads them).
COUNT_POSTED = "UPDATE users SET barks_count = barks_count + 1, has_unfanned = has_unfanned OR ? WHERE id = ?"
QUEUE_FANOUT = "INSERT INTO jobs (id, kind, bark, author) VALUES (?, 'fanout', ?, ?)"
BARK_AUTHOR = "SELECT author, rebark_of FROM barks WHERE id = ?"
REBARK_ID = "SELECT id FROM barks WHERE rebark_of = ? AND author = ?"
BARK_TO_DELETE = "SELECT author, rebark_of, media, reply_to, tags FROM barks WHERE id = ?"
# Each rebarker of ? has one bark fewer (the rebarks go with the bark).
UNCOUNT_REBARKERS = ("UPDATE users SET barks_count = barks_count - 1 WHERE id IN (SELECT author FROM barks WHERE "
                     "rebark_of = ?)")
DELETE_REBARKS = "DELETE FROM barks WHERE rebark_of = ?"
DELETE_BARK = "DELETE FROM barks WHERE id = ?"
DELETE_BARK_REACTIONS = "DELETE FROM reactions WHERE bark = ?"
UNCOUNT_BARK = "UPDATE users SET barks_count = barks_count - 1 WHERE id = ?"
UNCOUNT_REBARK = "UPDATE barks SET rebark_count = rebark_count - 1 WHERE id = ?"
AUTHOR = "SELECT author FROM barks WHERE id = ?"
BARK_EXISTS = "SELECT 1 FROM barks WHERE id = ?"
# How many reactions ?3 left on ?2, and whether one is ?1.
MY_REACTIONS = "SELECT count(*), sum(emoji = ?) FROM reactions WHERE bark = ? AND user_id = ?"
INSERT_REACTION = "INSERT INTO reactions VALUES (?, ?, ?, ?)"
COUNT_REACTION = ("UPDATE barks SET reactions = json_set(reactions, ?1, coalesce(json_extract(reactions, ?1), 0) "
                  "+ 1) WHERE id = ?2")
DELETE_REACTION = "DELETE FROM reactions WHERE bark = ? AND user_id = ? AND emoji = ?"
# The last one of an emoji removes its key.
UNCOUNT_REACTION = ("UPDATE barks SET reactions = CASE WHEN json_extract(reactions, ?1) > 1 THEN "
                    "json_set(reactions, ?1, json_extract(reactions, ?1) - 1) ELSE json_remove(reactions, ?1) END "
                    "WHERE id = ?2")
