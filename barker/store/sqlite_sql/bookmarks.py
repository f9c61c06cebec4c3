"""The statements of the SQLite store's bookmarks."""

from __future__ import annotations

from barker.store.sqlite_sql.rules import bark_unseen_by

# The bark to bookmark for id ?: itself, or for a rebark its original; no row if it does not exist.
ORIGINAL = "SELECT coalesce(rebark_of, id) FROM barks WHERE id = ?"
# Idempotent: a bookmark made before keeps its id (its place in the list).
INSERT_BOOKMARK = "INSERT OR IGNORE INTO bookmarks (user_id, bark, id) VALUES (?, ?, ?)"
# ?1's bookmark of bark ?2, or of its original when ?2 is a rebark.
DELETE_BOOKMARK = ("DELETE FROM bookmarks WHERE user_id = ?1 AND bark = "
                   "coalesce((SELECT rebark_of FROM barks WHERE id = ?2), ?2)")
# [[bookmark id, bark id]] of :me's bookmarks below :before, newest :n first (the bookmarks_time index),
# leaving out the barks :me does not see (a mute hides no bookmark).
BOOKMARK_PAGE = ("SELECT json_group_array(json_array(id, bark)) FROM (SELECT k.id, k.bark FROM bookmarks k "
                 "WHERE k.user_id = :me AND k.id < :before AND NOT EXISTS (SELECT 1 FROM barks b "
                 f"WHERE b.id = k.bark AND {bark_unseen_by(':me', 'b')}) ORDER BY k.id DESC LIMIT :n)")
