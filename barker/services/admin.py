"""What moderators, admins and the operator's command line do: roles, the registration mode, invite codes,
approving sign-ups, password resets, the audit log. No HTTP here (backend/routes/admin.py), no argparse
(backend/cli_admin.py): each action is one function over the store, written with its audit entry in one
transaction, called by the API inside a write hop or by the command line directly."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from barker import policies
from barker.errors import Forbidden, Invalid, NotFound
from barker.gateway import StoreGateway
from barker.ids import IdGenerator, iso, iso_ms, now_ms
from barker.ports.accounts import Accounts, Tokens
from barker.ports.lifecycle import Transactions
from barker.ports.operators import AccountInfo, AuditEntry, InviteInfo, NewInvite, Operators
from barker.ports.types import NewUser
from barker.security import token_digest
from barker.services import Page, authenticate, user_id_for
from barker.validation import canonical_handle

DAY_MS = 86_400_000
ACCOUNT_STATES = (policies.ACTIVE, *policies.HIDDEN_STATES)
INVITES_LISTED = 1000  # the newest; revoke old ones to see further


class AdminStore(Accounts, Tokens, Operators, Transactions, Protocol):
    """What the admin service uses of the store."""


@dataclass(frozen=True)
class Actor:
    """Who acts: a staff account, or the operator at the command line (no account: user_id None)."""

    user_id: int | None
    name: str
    role: str | None = None  # None: the operator, who outranks every role


OPERATOR = Actor(None, policies.OPERATOR)


def _iso_or_none(ms: int | None) -> str | None:
    return None if ms is None else iso_ms(ms)


def account_view(info: AccountInfo) -> dict[str, Any]:
    return {"id": info.id, "handle": info.handle, "display_name": info.display_name, "created_at": info.created_at,
            "role": info.role, "state": info.state, "must_change_password": info.must_change_password}


def invite_view(info: InviteInfo, now: int) -> dict[str, Any]:
    usable = info.uses < info.max_uses and (info.expires_ms is None or info.expires_ms > now)
    return {"id": info.id, "created_by": info.created_by, "max_uses": info.max_uses, "uses": info.uses,
            "expires_at": _iso_or_none(info.expires_ms), "usable": usable}


def audit_view(entry: AuditEntry) -> dict[str, Any]:
    return {"id": entry.id, "actor": entry.actor, "action": entry.action, "target": entry.target,
            "reason": entry.reason, "created_at": iso(entry.id)}


def staff(store: AdminStore, token: str | None, allowed: Callable[[str], bool]) -> Actor:
    """The caller, if their role allows the action; 403 forbidden otherwise."""
    user_id = authenticate(store, token)
    info = store.account_info(user_id)
    if info is None or not allowed(info.role):
        raise Forbidden("your role does not allow this", code="forbidden")
    return Actor(user_id, info.handle, info.role)


def record_action(store: AdminStore, ids: IdGenerator, actor: Actor, action: str, target: str,
                  reason: str | None = None) -> None:
    """Write one moderation or admin action to the audit log, in the caller's transaction (with the action)."""
    store.record_audit(AuditEntry(ids.next(), actor.name, action, target, reason))


def account_of(store: AdminStore, handle: str) -> AccountInfo:
    info = store.account_info(user_id_for(store, handle))
    if info is None:
        raise NotFound("no such user")
    return info


# -- the actions, each with its audit entry in one transaction ----------------------------------------


def list_accounts(store: AdminStore, role: str | None, state: str | None, query: str | None,
                  before: int | None, limit: int) -> Page:
    if role is not None and role not in policies.ROLES:
        raise Invalid(f"role must be one of {', '.join(policies.ROLES)}", code="bad_role")
    if state is not None and state not in ACCOUNT_STATES:
        raise Invalid(f"state must be one of {', '.join(ACCOUNT_STATES)}", code="bad_state")
    rows = store.account_page(role, state, canonical_handle(query) if query else None, before, limit)
    return Page.of([account_view(r) for r in rows], [r.id for r in rows], limit)


