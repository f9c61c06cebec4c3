"""The SQLite store's operator part: roles and account states, server settings, invites and the audit log.
A mixin of SqliteStore (barker/store/sqlite.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from barker import policies
from barker.ids import MAX_ID
from barker.ports.operators import AccountInfo, AuditEntry, InviteInfo, NewInvite
from barker.store.sqlite_sql import accounts as account_sql
from barker.store.sqlite_sql import operators as sql

if TYPE_CHECKING:  # checked against what they use of SqliteStore, without importing it back
    from barker.store.sqlite_host import SqliteHost as _Base
else:
    _Base = object


def _account(row: Any) -> AccountInfo:
    return AccountInfo(row[0], row[1], row[2], row[3], row[4], row[5], bool(row[6]))


class SqliteOperators(_Base):
    """Mixed into SqliteStore; see the Operators protocol for each method's contract."""

    def account_info(self, user_id: int) -> AccountInfo | None:
        row = self._one(sql.ACCOUNT_INFO, (user_id,))
        return _account(row) if row else None

    def account_page(self, role: str | None, state: str | None, query: str | None, before: int | None,
                     limit: int) -> list[AccountInfo]:
        rows = self._reader().execute(sql.ACCOUNT_PAGE, {"role": role, "state": state, "q": query,
                                                         "before": before or MAX_ID + 1, "limit": limit})
        return [_account(row) for row in rows]

    def count_role(self, role: str) -> int:
        return int(self._one(sql.COUNT_ROLE, (role,))[0])

    def set_role(self, user_id: int, role: str) -> None:
        with self._tx() as c:
            c.execute(sql.SET_ROLE, (role, user_id))

    def set_account_state(self, user_id: int, state: str) -> None:
        with self._tx() as c:
            c.execute(sql.SET_STATE, (state, user_id))

    def suspend_account(self, user_id: int) -> int | None:
        with self._tx() as c:
            changed = c.execute(sql.CHANGE_STATE, {"new": policies.SUSPENDED, "id": user_id,
                                                   "old": policies.ACTIVE}).rowcount
            if not changed:
                return None
            return int(c.execute(account_sql.REVOKE_USER_TOKENS, (user_id, None)).rowcount)

    def unsuspend_account(self, user_id: int) -> bool:
        with self._tx() as c:
            return c.execute(sql.CHANGE_STATE, {"new": policies.ACTIVE, "id": user_id,
                                                "old": policies.SUSPENDED}).rowcount == 1

    def remove_pending_account(self, user_id: int) -> bool:
        with self._tx() as c:
            return c.execute(sql.DELETE_PENDING_USER, (user_id,)).rowcount == 1

    def set_must_change_password(self, user_id: int, must: bool) -> None:
        with self._tx() as c:
            c.execute(sql.SET_MUST_CHANGE_PASSWORD, (int(must), user_id))
            if not must:
                c.execute(sql.UNRESTRICT_TOKENS, (user_id,))

    def server_setting(self, name: str) -> str | None:
        row = self._one(sql.SERVER_SETTING, (name,))
        return row[0] if row else None

    def set_server_setting(self, name: str, value: str) -> None:
        with self._tx() as c:
            c.execute(sql.SET_SERVER_SETTING, (name, value))

    def create_invite(self, invite: NewInvite) -> None:
        with self._tx() as c:
            c.execute(sql.INSERT_INVITE, (invite.id, invite.digest, invite.created_by, invite.max_uses,
                                          invite.expires_ms))

    def invites(self, limit: int) -> list[InviteInfo]:
        return [InviteInfo(*row) for row in self._reader().execute(sql.INVITES, (limit,))]

    def use_invite(self, digest: bytes, now_ms: int) -> bool:
        with self._tx() as c:
            return c.execute(sql.USE_INVITE, (digest, now_ms)).rowcount == 1

    def revoke_invite(self, invite_id: int | None, digest: bytes | None) -> bool:
        with self._tx() as c:
            return c.execute(sql.REVOKE_INVITE, (invite_id, digest)).rowcount > 0

    def record_audit(self, entry: AuditEntry) -> None:
        with self._tx() as c:
            c.execute(sql.INSERT_AUDIT, (entry.id, entry.actor, entry.action, entry.target, entry.reason))

    def audit_page(self, before: int | None, limit: int) -> list[AuditEntry]:
        rows = self._reader().execute(sql.AUDIT_PAGE, (before or MAX_ID + 1, limit))
        return [AuditEntry(*row) for row in rows]
