"""The statements of account deletion and of the data export (barker/store/sqlite_departures.py). ?1 is the
departing user's id unless said otherwise. Each reaches the user's rows through an index on the user id or
on the id of something they made (a bark, reaction or follow edge); the few exceptions say so."""

from __future__ import annotations

# -- the first transaction (DELETE /v1/me answers after it) ----------------------------------------------
# An active (or pending, suspended) account: a leaving one is already on its way out.
ACCOUNT = "SELECT handle_canon FROM users WHERE id = ? AND state != 'leaving'"
RETIRED = "SELECT 1 FROM retired_handles WHERE handle_canon = ?"
RETIRE_HANDLE = "INSERT OR IGNORE INTO retired_handles (handle_canon, retired_ms) VALUES (?, ?)"
# policies.LEAVING: in every hiding rule (rules.py), so everything of the account is hidden at once.
MARK_LEAVING = "UPDATE users SET state = 'leaving' WHERE id = ?1"
REVOKE_TOKENS = "DELETE FROM tokens WHERE user_id = ?1"
# Outbox rows of theirs: their fan-outs and backfills (a scan of a queue that is near-empty at rest). Both
# statements leave the departure job alone: the first runs before it is queued, the last is its end.
DELETE_JOBS = "DELETE FROM jobs WHERE (author = ?1 OR target = ?1) AND kind != 'departure'"
# ?1 job id, ?2 the user: the rest is the worker's (barker/fanout.py), step by step (cursor = the step).
QUEUE_DEPARTURE = "INSERT INTO jobs (id, kind, bark, author, cursor) VALUES (?1, 'departure', 0, ?2, 0)"
NEXT_STEP = "UPDATE jobs SET cursor = ?1 WHERE id = ?2"

# -- the worker's batches: each takes the first ?2 rows left of one kind (deleting them is the progress) --
# ?1 = the stream's owner, ?2 = the departing user: the owner's entries they caused (a range of the owner).
DROP_AUTHOR_ENTRIES = ("DELETE FROM stream WHERE owner = ?1 AND author = ?2",
                       "DELETE FROM stream_recent WHERE owner = ?1 AND author = ?2")
# Notifications they received of a mention or a reply: the barks of others behind them no longer list the
# id, and their mention entities keep the handle as written with user_id 0 (nobody), in the same order.
MENTIONS_BATCH = ("SELECT id, bark FROM notifications WHERE owner = ?1 AND type IN ('mention', 'reply') "
                  "ORDER BY owner, type, id LIMIT ?2")
FORGET_MENTION = ("UPDATE barks SET mentions = (SELECT json_group_array(value) FROM json_each(barks.mentions) "
                  "WHERE value != ?2), entities = (SELECT json_group_array(CASE WHEN json_extract(value, "
                  "'$.user_id') = ?2 THEN json_set(value, '$.user_id', 0) ELSE json(value) END) FROM "
                  "json_each(barks.entities)) WHERE id = ?1")
DELETE_NOTIFICATION = "DELETE FROM notifications WHERE owner = ?1 AND id = ?2"
# Newest first, originals before the rebarks of them get a turn (a rebark gone with its original is gone).
BARKS_BATCH = "SELECT id FROM barks WHERE author = ?1 ORDER BY author DESC, id DESC LIMIT ?2"
# Others told of the bark ?1 (a reply, mention or rebark by the user: the notification's id is the bark's)
# or about it (by someone else, owned by the user, ?2): their streams hold entries the user caused.
TOLD_OF_BARK = "SELECT owner FROM notifications WHERE id = ?1 AND owner != ?2"
# Replies by others to the bark ?1 keep their reply rule's input without naming the departing user: 0 is
# nobody, whom nobody follows, exactly as a departed author is followed by nobody.
FORGET_REPLIED_AUTHOR = ("UPDATE barks SET reply_author = 0 WHERE id IN (SELECT id FROM replies WHERE parent = ?1) "
                         "AND reply_author = ?2")
