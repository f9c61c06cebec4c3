"""What the operators (moderators, admins, the command line) keep in the store: roles and account states,
forced password changes, server settings (the registration mode), invite codes and the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class AccountInfo:
    """An account as the operators see it."""

    id: int
    handle: str
    display_name: str
    created_at: str
    role: str
    state: str
    must_change_password: bool


@dataclass(frozen=True)
class NewInvite:
    id: int
    digest: bytes  # of the code; the code itself is never stored
    created_by: str
    max_uses: int
    expires_ms: int | None


@dataclass(frozen=True)
class InviteInfo:
    id: int
    created_by: str
    max_uses: int
    uses: int
    expires_ms: int | None


@dataclass(frozen=True)
class AuditEntry:
    id: int
    actor: str  # a handle, or 'operator'
    action: str
    target: str
    reason: str | None


class AccountStates(Protocol):
    """What the account service needs of an account's role and state: its own view, and the password flag."""

    def account_info(self, user_id: int) -> AccountInfo | None: ...

    def set_must_change_password(self, user_id: int, must: bool) -> None:
        """Set or clear the flag; clearing it also lifts the restriction of the user's tokens."""


class Registrations(Protocol):
    """What sign-up needs: the stored settings (the registration mode) and the use of an invite."""

    def server_setting(self, name: str) -> str | None: ...

    def use_invite(self, digest: bytes, now_ms: int) -> bool:
        """Count one use of the invite with this digest; False if unknown, used up or expired."""


class Operators(AccountStates, Registrations, Protocol):
    """Everything the operators keep: the two above, and what only the admin service uses."""

    def account_page(self, role: str | None, state: str | None, query: str | None, before: int | None,
                     limit: int) -> list[AccountInfo]:
        """Accounts newest first, with ids below `before`; `query` matches the start of a canonical handle."""

    def count_role(self, role: str) -> int: ...

    def set_role(self, user_id: int, role: str) -> None: ...

    def set_account_state(self, user_id: int, state: str) -> None: ...

    def suspend_account(self, user_id: int) -> int | None:
        """Suspend an active account: its state becomes 'suspended' and every one of its tokens is revoked,
        in one transaction (no request of it is served after the commit). Returns how many tokens were
        revoked; None (and nothing changed) if the account is not active."""

    def unsuspend_account(self, user_id: int) -> bool:
        """Make a suspended account active again; its revoked tokens stay revoked (it logs in anew). False
        (and nothing changed) if it is not suspended."""

    def remove_pending_account(self, user_id: int) -> bool:
        """Delete an account that never became active (a rejected sign-up), freeing its handle; False if the
        account is not pending."""

    def set_server_setting(self, name: str, value: str) -> None: ...

    def create_invite(self, invite: NewInvite) -> None: ...

    def invites(self, limit: int) -> list[InviteInfo]:
        """The newest `limit` invites (used-up and expired ones included, until revoked)."""

    def revoke_invite(self, invite_id: int | None, digest: bytes | None) -> bool:
        """Delete the invite with this id or code digest; False if there is none."""

    def record_audit(self, entry: AuditEntry) -> None: ...

    def audit_page(self, before: int | None, limit: int) -> list[AuditEntry]:
        """Entries newest first, with ids below `before`."""
