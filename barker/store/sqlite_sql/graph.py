"""The statements of the SQLite store's follow graph (edges `follows(follower, followee, id)`, with the
counts kept on both users)."""

from __future__ import annotations

BARKS_COUNT = "SELECT barks_count FROM users WHERE id = ?"
INSERT_FOLLOW = "INSERT INTO follows VALUES (?, ?, ?) ON CONFLICT DO NOTHING"
COUNT_FOLLOWING = "UPDATE users SET following_count = following_count + 1 WHERE id = ?"
COUNT_FOLLOWER = "UPDATE users SET followers_count = followers_count + 1 WHERE id = ?"
QUEUE_BACKFILL = "INSERT INTO jobs (id, kind, author, target) VALUES (?, 'backfill', ?, ?)"
DELETE_FOLLOW = "DELETE FROM follows WHERE follower = ? AND followee = ?"
UNCOUNT_FOLLOWING = "UPDATE users SET following_count = following_count - 1 WHERE id = ?"
UNCOUNT_FOLLOWER = "UPDATE users SET followers_count = followers_count - 1 WHERE id = ?"