REACTIONS_BATCH = ("SELECT bark, emoji, id FROM reactions WHERE user_id = ?1 ORDER BY user_id, bark LIMIT ?2")
TOLD_OF_REACTION = "SELECT owner FROM notifications WHERE id = ?1"
# Follow edges, each way: the other side's counter corrected, the entries the user caused in their stream
# (home barks of a follower, follow events of a followee) and the follow notification the user caused.
FOLLOWERS_BATCH = "SELECT follower FROM follows WHERE followee = ?1 ORDER BY followee, follower LIMIT ?2"
UNCOUNT_FOLLOWER = "UPDATE users SET following_count = following_count - 1 WHERE id = ?1"
DELETE_FOLLOWER = "DELETE FROM follows WHERE follower = ?1 AND followee = ?2"
FOLLOWEES_BATCH = "SELECT followee, id FROM follows WHERE follower = ?1 ORDER BY follower, followee LIMIT ?2"
UNCOUNT_FOLLOWEE = "UPDATE users SET followers_count = followers_count - 1 WHERE id = ?1"
DELETE_FOLLOW_NOTIFICATION = "DELETE FROM notifications WHERE owner = ?1 AND id = ?2 AND type = 'follow'"
# Rows that are theirs alone, ?2 at a time each: a statement that removed fewer is done.
OWN_ROWS_BATCHES = (
    "DELETE FROM notifications WHERE owner = ?1 AND id IN (SELECT id FROM notifications WHERE owner = ?1 "
    "ORDER BY owner, id LIMIT ?2)",
    "DELETE FROM bookmarks WHERE user_id = ?1 AND bark IN (SELECT bark FROM bookmarks WHERE user_id = ?1 "
    "ORDER BY user_id, bark LIMIT ?2)",
    "DELETE FROM stream WHERE owner = ?1 AND seq IN (SELECT seq FROM stream WHERE owner = ?1 "
    "ORDER BY owner, seq LIMIT ?2)",
    "DELETE FROM stream_recent WHERE owner = ?1 AND seq IN (SELECT seq FROM stream_recent WHERE owner = ?1 "
    "ORDER BY owner, seq LIMIT ?2)",
)
# Whether anything the batches remove is left (a follow, reaction or mention written by someone else while
# the account was leaving, say): then the steps run again before the user row goes.
LEFT_BEHIND = ("SELECT EXISTS (SELECT 1 FROM barks WHERE author = ?1) OR EXISTS (SELECT 1 FROM reactions "
               "WHERE user_id = ?1) OR EXISTS (SELECT 1 FROM follows WHERE followee = ?1) OR EXISTS (SELECT 1 "
               "FROM follows WHERE follower = ?1) OR EXISTS (SELECT 1 FROM notifications WHERE owner = ?1) OR "
               "EXISTS (SELECT 1 FROM bookmarks WHERE user_id = ?1) OR EXISTS (SELECT 1 FROM stream WHERE "
               "owner = ?1) OR EXISTS (SELECT 1 FROM stream_recent WHERE owner = ?1)")
# The last transaction: the few rows of each kind that are left, then the user row and the job.
DELETE_LAST_ROWS = (
    "DELETE FROM stream_sizes WHERE owner = ?1",
    "DELETE FROM tokens WHERE user_id = ?1",  # none, unless a session raced the first transaction
    # Reports they filed, and those about them (nothing left to moderate).
    "DELETE FROM reports WHERE reporter = ?1",
    "DELETE FROM reports WHERE target = ?1",
    # Dismissed by them (a key range) and of them (a scan: the table holds only dismissals, a few per user).
    "DELETE FROM dismissed WHERE user_id = ?1 OR target = ?1",
    # Blocks and mutes, made by them and of them: each a range of an index.
    "DELETE FROM blocks WHERE blocker = ?1",
    "DELETE FROM blocks WHERE blocked = ?1",
    "DELETE FROM mutes WHERE muter = ?1",
    "DELETE FROM mutes WHERE muted = ?1",
    "DELETE FROM jobs WHERE author = ?1 OR target = ?1",  # the departure job with them
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
