"""The ArangoDB store's operator part: roles and account states, server settings, invites and the audit
log. A base of ArangoStore (barker/store/arango.py); semantics are the SQLite store's
(barker/store/sqlite_operators.py). Invites are keyed by their code's digest, audit entries by their id."""

from __future__ import annotations

import contextlib
from typing import Any

from barker import policies
from barker.errors import NotFound
from barker.ids import MAX_ID
from barker.ports.operators import AccountInfo, AuditEntry, InviteInfo, NewInvite
from barker.store.arango_base import ArangoBase, transactional
from barker.store.arango_support import key, token_key


def _account(row: dict[str, Any]) -> AccountInfo:
    return AccountInfo(int(row["id"]), row["handle"], row["display_name"], row["created_at"], row["role"],
                       row["state"], bool(row["must_change_password"]))


class ArangoOperators(ArangoBase):
    def account_info(self, user_id: int) -> AccountInfo | None:
        doc = self._get("users", key(user_id))
        if doc is None:
            return None
        return _account({**doc, "role": doc.get("role") or "user", "state": doc.get("state") or "active",
                         "must_change_password": doc.get("must_change_password")})

    def account_page(self, role: str | None, state: str | None, query: str | None, before: int | None,
                     limit: int) -> list[AccountInfo]:
        rows = self._aql("accounts_page", role=role, state=state, q=query, before=before or MAX_ID + 1,
                         limit=limit)
        return [_account(row) for row in rows]

    def count_role(self, role: str) -> int:
        return int(self._aql("count_role", role=role)[0])

    @transactional
    def set_role(self, user_id: int, role: str) -> None:
        with contextlib.suppress(NotFound):  # like SQLite's UPDATE of no row
            self._update("users", {"_key": key(user_id), "role": role})

    @transactional
    def set_account_state(self, user_id: int, state: str) -> None:
        with contextlib.suppress(NotFound):
            self._update("users", {"_key": key(user_id), "state": state})

    @transactional
    def suspend_account(self, user_id: int) -> int | None:
        # Read, check and write in one transaction: a concurrent change of the state conflicts and retries.
        doc = self._get("users", key(user_id))
        if doc is None or (doc.get("state") or policies.ACTIVE) != policies.ACTIVE:
            return None
        self._update("users", {"_key": key(user_id), "state": policies.SUSPENDED})
        return len(self._aql("revoke_user_tokens", user=user_id, keep=""))

    @transactional
    def unsuspend_account(self, user_id: int) -> bool:
        doc = self._get("users", key(user_id))
        if doc is None or doc.get("state") != policies.SUSPENDED:
            return False
        self._update("users", {"_key": key(user_id), "state": policies.ACTIVE})
        return True

    @transactional
    def remove_pending_account(self, user_id: int) -> bool:
        doc = self._get("users", key(user_id))
        if doc is None or doc.get("state") != "pending":
            return False
        self._delete("users", key(user_id))
        self._delete("handles", doc["handle_canon"])  # the handle is free again
        return True

    @transactional
    def set_must_change_password(self, user_id: int, must: bool) -> None:
        with contextlib.suppress(NotFound):
            self._update("users", {"_key": key(user_id), "must_change_password": must})
        if not must:
            self._aql("unrestrict_user_tokens", user=user_id)

    def server_setting(self, name: str) -> str | None:
        doc = self._get("server_settings", name)
        return doc["value"] if doc else None

    @transactional
    def set_server_setting(self, name: str, value: str) -> None:
        self._insert("server_settings", {"_key": name, "value": value}, overwrite_mode="replace")

    @transactional
    def create_invite(self, invite: NewInvite) -> None:
        self._insert("invites", {"_key": token_key(invite.digest), "id": invite.id, "created_by": invite.created_by,
                                 "max_uses": invite.max_uses, "uses": 0, "expires_ms": invite.expires_ms})

    def invites(self, limit: int) -> list[InviteInfo]:
        return [InviteInfo(int(r["id"]), r["created_by"], int(r["max_uses"]), int(r["uses"]),
                           None if r["expires_ms"] is None else int(r["expires_ms"]))
                for r in self._aql("invites_all", limit=limit)]

    @transactional
    def use_invite(self, digest: bytes, now_ms: int) -> bool:
        doc = self._get("invites", token_key(digest))
        if doc is None or doc["uses"] >= doc["max_uses"] or (
                doc["expires_ms"] is not None and doc["expires_ms"] <= now_ms):
            return False
        self._update("invites", {"_key": doc["_key"], "uses": doc["uses"] + 1})
        return True

    @transactional
    def revoke_invite(self, invite_id: int | None, digest: bytes | None) -> bool:
        removed = False
        if invite_id is not None:
            for found in self._aql("invite_by_id", id=invite_id):
                removed = self._delete("invites", found) or removed
        if digest is not None:
            removed = self._delete("invites", token_key(digest)) or removed
        return removed

    @transactional
    def record_audit(self, entry: AuditEntry) -> None:
        self._insert("audit_log", {"_key": key(entry.id), "id": entry.id, "actor": entry.actor,
                                   "action": entry.action, "target": entry.target, "reason": entry.reason})

    def audit_page(self, before: int | None, limit: int) -> list[AuditEntry]:
        return [AuditEntry(int(r["id"]), r["actor"], r["action"], r["target"], r["reason"])
                for r in self._aql("audit_page", before=before or MAX_ID + 1, limit=limit)]
