"""The statements of account deletion and of the data export (barker/store/sqlite_departures.py). ?1 is the
departing user's id unless said otherwise. Each reaches the user's rows through an index on the user id or
on the id of something they made (a bark, reaction or follow edge); the few exceptions say so."""

from __future__ import annotations

ACCOUNT = "SELECT handle_canon FROM users WHERE id = ?"
RETIRED = "SELECT 1 FROM retired_handles WHERE handle_canon = ?"
RETIRE_HANDLE = "INSERT OR IGNORE INTO retired_handles (handle_canon, retired_ms) VALUES (?, ?)"
# Newest first, originals before the rebarks of them get a turn (a rebark gone with its original is skipped).
OWN_BARKS = "SELECT id FROM barks WHERE author = ?1 ORDER BY id DESC"
# Whose streams hold entries the user caused: followers (home barks), followees (follow events) and the
# owners of every notification they caused (ids of their barks, reactions and follow edges).
STREAM_OWNERS = ("SELECT follower FROM follows WHERE followee = ?1 UNION SELECT followee FROM follows WHERE "
                 "follower = ?1 UNION SELECT n.owner FROM barks b JOIN notifications n ON n.id = b.id "
                 "WHERE b.author = ?1 UNION SELECT n.owner FROM reactions r JOIN notifications n ON n.id = r.id "
                 "WHERE r.user_id = ?1 UNION SELECT n.owner FROM follows f JOIN notifications n ON n.id = f.id "
                 "WHERE f.follower = ?1")
# ?1 = the stream's owner, ?2 = the departing user: the owner's entries they caused (a range of the owner).
DROP_AUTHOR_ENTRIES = ("DELETE FROM stream WHERE owner = ?1 AND author = ?2",
                       "DELETE FROM stream_recent WHERE owner = ?1 AND author = ?2")
DROP_OWN_STREAM = ("DELETE FROM stream WHERE owner = ?1", "DELETE FROM stream_recent WHERE owner = ?1",
                   "DELETE FROM stream_sizes WHERE owner = ?1")
# Replies by others to the bark ?1 keep their reply rule's input without naming the departing user: 0 is
# nobody, whom nobody follows, exactly as a departed author is followed by nobody.
FORGET_REPLIED_AUTHOR = ("UPDATE barks SET reply_author = 0 WHERE id IN (SELECT id FROM replies WHERE parent = ?1) "
                         "AND reply_author = ?2")
# Barks of others that mention or answer the user (their notifications say which) no longer list the id,
# and their mention entities keep the handle as written with user_id 0 (nobody), in the same order.
FORGET_MENTIONS = ("UPDATE barks SET mentions = (SELECT json_group_array(value) FROM json_each(barks.mentions) "
                   "WHERE value != ?1), entities = (SELECT json_group_array(CASE WHEN json_extract(value, "
                   "'$.user_id') = ?1 THEN json_set(value, '$.user_id', 0) ELSE json(value) END) FROM "
                   "json_each(barks.entities)) WHERE id IN (SELECT bark FROM notifications WHERE owner = ?1 AND "
                   "type IN ('mention', 'reply'))")
OWN_REACTIONS = "SELECT bark, emoji FROM reactions WHERE user_id = ?1"
# Follow edges both ways, with the other side's counter corrected first; the follow notifications the user
# caused go by edge id (the ones they received go with their own notifications).
UNCOUNT_FOLLOWEES = ("UPDATE users SET followers_count = followers_count - 1 WHERE id IN (SELECT followee FROM "
                     "follows WHERE follower = ?1)")
UNCOUNT_FOLLOWERS = ("UPDATE users SET following_count = following_count - 1 WHERE id IN (SELECT follower FROM "
                     "follows WHERE followee = ?1)")
DELETE_FOLLOW_NOTIFICATIONS = ("DELETE FROM notifications WHERE type = 'follow' AND id IN (SELECT id FROM follows "
                               "WHERE follower = ?1)")
DELETE_FOLLOWS = ("DELETE FROM follows WHERE follower = ?1", "DELETE FROM follows WHERE followee = ?1")
DELETE_OWN_ROWS = (
    "DELETE FROM notifications WHERE owner = ?1",
    "DELETE FROM bookmarks WHERE user_id = ?1",
    "DELETE FROM tokens WHERE user_id = ?1",
    # Reports they filed, and those about them (nothing left to moderate).
    "DELETE FROM reports WHERE reporter = ?1",
    "DELETE FROM reports WHERE target = ?1",
    # Dismissed by them (a key range) and of them (a scan: the table holds only dismissals, a few per user).
    "DELETE FROM dismissed WHERE user_id = ?1 OR target = ?1",
    # Outbox rows of theirs: their fan-outs and backfills (a scan of a queue that is near-empty at rest).
    "DELETE FROM jobs WHERE author = ?1 OR target = ?1",
    # Counters keyed by the user: '<kind>:<id>' or '<kind>:<id>:<window>' (barker/rate_limits.py). A scan:
    # the purge keeps the table to the live windows.
    "DELETE FROM rate_limits WHERE key LIKE '%:' || ?1 OR key LIKE '%:' || ?1 || ':%'",
    # Every upload of theirs is released: the media sweep deletes the records and then the files.
    "UPDATE media SET state = 'released' WHERE owner = ?1 AND state != 'released'",
)
DELETE_USER = "DELETE FROM users WHERE id = ?1"

# -- the export's pages: after a cursor (0 for the first page), oldest first ----------------------------
# After (bark ?2, emoji ?3): a user may leave several emojis on one bark.
REACTIONS_PAGE = ("SELECT bark, emoji, id FROM reactions WHERE user_id = ?1 AND (bark, emoji) > (?2, ?3) "
                  "ORDER BY bark, emoji LIMIT ?4")
# Their uploads still in use or waiting to be used (released ones are on their way out).
MEDIA_PAGE = ("SELECT id, purpose, view, keys FROM media WHERE owner = ?1 AND id > ?2 AND state != 'released' "
              "ORDER BY id LIMIT ?3")