def create_account(store: AdminStore, ids: IdGenerator, actor: Actor, handle: str, password_hash: str,
                   role: str) -> dict[str, Any]:
    """An active account made by the operator (the first admin of a fresh install, for one)."""
    if role not in policies.ROLES:
        raise Invalid(f"role must be one of {', '.join(policies.ROLES)}", code="bad_role")
    user_id = ids.next()
    with store.bulk():
        store.create_user(NewUser(user_id, handle, canonical_handle(handle), handle, "", password_hash, role))
        record_action(store, ids, actor, "account.create", handle, f"role {role}")
    return account_view(store.account_info(user_id))  # type: ignore[arg-type]  # just made


def set_role(store: AdminStore, ids: IdGenerator, actor: Actor, handle: str, role: str) -> dict[str, Any]:
    if role not in policies.ROLES:
        raise Invalid(f"role must be one of {', '.join(policies.ROLES)}", code="bad_role")
    with store.bulk():
        info = account_of(store, handle)
        policies.check_role_change(actor.user_id, info.id, info.role, role, store.count_role("admin"))
        if info.role != role:
            store.set_role(info.id, role)
            record_action(store, ids, actor, "account.role", info.handle, f"{info.role} -> {role}")
        return account_view(store.account_info(info.id))  # type: ignore[arg-type]


def registration_mode(store: AdminStore, configured: str) -> str:
    return policies.registration_mode(store.server_setting(policies.REGISTRATION_MODE_SETTING), configured)


def set_registration_mode(store: AdminStore, ids: IdGenerator, actor: Actor, mode: str) -> None:
    if mode not in policies.REGISTRATION_MODES:
        raise Invalid(f"mode must be one of {', '.join(policies.REGISTRATION_MODES)}", code="bad_mode")
    with store.bulk():
        store.set_server_setting(policies.REGISTRATION_MODE_SETTING, mode)
        record_action(store, ids, actor, "registrations.mode", mode)


def create_invite(store: AdminStore, ids: IdGenerator, actor: Actor, uses: int,
                  expires_days: float | None) -> dict[str, Any]:
    """A new invite code, returned once (only its digest is stored)."""
    if uses < 1:
        raise Invalid("uses must be at least 1", code="bad_uses")
    if expires_days is not None and expires_days <= 0:
        raise Invalid("expires_days must be more than 0", code="bad_expiry")
    code = secrets.token_urlsafe(12)
    now = now_ms()
    invite = NewInvite(ids.next(), token_digest(code), actor.name, uses,
                       None if expires_days is None else now + int(expires_days * DAY_MS))
    with store.bulk():
        store.create_invite(invite)
        record_action(store, ids, actor, "invite.create", str(invite.id), f"{uses} uses")
    view = invite_view(InviteInfo(invite.id, invite.created_by, uses, 0, invite.expires_ms), now)
    return {"code": code, **view}


def list_invites(store: AdminStore) -> list[dict[str, Any]]:
    now = now_ms()
    return [invite_view(i, now) for i in store.invites(INVITES_LISTED)]


def revoke_invite(store: AdminStore, ids: IdGenerator, actor: Actor, code_or_id: str) -> None:
    invite_id = int(code_or_id) if code_or_id.isdigit() else None
    with store.bulk():
        if not store.revoke_invite(invite_id, token_digest(code_or_id)):
            raise NotFound("no such invite")
        record_action(store, ids, actor, "invite.revoke", str(invite_id) if invite_id else "(by code)")


def approve(store: AdminStore, ids: IdGenerator, actor: Actor, handle: str) -> dict[str, Any]:
    with store.bulk():
        info = account_of(store, handle)
        if info.state != "pending":
            raise NotFound("no pending account with that handle", code="not_pending")
        store.set_account_state(info.id, "active")
        record_action(store, ids, actor, "account.approve", info.handle)
        return account_view(store.account_info(info.id))  # type: ignore[arg-type]


def reject(store: AdminStore, ids: IdGenerator, actor: Actor, handle: str, reason: str | None) -> None:
    with store.bulk():
        info = account_of(store, handle)
        if not store.remove_pending_account(info.id):
            raise NotFound("no pending account with that handle", code="not_pending")
        record_action(store, ids, actor, "account.reject", info.handle, reason)


