"""The statements of the SQLite store's operator part: roles and states, server settings, invites, audit."""

from __future__ import annotations

_ACCOUNT_COLUMNS = "id, handle, display_name, created_at, role, state, must_change_password"
ACCOUNT_INFO = f"SELECT {_ACCOUNT_COLUMNS} FROM users WHERE id = ?"
# Each filter is skipped when its parameter is NULL; the handle filter is a prefix of the canonical handle.
ACCOUNT_PAGE = (f"SELECT {_ACCOUNT_COLUMNS} FROM users "
                "WHERE (:role IS NULL OR role = :role) AND (:state IS NULL OR state = :state) "
                "AND (:q IS NULL OR substr(handle_canon, 1, length(:q)) = :q) AND id < :before "
                "ORDER BY id DESC LIMIT :limit")
COUNT_ROLE = "SELECT count(*) FROM users WHERE role = ?"
SET_ROLE = "UPDATE users SET role = ? WHERE id = ?"
SET_STATE = "UPDATE users SET state = ? WHERE id = ?"
# A state change from one given state only: the check and the change in one step (suspend, unsuspend).
CHANGE_STATE = "UPDATE users SET state = :new WHERE id = :id AND state = :old"
DELETE_PENDING_USER = "DELETE FROM users WHERE id = ? AND state = 'pending'"
SET_MUST_CHANGE_PASSWORD = "UPDATE users SET must_change_password = ? WHERE id = ?"
UNRESTRICT_TOKENS = "UPDATE tokens SET restricted = 0 WHERE user_id = ? AND restricted = 1"
SERVER_SETTING = "SELECT value FROM server_settings WHERE name = ?"
SET_SERVER_SETTING = ("INSERT INTO server_settings (name, value) VALUES (?, ?) "
                      "ON CONFLICT (name) DO UPDATE SET value = excluded.value")
INSERT_INVITE = "INSERT INTO invites (id, digest, created_by, max_uses, expires_ms) VALUES (?, ?, ?, ?, ?)"
INVITES = "SELECT id, created_by, max_uses, uses, expires_ms FROM invites ORDER BY id DESC LIMIT ?"
# One use, only while the invite has uses left and has not expired: the check and the count in one step.
USE_INVITE = ("UPDATE invites SET uses = uses + 1 "
              "WHERE digest = ? AND uses < max_uses AND (expires_ms IS NULL OR expires_ms > ?)")
REVOKE_INVITE = "DELETE FROM invites WHERE id = ? OR digest = ?"
INSERT_AUDIT = "INSERT INTO audit_log (id, actor, action, target, reason) VALUES (?, ?, ?, ?, ?)"
AUDIT_PAGE = "SELECT id, actor, action, target, reason FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?"
