"""The statements of the SQLite store's media (barker/store/sqlite_media.py): upload records, attaching them
to barks and avatars, and the expiry sweep with reference-counted files. Lists of ids or keys are bound as
one JSON array."""

from __future__ import annotations

# The first of the keys in ? that a sweep is deleting.
BUSY_FILE = ("SELECT key FROM media_files WHERE key IN (SELECT value FROM json_each(?)) "
             "AND deleting_since IS NOT NULL")
INSERT_MEDIA = "INSERT INTO media (id, owner, purpose, created_ms, view, keys) VALUES (?, ?, ?, ?, ?, ?)"
REFERENCE_FILE = "INSERT INTO media_files (key, refs) VALUES (?, 1) ON CONFLICT (key) DO UPDATE SET refs = refs + 1"
MEDIA = "SELECT id, owner, purpose, state, created_ms, bark, view, keys FROM media WHERE id = ?"
MEDIA_TO_ATTACH = "SELECT id, owner, purpose, state, view FROM media WHERE id IN (SELECT value FROM json_each(?))"
ATTACH_TO_BARK = "UPDATE media SET state = 'used', bark = ? WHERE id = ?"
# The media of a deleted bark (its `media` JSON: [{id, ...}]).
RELEASE_BARK_MEDIA = ("UPDATE media SET state = 'released' WHERE id IN "
                      "(SELECT json_extract(value, '$.id') FROM json_each(?))")
MEDIA_OWNER = "SELECT owner, state FROM media WHERE id = ?"
# A new description of an upload (:description NULL: none); its bark, if attached, and its Media object.
DESCRIBE_MEDIA = ("UPDATE media SET view = json_set(view, '$.description', :description) WHERE id = :id "
                  "RETURNING bark, view")
# The same description in the copy the bark :bark carries (json_each walks the array in order).
DESCRIBE_BARK_MEDIA = ("UPDATE barks SET media = (SELECT json_group_array(CASE WHEN json_extract(value, '$.id') = :id "
                       "THEN json_set(value, '$.description', :description) ELSE json(value) END) "
                       "FROM json_each(barks.media)) WHERE id = :bark")
AVATAR_MEDIA = "SELECT avatar_media FROM users WHERE id = ?"
AVATAR_CANDIDATE = "SELECT owner, purpose, state, view FROM media WHERE id = ?"
RELEASE_MEDIA = "UPDATE media SET state = 'released' WHERE id = ?"
USE_MEDIA = "UPDATE media SET state = 'used' WHERE id = ?"
SET_AVATAR = "UPDATE users SET avatar_media = ?, avatar_url = ?, avatar_thumbnail_url = ? WHERE id = ?"
CLEAR_AVATAR = "UPDATE users SET avatar_media = NULL, avatar_url = NULL, avatar_thumbnail_url = NULL WHERE id = ?"
# Up to :n media records to expire: released ones, and unattached ones created before :before.
EXPIRED_MEDIA = ("SELECT id, keys FROM (SELECT id, keys FROM media WHERE state = 'released' LIMIT :n) "
                 "UNION ALL SELECT id, keys FROM (SELECT id, keys FROM media WHERE state = 'new' "
                 "AND created_ms < :before LIMIT :n) LIMIT :n")
DELETE_MEDIA = "DELETE FROM media WHERE id = ?"
UNREFERENCE_FILE = "UPDATE media_files SET refs = refs - 1 WHERE key = ?"
# Files to delete: of :keys the unreferenced ones, and any announced before :stale and never confirmed.
FILES_TO_DELETE = ("SELECT key FROM media_files WHERE refs <= 0 AND key IN (SELECT value FROM json_each(:keys)) "
                   "UNION SELECT key FROM media_files WHERE deleting_since < :stale")
ANNOUNCE_FILE_DELETION = "UPDATE media_files SET deleting_since = ? WHERE key = ?"
FILES_DELETED = "DELETE FROM media_files WHERE key IN (SELECT value FROM json_each(?)) AND refs <= 0"
