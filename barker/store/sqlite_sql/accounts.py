"""The statements of the SQLite store's accounts and tokens (a token is stored by its digest only)."""

from __future__ import annotations

INSERT_USER = ("INSERT INTO users (id, handle, handle_canon, created_at, display_name, bio, password_hash, role, "
               "state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
# A leaving account (policies.LEAVING) is gone to log-in: its handle is answered as unknown.
CREDENTIALS = ("SELECT id, password_hash, state, must_change_password FROM users WHERE handle_canon = ? "
               "AND state != 'leaving'")
PASSWORD_HASH = "SELECT password_hash FROM users WHERE id = ?"
USER_ID_BY_HANDLE = "SELECT id FROM users WHERE handle_canon = ?"
# {handle_canon: id} of the users among the canonical handles in ? (a JSON array).
USER_IDS_BY_HANDLES = ("SELECT json_group_object(handle_canon, id) FROM users "
                       "WHERE handle_canon IN (SELECT value FROM json_each(?))")
# A NULL leaves the field as it is.
UPDATE_PROFILE = "UPDATE users SET display_name = coalesce(?, display_name), bio = coalesce(?, bio) WHERE id = ?"
SET_PASSWORD_HASH = "UPDATE users SET password_hash = ? WHERE id = ?"
INSERT_TOKEN = "INSERT INTO tokens (digest, user_id, expires_ms, restricted) VALUES (?, ?, ?, ?)"
TOKEN_USER = "SELECT user_id FROM tokens WHERE digest = ? AND expires_ms > ? AND restricted = 0"
RESTRICTED_TOKEN_USER = "SELECT user_id FROM tokens WHERE digest = ? AND expires_ms > ? AND restricted = 1"
REVOKE_TOKEN = "DELETE FROM tokens WHERE digest = ?"
# All of a user's tokens but one (NULL: all).
REVOKE_USER_TOKENS = "DELETE FROM tokens WHERE user_id = ? AND digest IS NOT ?"