def reset_password(store: AdminStore, ids: IdGenerator, actor: Actor, handle: str, password_hash: str) -> None:
    """Set a one-time password: every session revoked, and the next one may only change the password."""
    with store.bulk():
        info = account_of(store, handle)
        store.set_password_hash(info.id, password_hash)
        store.revoke_user_tokens(info.id, None)
        store.set_must_change_password(info.id, True)
        record_action(store, ids, actor, "account.reset_password", info.handle)


def audit_page(store: AdminStore, before: int | None, limit: int) -> Page:
    rows = store.audit_page(before, limit)
    return Page.of([audit_view(r) for r in rows], [r.id for r in rows], limit)


def one_time_password() -> str:
    """Random, shown once to whoever reset it; long enough that no limit is needed to protect it."""
    return secrets.token_urlsafe(15)


# -- the API's side: the caller's role checked in the same hop as the action ----------------------------


async def accounts_page(gw: StoreGateway, token: str | None, role: str | None, state: str | None,
                        query: str | None, before: int | None, limit: int) -> Page:
    def run(store: AdminStore) -> Page:
        staff(store, token, policies.may_moderate)
        return list_accounts(store, role, state, query, before, limit)

    return await gw.read(run, gw.store)


async def change_role(gw: StoreGateway, token: str | None, handle: str, role: str) -> dict[str, Any]:
    def run(store: AdminStore) -> dict[str, Any]:
        return set_role(store, gw.ids, staff(store, token, policies.may_administer), handle, role)

    return await gw.write(run, gw.store)


async def registrations(gw: StoreGateway, token: str | None) -> str:
    def run(store: AdminStore) -> str:
        staff(store, token, policies.may_administer)
        return registration_mode(store, gw.settings.registrations)

    return await gw.read(run, gw.store)


async def change_registrations(gw: StoreGateway, token: str | None, mode: str) -> str:
    def run(store: AdminStore) -> str:
        set_registration_mode(store, gw.ids, staff(store, token, policies.may_administer), mode)
        return registration_mode(store, gw.settings.registrations)

    return await gw.write(run, gw.store)


async def new_invite(gw: StoreGateway, token: str | None, uses: int, expires_days: float | None) -> dict[str, Any]:
    def run(store: AdminStore) -> dict[str, Any]:
        return create_invite(store, gw.ids, staff(store, token, policies.may_administer), uses, expires_days)

    return await gw.write(run, gw.store)


async def invites(gw: StoreGateway, token: str | None) -> list[dict[str, Any]]:
    def run(store: AdminStore) -> list[dict[str, Any]]:
        staff(store, token, policies.may_administer)
        return list_invites(store)

    return await gw.read(run, gw.store)


async def delete_invite(gw: StoreGateway, token: str | None, invite_id: int) -> None:
    def run(store: AdminStore) -> None:
        revoke_invite(store, gw.ids, staff(store, token, policies.may_administer), str(invite_id))

    await gw.write(run, gw.store)


async def approve_account(gw: StoreGateway, token: str | None, handle: str) -> dict[str, Any]:
    def run(store: AdminStore) -> dict[str, Any]:
        return approve(store, gw.ids, staff(store, token, policies.may_moderate), handle)

    return await gw.write(run, gw.store)


async def reject_account(gw: StoreGateway, token: str | None, handle: str, reason: str | None) -> None:
    def run(store: AdminStore) -> None:
        reject(store, gw.ids, staff(store, token, policies.may_moderate), handle, reason)

    await gw.write(run, gw.store)


async def admin_reset_password(gw: StoreGateway, token: str | None, handle: str) -> str:
    """Returns the one-time password (shown once, never logged)."""
    def check(store: AdminStore) -> None:  # before the hashing: a refused caller costs no Argon2 time
        staff(store, token, policies.may_administer)
        account_of(store, handle)

    await gw.read(check, gw.store)
    password = one_time_password()
    password_hash = await gw.hashing(gw.hasher.hash, password)

    def run(store: AdminStore) -> None:
        reset_password(store, gw.ids, staff(store, token, policies.may_administer), handle, password_hash)

    await gw.write(run, gw.store)
    return password


async def audit(gw: StoreGateway, token: str | None, before: int | None, limit: int) -> Page:
    def run(store: AdminStore) -> Page:
        staff(store, token, policies.may_administer)
        return audit_page(store, before, limit)

    return await gw.read(run, gw.store)
